"""API tokens for the site's systems, and the webhook deliveries that tell the site of removals."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from ..accounts import tokens
from ..cases.webhook import WebhookSettings, deliver_pending
from ..models import ApiToken, WebhookDelivery
from ..plumbing import db, site_settings
from . import friendly


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


@click.group("tokens")
def tokens_group():
    """API tokens the site's systems use to read /api/removed.json."""


@tokens_group.command("create")
@click.argument("name")
@with_appcontext
@friendly
def tokens_create(name: str):
    """Create a token named after who uses it; it is printed once, on standard output."""
    db.upgrade(db.get_engine())
    try:
        with db.transaction() as session:
            token, plain = tokens.create_token(session, name=name, actor="cli")
    except tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    # Only the token goes to standard output, so scripts can capture it alone.
    click.echo(f"Created API token {token.id} ({token.name}). Copy it now: it is not stored "
               "and will not be shown again.", err=True)
    click.echo(plain)


@tokens_group.command("list")
@with_appcontext
@friendly
def tokens_list():
    """List tokens (never their values)."""
    db.check_connection(db.get_engine())
    rows = db.get_session().exec(select(ApiToken).order_by(ApiToken.id)).all()
    if not rows:
        click.echo("No API tokens.")
    for token in rows:
        state = "active" if token.active else "revoked"
        click.echo(f"{token.id}\t{token.name}\t{state}\tcreated {_when(token.created_at)}"
                   f"\tlast used {_when(token.last_used_at)}")


@tokens_group.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
@with_appcontext
@friendly
def tokens_revoke(token_id: int):
    """Stop a token working at once."""
    db.check_connection(db.get_engine())
    with db.transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise click.ClickException(f"there is no API token with id {token_id}")
        changed = tokens.revoke_token(session, token, actor="cli")
    if changed:
        click.echo(f"Revoked API token {token.id} ({token.name}).")
    else:
        click.echo(f"API token {token.id} ({token.name}) was already revoked.")


@click.group("webhooks")
def webhooks_group():
    """Events sent to the site's CMS (removals, restorations, credit fixes)."""


@webhooks_group.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Deliveries to try in this pass.")
@with_appcontext
@friendly
def webhooks_send(limit: int):
    """Deliver the events that are due now."""
    db.check_connection(db.get_engine())
    session = db.get_session()
    # The address may have been set on the admin settings page rather than in the environment.
    site_settings.apply(current_app, session)
    session.commit()
    settings = WebhookSettings.from_config(current_app.config)
    if settings is None:
        raise click.ClickException(
            "no webhook address is configured: set it on the settings page or as "
            "MODERATION_WEBHOOK_URL, with MODERATION_WEBHOOK_SECRET in the environment")
    report = deliver_pending(session, settings, limit=limit)
    click.echo(f"webhooks: {report.delivered} delivered, {report.waiting} waiting to retry, "
               f"{report.failed} failed")


@webhooks_group.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@with_appcontext
@friendly
def webhooks_list(limit: int):
    """Show the latest deliveries with their status."""
    db.check_connection(db.get_engine())
    rows = db.get_session().exec(
        select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    ).all()
    if not rows:
        click.echo("No webhook deliveries.")
    for row in rows:
        target = row.payload.get("article_url") or (f"article {row.article_id}"
                                                    if row.article_id else "-")
        line = (f"{row.id}\t{row.event}\t{row.status}\t{row.attempts} attempt(s)"
                f"\t{_when(row.created_at)}\t{target}")
        if row.status == "pending" and row.attempts:
            line += f"\tnext try {_when(row.next_attempt_at)}"
        if row.last_error and row.status != "delivered":
            line += f"\t{row.last_error}"
        click.echo(line)
