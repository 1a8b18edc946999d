"""Setting up and looking after the desk: database, accounts, audit log, the web app."""

import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .. import accounts
from ..plumbing import audit, db
from . import friendly


@click.command("init-db")
@with_appcontext
@friendly
def init_db_command():
    """Create or upgrade the database schema (never loads demo data)."""
    engine = db.get_engine()
    db.upgrade(engine)
    click.echo(
        _("Database ready: %(url)s", url=db.describe_url(current_app.config["DATABASE_URL"]))
    )


@click.group("users")
def users_group():
    """Manage staff accounts."""


@users_group.command("create")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
@friendly
def users_create(email: str, role: str, password_stdin: bool):
    """Add a member of staff (password of at least 12 characters)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db.upgrade(db.get_engine())
    with db.transaction() as session:
        user = accounts.create_user(
            session=session, email=email, password=password, role=role, actor="cli"
        )
    click.echo(_("Created %(role)s %(email)s.", role=user.role, email=user.email))


@users_group.command("list")
@with_appcontext
@friendly
def users_list():
    """List staff accounts."""
    from sqlmodel import select

    from ..models import User

    db.check_connection(db.get_engine())
    for user in db.get_session().exec(select(User).order_by(User.email)):
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.role}\t{state}")


@click.group("audit")
def audit_group():
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
@friendly
def audit_verify():
    """Check the audit log's hash chain; exit 1 naming the first bad row."""
    db.check_connection(db.get_engine())
    report = audit.verify(db.get_session())
    if report.ok:
        click.echo(_("Audit log intact: %(n)s events checked.", n=report.checked))
        return
    click.echo(
        _(
            "Audit log broken at event id %(id)s: %(problem)s (%(n)s events read).",
            id=report.first_bad_id,
            problem=report.problem,
            n=report.checked,
        ),
        err=True,
    )
    sys.exit(1)


def prepare_first_run(app: Flask) -> str | None:
    """Create the schema if missing; on a fresh database add an admin and the demo.

    Returns the generated admin password when it created one, so it is shown once.
    """
    from .. import demo

    engine = db.get_engine(app)
    db.check_connection(engine)
    fresh = not db.schema_exists(engine)
    db.upgrade(engine)
    if not fresh:
        return None
    password = secrets.token_urlsafe(12)
    with app.app_context(), db.transaction() as session:
        accounts.create_user(
            session=session,
            email="admin@localhost",
            password=password,
            role="admin",
            actor="first-run",
        )
    demo.load(app)
    return password


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
@friendly
def run_command(host: str, port: int):
    """Run the web app; a first run on a fresh instance creates the database and demo data."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    password = prepare_first_run(app)
    click.echo(_("Database: %(url)s", url=db.describe_url(app.config["DATABASE_URL"])))
    if password:
        click.echo(_("First run: database created and demo data loaded."))
        click.echo(_("Sign in as admin@localhost with the password (shown only this once):"))
        click.echo(f"    {password}")
    click.echo(
        _("The moderation desk is at %(url)s  (Ctrl+C stops it)", url=f"http://{host}:{port}/")
    )
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
