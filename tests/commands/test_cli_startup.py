"""`moderation --help` and `moderation check FILE` start without importing what they never use."""

import json
import os
import subprocess  # nosec B404 - runs this test's own interpreter
import sys

from moderation.cli import COMMANDS, load_command

HEAVY = ("moderation.web", "sqlalchemy", "trafilatura", "feedparser", "httpx", "numpy",
         "jieba")


def _run(code: str, cwd, env_extra: dict | None = None) -> tuple[str, dict]:
    env = {**os.environ, **(env_extra or {})}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,  # nosec B603
                          text=True, timeout=120, check=False)
    output, _, last = done.stdout.rpartition("\n@@")
    return output, json.loads(last)


PROBE = """
import json, sys
from moderation.cli import main
try:
    main({args!r})
except SystemExit as exc:
    code = exc.code
print("\\n@@" + json.dumps({{"code": code, "loaded": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def test_help_lists_every_command_without_importing_the_app(tmp_path):
    output, result = _run(PROBE.format(args=["--help"], heavy=HEAVY), tmp_path)
    assert result["code"] == 0
    for name in COMMANDS:
        assert f"  {name} " in output
    assert "Compute provenance" in output
    assert result["loaded"] == []


def test_the_table_agrees_with_the_commands_themselves(app):
    assert set(COMMANDS) == set(app.cli.commands)
    for name, (_modules, _attribute, short_help) in COMMANDS.items():
        command = load_command(name)
        assert command is app.cli.commands[name]
        assert command.get_short_help_str(limit=500) == short_help


def test_mail_purge_is_there_when_mail_is_loaded():
    assert "purge" in load_command("mail").commands


def test_check_of_a_text_file_needs_no_web_pages_nor_page_fetching(tmp_path):
    (tmp_path / "draft.txt").write_text("今天天气很好，我们去公园散步，然后回家吃饭。", encoding="utf-8")
    output, result = _run(PROBE.format(args=["check", "draft.txt"], heavy=HEAVY), tmp_path,
                          {"MODERATION_INSTANCE_PATH": str(tmp_path / "instance")})
    assert result["code"] == 0, output
    assert "ok" in output
    # The check matches text (numpy) against the database (sqlalchemy), nothing more.
    assert set(result["loaded"]) == {"sqlalchemy", "numpy"}


def test_an_unknown_command_is_a_usage_error(tmp_path):
    _output, result = _run(PROBE.format(args=["nonsense"], heavy=HEAVY), tmp_path)
    assert result["code"] == 2
