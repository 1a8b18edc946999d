"""Configuration: defaults, then instance/config.toml (or .py), then MODERATION_* environment."""

import os
import secrets
import tomllib
from pathlib import Path

# The desk's version, written into backups (moderation.__version__ repeats it).
VERSION = "0.1.0"
ENV_PREFIX = "MODERATION_"

DEFAULTS: dict[str, object] = {
    # Empty means "SQLite file moderation.db in the instance folder".
    "DATABASE_URL": "",
    "SECRET_KEY": "",
    "SITE_NAME": "美国新闻网",
    "SITE_DOMAINS": ["uscntv.com", "www.uscntv.com"],
    # The law our site answers to (US, EU or CN): a letter that names none is checked against
    # its elements, so an informal "take it down" gets the reply listing what is missing.
    # Empty: such a letter needs only a contact, the work and our page.
    "HOME_JURISDICTION": "US",
    "DEFAULT_LOCALE": "zh_Hans",
    "DEFAULT_TIMEZONE": "Asia/Shanghai",
    "SITE_TIMEZONE": "Asia/Shanghai",
    # Empty means "Maildir folder mail/ in the instance folder".
    "MAILDIR": "",
    "IMAP_HOST": "",
    "IMAP_PORT": 993,
    "IMAP_SECURITY": "ssl",
    "IMAP_USER": "",
    "IMAP_PASSWORD": "",
    "IMAP_FOLDER": "INBOX",
    "IMAP_PROCESSED_FOLDER": "",
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_SECURITY": "starttls",
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "MAIL_FROM": "desk@localhost",
    # Messages read per pass of `mail fetch`: a long backlog is read over several passes, so
    # that replies, put-backs and webhooks between them are not held up.
    "MAIL_PASS_LIMIT": 1000,
    # Fetch a notice's claimed originals from the web when they are not in the corpus.
    "FETCH_CLAIMED_ORIGINALS": False,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_FAILURE_WINDOW_SECONDS": 60,
    "SESSION_HOURS": 12,
    # A signed-in session also ends after this long without a request.
    "SESSION_IDLE_MINUTES": 120,
    "SESSION_COOKIE_SECURE": False,
    # Settings saved on the admin pages reach the other web workers within this many seconds.
    "SETTINGS_MAX_AGE_SECONDS": 2,
    "LOG_JSON": False,
    # Behind one reverse proxy: trust its X-Forwarded-For and X-Forwarded-Proto.
    "PROXY_FIX": False,
    # Where removals and restorations are POSTed for the site's CMS; empty means nowhere.
    "WEBHOOK_URL": "",
    "WEBHOOK_SECRET": "",
    # Who receives the reports `moderation report ...` generates (comma-separated); empty: nobody.
    "REPORT_RECIPIENTS": [],
    # Days after which `moderation mail purge` drops the raw bytes of mail whose case is closed;
    # 0 keeps raw mail forever.
    "RAW_MAIL_RETENTION_DAYS": 0,
    # Review items (review.py): matches scoring below this are raised as uncertain.
    "REVIEW_UNCERTAIN_BELOW": 0.45,
    "REVIEW_DUE_HOURS": 168,
    # POST /api/check: calls allowed per token per minute, and the largest body accepted.
    "API_CHECK_PER_MINUTE": 120,
    "API_CHECK_MAX_BYTES": 2 * 1024 * 1024,
    # Redis for rate limits shared by every host (e.g. redis://127.0.0.1:6379/0); empty: the
    # workers of one host share them through files in the instance folder (ratelimit.py).
    "REDIS_URL": "",
    # Following our own site (`moderation articles fetch|feed|sitemap`): seconds between two
    # requests to it (robots.txt's Crawl-delay wins when longer), and the contact address the
    # crawler's User-Agent names so the site's admins know whom to ask.
    "SITE_FETCH_DELAY": 0.5,
    "SITE_CRAWLER_CONTACT": "",
}

# Keys that may only come from the environment, never from a committed file.
SECRET_KEYS = {"IMAP_PASSWORD", "SMTP_PASSWORD", "WEBHOOK_SECRET"}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


def _coerce(key: str, raw: str, default: object) -> object:
    """Read an environment string as the type of the default value."""
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{ENV_PREFIX}{key} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a whole number, not {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a number, not {raw!r}") from None
    if isinstance(default, list):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def read_file_config(instance_path: Path) -> dict[str, object]:
    """Settings from instance/config.toml (preferred) or instance/config.py."""
    toml_path = instance_path / "config.toml"
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{toml_path} is not valid TOML: {exc}") from None
        return {key.upper(): value for key, value in data.items()}
    py_path = instance_path / "config.py"
    if py_path.exists():
        namespace: dict[str, object] = {}
        code = compile(py_path.read_text(encoding="utf-8"), str(py_path), "exec")
        # The operator's own Python settings file, run on purpose (as Flask's from_pyfile does).
        exec(code, namespace)  # noqa: S102  # nosec B102
        return {key: value for key, value in namespace.items() if key.isupper()}
    return {}


def read_env_config(environ: dict[str, str] | None = None) -> dict[str, object]:
    """Settings from MODERATION_* environment variables, typed like their defaults."""
    environ = os.environ if environ is None else environ
    settings: dict[str, object] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == f"{ENV_PREFIX}INSTANCE_PATH":
            continue
        key = name[len(ENV_PREFIX):]
        settings[key] = _coerce(key, raw, DEFAULTS.get(key, ""))
    return settings


def load_secret_key(instance_path: Path) -> str:
    """Read the instance secret, creating it (mode 0600) on first run."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def build_config(instance_path: Path, test_config: dict | None = None) -> dict[str, object]:
    """Merge defaults, the instance file, the environment and test overrides."""
    config: dict[str, object] = dict(DEFAULTS)
    file_config = read_file_config(instance_path)
    leaked = SECRET_KEYS & {k for k, v in file_config.items() if v}
    if leaked:
        raise ConfigError(
            f"{', '.join(sorted(leaked))} must come from the environment "
            f"({ENV_PREFIX}...), not from a file in the instance folder"
        )
    config.update(file_config)
    config.update(read_env_config())
    if test_config:
        config.update(test_config)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'moderation.db'}"
    if not config["MAILDIR"]:
        config["MAILDIR"] = str(instance_path / "mail")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = load_secret_key(instance_path)
    home = str(config.get("HOME_JURISDICTION") or "").strip().upper()
    if home not in ("", "US", "EU", "CN"):
        raise ConfigError(f"HOME_JURISDICTION must be US, EU, CN or empty, not {home!r}.")
    config["HOME_JURISDICTION"] = home or None
    if isinstance(config["SITE_DOMAINS"], str):
        config["SITE_DOMAINS"] = [d.strip() for d in str(config["SITE_DOMAINS"]).split(",") if d]
    return config
