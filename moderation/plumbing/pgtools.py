"""pg_dump and pg_restore, run on the desk's PostgreSQL database without showing its password.

Only these two tools are run, found on PATH and given argument lists (no shell).
The password goes to the tools in PGPASSWORD, not on the command line (where `ps` shows it),
and errors quote the database without it.
"""

import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from .db import describe_url


class ToolError(RuntimeError):
    """A PostgreSQL client tool is missing or failed; the message says which and why."""


def find(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ToolError(
            f"{tool} was not found on PATH; install the PostgreSQL client tools of the server's "
            "major version (Debian: apt-get install postgresql-client)")
    return path


def conninfo(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries the password."""
    parsed = make_url(url)
    query = {k: v for k, v in parsed.query.items() if k not in {"client_encoding"}}
    bare = URL.create("postgresql", username=parsed.username, host=parsed.host,
                      port=parsed.port, database=parsed.database, query=query)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return bare.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str, url: str) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # nosec B603
    except OSError as exc:
        raise ToolError(f"{Path(args[0]).name} could not be started: {exc}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        detail = "; ".join(lines[-3:]) or f"exit status {done.returncode}"
        raise ToolError(f"{what} failed for {describe_url(url)}: {detail}")
    return done.stdout


def dump(url: str, target: Path) -> None:
    """pg_dump the whole database in its custom (compressed, selective) format."""
    dsn, env = conninfo(url)
    _run([find("pg_dump"), "--format=custom", "--no-password", f"--file={target}",
          f"--dbname={dsn}"], env, "pg_dump", url)


def check(source: Path) -> int:
    """Read a custom-format dump's table of contents; the number of entries, or ToolError."""
    try:
        args = [find("pg_restore"), "--list", str(source)]
        done = subprocess.run(args, capture_output=True, text=True, check=False)  # nosec B603
    except OSError as exc:
        raise ToolError(f"pg_restore could not be started: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise ToolError(f"{source.name} is not a readable PostgreSQL dump: {detail[0]}")
    return sum(1 for line in done.stdout.splitlines() if line and not line.startswith(";"))


def restore(url: str, source: Path) -> None:
    """Replace the database's objects with the dump's, all or nothing."""
    dsn, env = conninfo(url)
    _run([find("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={dsn}", str(source)],
         env, "pg_restore", url)
