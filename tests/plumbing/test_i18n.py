"""Chinese and English interface: catalogues complete, templates marked, pages translated."""

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from moderation.web.filters import local_time, time_left

from ..conftest import Auth, add_user
from ..web.test_routes import MATRIX

ROOT = Path(__file__).parents[2]
TRANSLATIONS = ROOT / "moderation" / "translations"
PO = TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "moderation" / "templates"


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_chinese_catalogue_has_no_untranslated_or_fuzzy_entries():
    problems = []
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            problems.append(message.id)
    assert problems == []


def test_compiled_catalogue_matches_the_po_file():
    def table(catalog):
        as_key = lambda value: value if isinstance(value, str) else tuple(value)  # noqa: E731
        return {as_key(m.id): as_key(m.string) for m in catalog if m.id}

    with (PO.with_suffix(".mo")).open("rb") as handle:
        compiled = table(read_mo(handle))
    source = table(_catalog())
    assert compiled == source, "run: pybabel compile -d moderation/translations"


def test_catalogue_holds_every_marked_string(tmp_path):
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    known = {m.id for m in _catalog() if m.id}
    assert extracted - known == set(), "run the pybabel extract/update steps in the README"


# Text outside Jinja expressions that a person would read: tag content and these attributes.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_READABLE_ATTRS = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
_WORDS = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]")


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_template_text_is_marked_for_translation(template):
    source = _JINJA.sub(" ", template.read_text(encoding="utf-8"))
    readable = [m.group(1) for m in _READABLE_ATTRS.finditer(source)]
    body = re.sub(r"<[^>]*>", " ", source)
    readable += [chunk.strip() for chunk in body.split("\n") if chunk.strip()]
    unmarked = [text for text in readable if _WORDS.search(text)]
    assert unmarked == [], f"wrap these in {{{{ _('...') }}}}: {unmarked}"


def _visible_text(html: str) -> str:
    tree = HTMLParser(html)
    # Left out: data (code, texts, e-mail), and choices named in their own language or zone.
    for node in tree.css("script, style, code, select, textarea, .prose, .usermenu, .langswitch"):
        node.decompose()
    return " ".join(tree.body.text(separator=" ").split()) if tree.body else ""


def _english_phrases() -> set[str]:
    """Catalogue strings whose Chinese differs: seeing them in a Chinese page means a gap."""
    phrases = set()
    for message in _catalog():
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.string != message.id and len(message.id) > 3:
            phrases.add(message.id)
    return phrases


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_every_page_renders_in_both_languages(app, objects, locale):
    phrases = _english_phrases()
    client = app.test_client()
    Auth(client, app).login("admin@example.org", "admin")
    client.post("/language", data={"locale": locale})
    user_id = add_user(app, "subject@example.org")
    for endpoint, (method, path, expected) in MATRIX.items():
        if method != "GET" or expected["admin"] != 200 or endpoint.startswith("health."):
            continue
        response = client.get(path.format(user=user_id, **objects))
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue  # machine documents (the API description) are not interface pages
        html = response.get_data(as_text=True)
        lang = "zh-Hans" if locale == "zh_Hans" else "en"
        assert f'<html lang="{lang}">' in html
        if locale == "zh_Hans":
            text = _visible_text(html)
            leftovers = sorted(p for p in phrases if re.search(rf"\b{re.escape(p)}\b", text))
            assert leftovers == [], f"{path} shows untranslated text: {leftovers}"
            assert "审核台" in text


def test_sign_in_page_follows_the_browser_language(client):
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    english = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.8"})
    assert "登录" in chinese.get_data(as_text=True)
    assert "Sign in" in english.get_data(as_text=True)


def test_site_default_applies_without_a_browser_preference(tmp_path, database_url):
    from ..conftest import make_test_app

    app = make_test_app(tmp_path, database_url, DEFAULT_LOCALE="zh_Hans")
    assert "登录" in app.test_client().get("/login").get_data(as_text=True)


def test_user_choice_beats_the_browser(client, auth, app):
    auth.login()
    client.post("/account/", data={"prefs-locale": "zh_Hans", "prefs-timezone": "Asia/Shanghai",
                                   "prefs-submit": "Save"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "队列" in page


def test_language_switch_remembers_the_choice_for_the_user(client, auth, app):
    auth.login()
    response = client.post("/language", data={"locale": "zh_Hans", "next": "/reports/"})
    assert response.headers["Location"] == "/reports/"
    other = app.test_client()
    other.post("/login", data={"email": "reviewer@example.org",
                               "password": "correct horse battery staple"})
    assert "报告" in other.get("/reports/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switch_refuses_a_foreign_next(client):
    response = client.post("/language", data={"locale": "en", "next": "//evil.com"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("zone", "utc", "shown"),
    [
        # New York leaves daylight time on 2021-11-07 at 02:00 local (06:00 UTC).
        ("America/New_York", datetime(2021, 11, 7, 5, 59, tzinfo=UTC), "2021-11-07 01:59 GMT-04:00"),
        ("America/New_York", datetime(2021, 11, 7, 6, 1, tzinfo=UTC), "2021-11-07 01:01 GMT-05:00"),
        # Across the date line: the same instant is a different day in Auckland and Samoa.
        ("Pacific/Auckland", datetime(2021, 12, 31, 12, 0, tzinfo=UTC), "2022-01-01 01:00 GMT+13:00"),
        ("Pacific/Pago_Pago", datetime(2021, 12, 31, 12, 0, tzinfo=UTC), "2021-12-31 01:00 GMT-11:00"),
        ("Asia/Shanghai", datetime(2021, 12, 31, 5, 55, tzinfo=UTC), "2021-12-31 13:55 GMT+08:00"),
    ],
)
def test_times_are_shown_in_the_readers_zone(app, zone, utc, shown):
    app.config["DEFAULT_TIMEZONE"] = zone
    with app.test_request_context("/"):
        assert local_time(utc) == shown


def test_time_left_reads_naturally_in_both_languages(app):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with app.test_request_context("/"):
        with force_locale("en"):
            assert time_left(now + timedelta(hours=2, minutes=10), now) == "2 h 10 min left"
            assert time_left(now + timedelta(days=3, hours=1), now) == "3 d 1 h left"
            assert time_left(now - timedelta(minutes=45), now) == "overdue by 45 min"
        with force_locale("zh_Hans"):
            assert time_left(now + timedelta(hours=2, minutes=10), now) == "剩余 2 小时 10 分钟"
            assert time_left(now - timedelta(hours=5), now) == "已超时 5 小时"


def test_the_page_catalogue_follows_every_change_of_language_within_a_request(app):
    """Templates and labels translate through a catalogue found once per page; it must still
    follow force_locale (replies drafted in the claimant's language) and refresh()."""
    from flask import render_template_string
    from flask_babel import refresh

    from moderation.plumbing import i18n
    from moderation.plumbing.labels import STATUS, label

    page = "{{ _('Queue') }}|{{ _('Case %(id)s', id='<b>') }}"
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert i18n.translations() is i18n.translations()
        assert render_template_string(page) == "队列|案件 &lt;b&gt;"
        assert label(STATUS, "open") == "未结"
        with force_locale("en"):
            assert render_template_string(page) == "Queue|Case &lt;b&gt;"
            assert label(STATUS, "open") == "Open"
        assert render_template_string(page) == "队列|案件 &lt;b&gt;"
        assert label(STATUS, "open") == "未结" and label(STATUS, "no_such_code") == "no_such_code"
        app.config["DEFAULT_LOCALE"] = "en"
    with app.test_request_context("/"):
        assert render_template_string(page) == "Queue|Case &lt;b&gt;"
        from flask import session
        session["locale"] = "zh_Hans"
        refresh()
        assert render_template_string(page) == "队列|案件 &lt;b&gt;"
