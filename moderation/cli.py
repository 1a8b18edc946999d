"""The `moderation` command: a Flask CLI group over create_app (also `flask --app moderation`).

Start-up is kept short (`moderation --help` and `moderation check FILE` in well under half a
second): the group knows its commands' names and one-line help without importing them, imports
a command's module only when that command runs, and builds the app without its web pages for
the commands that never serve or render a page.
"""

import importlib
import sys

import click
from flask.cli import FlaskGroup

from .plumbing.config import ConfigError

# name: (modules to import, attribute, one-line help). `mail purge` lives in commands.data.
COMMANDS = {
    "articles": ((".commands.library", ".commands.site"), "articles_group",
                 "Our articles (pages of the site)."),
    "audit": ((".commands.setup",), "audit_group", "The audit log."),
    "backup": ((".commands.data",), "backup_command",
               "Back up the database and stored reports into one archive, while the desk runs."),
    "check": ((".commands.check",), "check_command",
              "Before publishing: the likely originals of FILE (.txt, .html, .json or - for "
              "standard input), their licence and complaints, the risk and the credit line to "
              "add."),
    "doctor": ((".plumbing.doctor",), "doctor_command", "Check the configuration and say what is wrong."),
    "feedback": ((".commands.feedback",), "feedback_group",
                 "Reviewers' verdicts on article-original pairs (confirmed or rejected matches)."),
    "init-db": ((".commands.setup",), "init_db_command",
                "Create or upgrade the database schema (never loads demo data)."),
    "mail": ((".commands.mail", ".commands.data"), "mail_group",
             "Mail received at the contact mailbox."),
    "match": ((".commands.matching",), "match_command",
              "Compute provenance: which originals each article was taken from."),
    "notices": ((".commands.mail",), "notices_group", "Notices read from received mail."),
    "originals": ((".commands.library",), "originals_group",
                  "Publishers' originals that our articles may copy."),
    "photos": ((".commands.photos",), "photos_group",
               "Photos: agencies' originals, and the pictures on our pages."),
    "report": ((".commands.reports", ".commands.photos"), "report_group",
               "Reports for editors, managers and regulators."),
    "restore": ((".commands.data",), "restore_command",
                "Replace the database with a backup's; stop the web app and mail fetcher first."),
    "review": ((".commands.matching",), "review_group", "Review items raised from provenance."),
    "run": ((".commands.setup",), "run_command",
            "Run the web app; a first run on a fresh instance creates the database and demo data."),
    "tokens": ((".commands.tokens",), "tokens_group",
               "API tokens the site's systems use to read /api/removed.json."),
    "users": ((".commands.setup",), "users_group", "Manage staff accounts."),
    "webhooks": ((".commands.tokens",), "webhooks_group",
                 "Events sent to the site's CMS (removals, restorations, credit fixes)."),
}
# Commands that only read and write the database: their app needs no web pages.
WITHOUT_PAGES = {"check", "match", "review"}
_wanted = {"pages": True}


def _create_app(*_args):
    from . import create_app

    try:
        return create_app(pages=_wanted["pages"])
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


def load_command(name: str) -> click.Command:
    """The command called `name`, importing only the modules that define it."""
    modules, attribute, _help = COMMANDS[name]
    found = [importlib.import_module(module, __package__) for module in modules]
    return getattr(found[0], attribute)


class DeskGroup(FlaskGroup):
    """FlaskGroup whose commands are imported on use, and whose app is built only to run one."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def format_commands(self, ctx, formatter):
        """`moderation --help` lists the commands from the table: nothing imported, no app."""
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [(name, click.Command(name, short_help=COMMANDS[name][2]).get_short_help_str(limit))
                for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        _wanted["pages"] = name not in WITHOUT_PAGES
        return load_command(name)


main = DeskGroup(
    name="moderation", create_app=_create_app, add_default_commands=False,
    add_version_option=False, load_dotenv=False, set_debug_flag=False,
    help="The moderation desk: provenance, takedown requests, reviews and reports.",
)
