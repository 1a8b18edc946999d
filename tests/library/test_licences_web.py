"""The licence register's pages: list, record, edit, revoke, the agreement document."""

import io
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlmodel import select
from werkzeug.test import EnvironBuilder

from moderation.library import licences
from moderation.library.licences import MAX_DOCUMENT_BYTES
from moderation.models import (
    AuditEvent,
    Case,
    CaseTarget,
    Decision,
    Licence,
    Original,
    Publisher,
    RawDocument,
)
from moderation.plumbing.db import get_session, transaction

from ..conftest import PASSWORD, Auth, add_user, dispose, make_test_app

TODAY = date.today()


@pytest.fixture
def app(any_app):
    """Every test here runs on SQLite and on PostgreSQL."""
    return any_app


@pytest.fixture
def admin(client, app):
    Auth(client, app).login("boss@example.org", "admin")
    return client


def _publisher(app, name: str, aliases: tuple[str, ...] = ()) -> int:
    with app.app_context(), transaction() as session:
        publisher = Publisher(name=name, aliases=list(aliases))
        session.add(publisher)
        session.flush()
        return publisher.id


def _licence(app, publisher_id: int, **values) -> int:
    with app.app_context(), transaction() as session:
        publisher = session.get(Publisher, publisher_id)
        return licences.create(session, publisher=publisher, actor="test", values=values).id


def _get(app, model, key):
    with app.app_context():
        return get_session().get(model, key)


def _licences(app) -> list[Licence]:
    with app.app_context():
        return get_session().exec(select(Licence).order_by(Licence.id)).all()


def _form(**overrides) -> dict:
    data = {"publisher": "", "new_publisher": "", "kind": "licence", "excerpt_limit": "",
            "credit_wording": "", "valid_from": "", "valid_to": "", "reference": "",
            "notes": ""}
    data.update(overrides)
    return data


def test_admin_records_a_licence_with_its_agreement(admin, app):
    data = _form(new_publisher="  Reuters  ", kind="agreement", full_repost="y",
                 translation_allowed="y", credit_wording="来源:路透社", valid_from="2024-01-01",
                 valid_to="2030-12-31", reference="R-2024-7", notes="Signed in Hong Kong.",
                 document=(io.BytesIO(b"%PDF-1.7 signed"), "路透社 协议.pdf"))
    response = admin.post("/licences/new", data=data, content_type="multipart/form-data")
    [licence] = _licences(app)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/licences/{licence.id}"
    assert _get(app, Publisher, licence.publisher_id).name == "Reuters"
    assert (licence.kind, licence.full_repost, licence.translation_allowed) == (
        "agreement", True, True)
    assert (licence.valid_from, licence.valid_to) == (date(2024, 1, 1), date(2030, 12, 31))
    assert licence.credit_wording == "来源:路透社" and licence.reference == "R-2024-7"
    raw = _get(app, RawDocument, licence.document_id)
    assert raw.data == b"%PDF-1.7 signed" and raw.content_type == "application/pdf"
    assert licence.document_name == "路透社 协议.pdf"
    page = admin.get(f"/licences/{licence.id}").get_data(as_text=True)
    assert "Reuters" in page and "licence.create" in page and "boss@example.org" in page
    assert "来源:路透社" in page and "Signed in Hong Kong." in page


def test_a_new_publisher_name_that_is_known_reuses_the_publisher(admin, app):
    abc = _publisher(app, "ABC News", aliases=("美国广播公司",))
    admin.post("/licences/new", data=_form(new_publisher="美国广播公司", full_repost="y"))
    admin.post("/licences/new", data=_form(publisher=str(abc), excerpt_limit="500"))
    assert [lic.publisher_id for lic in _licences(app)] == [abc, abc]
    with app.app_context():
        assert len(get_session().exec(select(Publisher)).all()) == 1


def test_the_new_form_lists_publishers_and_can_preselect_one(admin, app):
    abc = _publisher(app, "ABC News")
    page = admin.get(f"/licences/new?publisher={abc}").get_data(as_text=True)
    assert f'<option selected value="{abc}">ABC News</option>' in page


@pytest.mark.parametrize(("overrides", "message"), [
    ({"new_publisher": "X", "valid_from": "2025-02-01", "valid_to": "2025-01-01"},
     "The licence ends before it starts; check the dates."),
    ({"new_publisher": "X", "excerpt_limit": "0"},
     "Give a number of characters above zero, or leave it empty."),
    ({"new_publisher": "X", "excerpt_limit": "many"}, "Not a valid integer value."),
    ({"new_publisher": "X", "valid_from": "31/01/2025"}, "Not a valid date value."),
    ({}, "Choose a publisher from the list, or give a new publisher's name (not both)."),
    ({"new_publisher": "X", "kind": "gift"}, "Not a valid choice."),
    ({"new_publisher": "X", "document": (b"<script>x</script>", "a.html")},
     "Upload a PDF, an image (PNG, JPEG, GIF, WebP, TIFF) or a text file."),
    ({"new_publisher": "X", "document": (b"", "empty.pdf")},
     "The uploaded file is empty."),
])
def test_bad_input_is_explained_in_the_form_and_nothing_is_saved(admin, app, overrides, message):
    if "document" in overrides:  # a fresh file for each backend's run: posting closes it
        content, name = overrides["document"]
        overrides = {**overrides, "document": (io.BytesIO(content), name)}
    response = admin.post("/licences/new", data=_form(**overrides),
                          content_type="multipart/form-data")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _licences(app) == []


def test_an_agreement_over_20_mb_is_refused(admin, app):
    big = io.BytesIO(b"%PDF" + b"0" * MAX_DOCUMENT_BYTES)
    # Built by hand so the body werkzeug spools to a temporary file is closed afterwards.
    request = EnvironBuilder(path="/licences/new", method="POST",
                             data=_form(new_publisher="X", document=(big, "big.pdf"))
                             ).get_request()
    try:
        response = admin.open(request)
    finally:
        request.environ["wsgi.input"].close()
    assert "The document is larger than 20 MB." in response.get_data(as_text=True)
    assert _licences(app) == []


def test_admin_edits_a_licence_and_the_change_is_in_its_history(admin, app):
    licence_id = _licence(app, _publisher(app, "ABC News"), excerpt_limit=300,
                          credit_wording="来源:ABC")
    page = admin.get(f"/licences/{licence_id}/edit").get_data(as_text=True)
    assert 'value="300"' in page and 'value="来源:ABC"' in page
    response = admin.post(f"/licences/{licence_id}/edit", content_type="multipart/form-data",
                          data=_form(excerpt_limit="800", credit_wording="来源:ABC News",
                                     document=(io.BytesIO(b"terms"), "terms.txt")))
    assert response.status_code == 302
    licence = _get(app, Licence, licence_id)
    assert licence.excerpt_limit == 800 and licence.credit_wording == "来源:ABC News"
    assert _get(app, RawDocument, licence.document_id).content_type == "text/plain"
    with app.app_context():
        event = get_session().exec(select(AuditEvent).where(
            AuditEvent.action == "licence.update")).one()
    assert event.actor == "boss@example.org" and event.object_id == str(licence_id)
    assert (event.before["excerpt_limit"], event.after["excerpt_limit"]) == (300, 800)
    detail = admin.get(f"/licences/{licence_id}").get_data(as_text=True)
    assert "Excerpts up to (characters): <code>300</code> → <code>800</code>" in detail


def test_revoking_needs_the_box_ticked_and_happens_once(admin, app):
    licence_id = _licence(app, _publisher(app, "ABC News"), full_repost=True)
    admin.post(f"/licences/{licence_id}/revoke", data={})
    assert _get(app, Licence, licence_id).revoked_at is None
    first = admin.post(f"/licences/{licence_id}/revoke", data={"confirm": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert _get(app, Licence, licence_id).revoked_at is not None
    assert "Licence revoked." in first and "licence.revoke" in first
    again = admin.post(f"/licences/{licence_id}/revoke", data={"confirm": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "The licence was already revoked." in again
    with app.app_context():
        assert len(get_session().exec(select(AuditEvent).where(
            AuditEvent.action == "licence.revoke")).all()) == 1


def test_reviewers_read_the_register_but_cannot_change_it(client, app):
    licence_id = _licence(app, _publisher(app, "ABC News"), full_repost=True)
    Auth(client, app).login()
    assert client.get("/licences/").status_code == 200
    assert client.get(f"/licences/{licence_id}").status_code == 200
    page = client.get(f"/licences/{licence_id}").get_data(as_text=True)
    assert "Revoke this licence" not in page and f"/licences/{licence_id}/edit" not in page
    assert client.get("/licences/new").status_code == 403
    assert client.post("/licences/new", data=_form(new_publisher="Sneaky")).status_code == 403
    assert client.post(f"/licences/{licence_id}/edit",
                       data=_form(excerpt_limit="5")).status_code == 403
    assert client.post(f"/licences/{licence_id}/revoke",
                       data={"confirm": "y"}).status_code == 403
    [licence] = _licences(app)
    assert licence.revoked_at is None and licence.excerpt_limit is None


def test_the_list_filters_by_publisher_and_status(admin, app):
    abc, bbc = _publisher(app, "ABC News"), _publisher(app, "BBC News")
    ids = {
        "active": _licence(app, abc, full_repost=True, reference="A-active"),
        "expired": _licence(app, abc, full_repost=True, reference="A-expired",
                            valid_to=TODAY - timedelta(days=1)),
        "future": _licence(app, bbc, excerpt_limit=400, reference="B-future",
                           valid_from=TODAY + timedelta(days=3)),
        "revoked": _licence(app, bbc, translation_allowed=True, reference="B-revoked"),
    }
    with app.app_context(), transaction() as session:
        licences.revoke(session, session.get(Licence, ids["revoked"]), actor="test")

    def shown(query: str) -> set[str]:
        page = admin.get(f"/licences/{query}").get_data(as_text=True)
        return {ref for ref in ("A-active", "A-expired", "B-future", "B-revoked") if ref in page}

    assert shown("") == {"A-active", "A-expired", "B-future", "B-revoked"}
    assert shown(f"?publisher={abc}") == {"A-active", "A-expired"}
    assert shown("?status=active") == {"A-active"}
    assert shown("?status=expired") == {"A-expired"}
    assert shown("?status=not_yet_valid") == {"B-future"}
    assert shown("?status=revoked") == {"B-revoked"}
    assert shown(f"?publisher={bbc}&status=active") == set()
    assert shown("?status=nonsense") == shown("")
    page = admin.get(f"/licences/?publisher={bbc}").get_data(as_text=True)
    assert "Excerpts up to 400 characters" in page and "Not yet valid" in page
    assert "Translations" in page and "Revoked" in page


def test_the_detail_shows_complaints_and_the_cases_it_settled(admin, app):
    abc = _publisher(app, "ABC News")
    licence_id = _licence(app, abc, full_repost=True)
    with app.app_context(), transaction() as session:
        original = Original(url="https://abc.example/o/1", title="O", text="t", publisher_id=abc)
        takedown = Case(kind="takedown", subject="Notice from ABC", status="resolved_removed")
        review_item = Case(kind="review", subject="Copy of ABC story", licence_id=licence_id,
                           status="resolved_kept")
        session.add_all([original, takedown, review_item])
        session.flush()
        session.add(CaseTarget(case_id=takedown.id, url="https://uscntv.com/a/1",
                               original_id=original.id, verdict="supported"))
        session.add(Decision(case_id=takedown.id, target_url="https://uscntv.com/a/1",
                             action="remove", reason_code="copyright"))
        item_id = review_item.id
    page = admin.get(f"/licences/{licence_id}").get_data(as_text=True)
    assert ("Takedown cases about their work: 1, still open: 0, pages removed on their "
            "notices: 1.") in page
    assert f'href="/cases/{item_id}"' in page and "Copy of ABC story" in page
    assert "Notice from ABC" not in page  # a complaint, not a case this licence settled


def test_the_agreement_downloads_as_an_attachment_never_inline(admin, app):
    abc = _publisher(app, "ABC News")
    html = b"<html><script>alert(1)</script></html>"
    admin.post("/licences/new", content_type="multipart/form-data", data=_form(
        publisher=str(abc), full_repost="y",
        document=(io.BytesIO(html), "folder/合同\x07 x;.txt", "text/html")))
    [licence] = _licences(app)
    response = admin.get(f"/licences/{licence.id}/document")
    assert response.status_code == 200 and response.data == html
    assert response.mimetype == "text/plain"  # the browser said text/html: not believed
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    # Folders and control characters gone; an ASCII stand-in, then the real name (RFC 5987).
    assert disposition == (
        "attachment; filename=\"__ x_.txt\"; filename*=UTF-8''" + quote("合同 x;.txt", safe=""))
    assert "\r" not in disposition and "\n" not in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_a_licence_without_a_document_has_none_to_download(admin, app):
    licence_id = _licence(app, _publisher(app, "ABC News"), full_repost=True)
    assert admin.get(f"/licences/{licence_id}/document").status_code == 404
    assert admin.get("/licences/999999").status_code == 404


def test_with_csrf_on_the_forms_carry_their_tokens(tmp_path, any_database_url):
    """The real forms, posted back with the tokens the pages gave."""
    app = make_test_app(tmp_path, any_database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()

    def token(page: str) -> str:
        return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]

    login = client.get("/login").get_data(as_text=True)
    add_user(app, "boss@example.org", "admin")
    client.post("/login", data={"email": "boss@example.org", "password": PASSWORD,
                                "csrf_token": token(login)})
    form = client.get("/licences/new").get_data(as_text=True)
    refused = client.post("/licences/new", data=_form(new_publisher="ABC News"))
    assert refused.status_code == 400
    made = client.post("/licences/new", data=_form(new_publisher="ABC News", full_repost="y",
                                                   csrf_token=token(form)))
    assert made.status_code == 302
    detail = client.get(made.headers["Location"]).get_data(as_text=True)
    revoked = client.post(made.headers["Location"] + "/revoke",
                          data={"confirm": "y", "csrf_token": token(detail)})
    assert revoked.status_code == 302
    with app.app_context():
        assert get_session().exec(select(Licence)).one().revoked_at is not None
    dispose(app)


def test_the_register_is_in_the_navigation(admin):
    page = admin.get("/originals/").get_data(as_text=True)
    assert '<a href="/licences/"' in page
    assert 'href="/licences/" aria-current="page"' in admin.get("/licences/").get_data(
        as_text=True)
