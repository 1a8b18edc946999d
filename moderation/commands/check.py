"""`moderation check FILE`: the pre-publication check of POST /api/check, on a file."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import provenance
from ..intake import MAX_PAGE_BYTES, decode_bytes, looks_binary
from ..plumbing import db
from ..plumbing.labels import KIND, label
from ..provenance import checking
from . import friendly

# The exit status says the risk, so a script can branch on it (errors exit 1, usage 2).
EXIT = {"ok": 0, "credit_needed": 3, "licence_needed": 4, "do_not_publish": 5}
KINDS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
         ".json": "json"}


def _read(path: str) -> tuple[str, str]:
    """The input's kind (text, html or json) and its decoded content."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
        name = _("standard input")
    else:
        file = Path(path)
        if file.suffix.lower() not in KINDS:
            raise click.ClickException(_("%(path)s: give a .txt, .html or .json file (or - "
                                         "for standard input)", path=path))
        with file.open("rb") as handle:  # one byte past the limit says it is too large
            data, name = handle.read(MAX_PAGE_BYTES + 1), path
    if len(data) > MAX_PAGE_BYTES:
        raise click.ClickException(_("%(name)s is larger than %(mb)s MB; no news page is that "
                                     "large", name=name, mb=MAX_PAGE_BYTES // 2**20))
    if looks_binary(data):
        raise click.ClickException(_("%(name)s is binary, not a text, HTML or JSON page",
                                     name=name))
    text = decode_bytes(data).text
    if path != "-":
        return KINDS[Path(path).suffix.lower()], text
    start = text.lstrip()[:1]  # standard input: JSON and HTML announce themselves
    return {"{": "json", "<": "html"}.get(start, "text"), text


def _fields(kind: str, content: str, url: str | None, title: str | None) -> dict:
    if kind != "json":
        return {kind: content, "url": url, "title": title}
    try:
        body = json.loads(content)
    except json.JSONDecodeError as exc:
        raise click.ClickException(_("the JSON cannot be read: %(error)s", error=exc)) from None
    if not isinstance(body, dict) or set(body) - {"text", "html", "url", "title"}:
        raise click.ClickException(_('the JSON must be an object like the API\'s: {"text" or '
                                     '"html", and optionally "url" and "title"}'))
    return {"text": body.get("text"), "html": body.get("html"),
            "url": url or body.get("url"), "title": title or body.get("title")}


RISK = {
    "ok": _l("ok: nothing stands in the way of publishing"),
    "credit_needed": _l("credit needed: add the credit line before publishing"),
    "licence_needed": _l("licence needed: a substantial copy with no licence on record"),
    "do_not_publish": _l("do not publish: its publisher has complained before and no licence "
                         "covers it"),
}
WHY = {
    "no_match": _l("No original known to the desk matches this text."),
    "licensed": _l("%(publisher)s: a licence covers this use."),
    "licence_credit_missing": _l("%(publisher)s: a licence covers this use but requires its "
                                 "credit wording, which the text lacks."),
    "complained_publisher": _l("%(publisher)s has complained about copies before and no "
                               "licence covers this use."),
    "substantial_copy": _l("%(publisher)s: %(share)s of the original, copied or translated "
                           "without a licence; a credit is not enough."),
    "uncredited": _l("%(publisher)s: the text takes %(share)s of this original without "
                     "crediting it."),
    "credited": _l("%(publisher)s: credited; %(share)s of the original."),
    "possible_rewrite": _l("%(publisher)s: possibly a rewrite of %(share)s of this original, "
                           "on too little evidence to be sure; compare them before "
                           "publishing."),
}


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"


def _summary(result: dict) -> str:
    lines = [_("Risk: %(risk)s", risk=result["risk"]), f"  {RISK[result['risk']]}"]
    if result["credit_line"]:
        lines.append(_("Add this credit:"))
        lines += [f"  {line}" for line in result["credit_line"].splitlines()]
    by_url = {item["url"]: item for item in result["originals"]}
    for number, item in enumerate(result["originals"], start=1):
        licence = item["licence"]
        score, share = format(item["score"], ".2f"), _percent(item["original_coverage"])
        lines.append(_("%(number)s. %(publisher)s: %(kind)s, score %(score)s, %(share)s of the "
                       "original", number=number, publisher=item["publisher"],
                       kind=label(KIND, "possible_rewrite" if item.get("possible") else
                                  item["kind"]), score=score, share=share))
        lines.append("   " + "; ".join([
            _("credited") if item["credited"] else _("not credited"),
            _("licence #%(id)s", id=licence["id"]) if licence else _("no licence"),
            _("%(strikes)s removed, %(open)s open takedown cases",
              strikes=item["complaints"]["strikes"], open=item["complaints"]["open_cases"])]))
        lines.append(f"   {item['url']}")
    lines.append(_("Why:"))
    for reason in result["reasons"]:
        item = by_url.get(reason["original_url"]) or {}
        share = _percent(item.get("original_coverage", 0))
        lines.append("  - " + str(WHY[reason["code"]]) % {"publisher": item.get("publisher"),
                                                          "share": share})
    return "\n".join(lines)


@click.command("check")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A short summary, or the API's JSON.")
@click.option("--url", default=None, help="Where the page is or will be published.")
@click.option("--title", default=None, help="The headline (else a text's first line).")
@click.pass_context
@with_appcontext
@friendly
def check_command(ctx, file, fmt, url, title):
    """Before publishing: the likely originals of FILE (.txt, .html, .json or - for standard
    input), their licence and complaints, the risk and the credit line to add.

    Exit status: 0 ok, 3 credit needed, 4 licence needed, 5 do not publish; 1 when FILE
    cannot be checked.
    """
    kind, content = _read(file)
    fields = _fields(kind, content, url, title)
    db.upgrade(db.get_engine())
    session = db.get_session()
    index = provenance.get_index()
    provenance.reconcile(session, index)  # as `moderation match` does: no stale index
    try:
        result = checking.check(session, index, **fields)
    except checking.CheckError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(_summary(result))
    ctx.exit(EXIT[result["risk"]])
