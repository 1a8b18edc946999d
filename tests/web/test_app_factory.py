"""The app factory, instance folder and configuration layers."""

import stat
from pathlib import Path

import pytest

from moderation import create_app
from moderation.plumbing.config import ConfigError, build_config


def test_instance_folder_is_created_with_a_private_secret(tmp_path):
    instance = tmp_path / "inst"
    app = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    secret_file = instance / "secret_key"
    assert secret_file.exists()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == secret_file.read_text().strip()
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'moderation.db'}"


def test_secret_is_generated_once_and_reused(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True}).config["SECRET_KEY"]
    assert first == second and len(first) == 64


def test_instance_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MODERATION_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app({"TESTING": True})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "secret_key").exists()


def test_environment_overrides_the_instance_file(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text(
        'site_domains = ["a.example"]\ndefault_timezone = "Europe/Paris"\nlogin_max_failures = 9\n'
    )
    monkeypatch.setenv("MODERATION_SITE_DOMAINS", "uscntv.com, www.uscntv.com")
    monkeypatch.setenv("MODERATION_LOGIN_MAX_FAILURES", "3")
    config = build_config(tmp_path)
    assert config["SITE_DOMAINS"] == ["uscntv.com", "www.uscntv.com"]
    assert config["DEFAULT_TIMEZONE"] == "Europe/Paris"
    assert config["LOGIN_MAX_FAILURES"] == 3


def test_python_instance_config_is_read_when_there_is_no_toml(tmp_path):
    (tmp_path / "config.py").write_text('SITE_NAME = "Test site"\n')
    assert build_config(tmp_path)["SITE_NAME"] == "Test site"


def test_bad_environment_value_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MODERATION_LOGIN_MAX_FAILURES", "many")
    with pytest.raises(ConfigError, match="MODERATION_LOGIN_MAX_FAILURES must be a whole number"):
        build_config(tmp_path)


def test_mail_passwords_are_refused_in_instance_files(tmp_path):
    (tmp_path / "config.toml").write_text('smtp_password = "hunter2"\n')
    with pytest.raises(ConfigError, match="must come from the environment"):
        build_config(tmp_path)


def test_broken_toml_names_the_file(tmp_path):
    (tmp_path / "config.toml").write_text("this is = = not toml")
    with pytest.raises(ConfigError, match="config.toml is not valid TOML"):
        build_config(tmp_path)


def test_example_config_in_the_repository_is_valid(tmp_path):
    example = Path(__file__).parents[2] / "instance" / "config.example.toml"
    (tmp_path / "config.toml").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    config = build_config(tmp_path)
    assert config["SITE_TIMEZONE"] == "Asia/Shanghai"


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
