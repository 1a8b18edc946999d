"""Review items: raised from provenance with their reasons; each decision has its effect."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from moderation import demo, provenance
from moderation.cases.decisions import DecisionError
from moderation.library import licences
from moderation.models import (
    Article,
    AuditEvent,
    Case,
    CaseTarget,
    Decision,
    Licence,
    MatchFeedback,
    Original,
    Provenance,
    Publisher,
    WebhookDelivery,
)
from moderation.plumbing.db import get_session, transaction
from moderation.provenance import review
from moderation.provenance.review_decisions import decide_review

from ..conftest import add_user

BBC = Path(__file__).parents[1] / "fixtures" / "matching" / "bbc" / "articles"


@pytest.fixture
def app(any_app):
    """Every test here runs on SQLite and on PostgreSQL."""
    return any_app


def _bbc(name: str) -> tuple[str, str]:
    title, _, body = (BBC / name).read_text(encoding="utf-8").partition("\n")
    return title.strip(), body.strip()


def _publisher(session, name: str) -> Publisher:
    found = session.exec(select(Publisher).where(Publisher.name == name)).first()
    if found is None:
        found = Publisher(name=name)
        session.add(found)
        session.flush()
    return found


def _original(session, name: str, publisher: str = "BBC News") -> Original:
    title, body = _bbc(name)
    original = Original(url=f"https://www.bbc.co.uk/news/{name}", title=title, text=body,
                        language="en", publisher_id=_publisher(session, publisher).id)
    session.add(original)
    session.flush()
    return original


def _article(session, slug: str, text: str, *, source: str | None = None) -> Article:
    article = Article(url=f"https://uscntv.com/{slug}.html", title=slug, claimed_source=source,
                      segments=[{"language": "en", "text": text}])
    session.add(article)
    session.flush()
    return article


def _match(app, ids=None) -> dict:
    with app.app_context():
        session = get_session()
        index = provenance.get_index(app)
        provenance.reconcile(session, index)
        return provenance.match_articles(session, index, ids)


def _items(app) -> list[Case]:
    with app.app_context():
        return list(get_session().exec(select(Case).where(Case.kind == "review")
                                       .order_by(Case.id)).all())


def _codes(case: Case) -> set[str]:
    return {r["code"] for r in case.reasons}


def test_the_uncredited_demo_copy_is_raised_once_with_its_reason(app):
    demo.load(app, with_mail=False)
    [item] = _items(app)
    assert _codes(item) == {"uncredited"}
    assert item.reasons[0]["publisher"] == "ABC News"
    assert item.status == "new" and item.due_at is not None and item.priority == 1
    with app.app_context():
        [target] = get_session().exec(select(CaseTarget).where(CaseTarget.case_id == item.id)).all()
        assert target.article_id is not None and target.kind in ("verbatim", "translation")
        events = get_session().exec(select(AuditEvent.action).where(
            AuditEvent.object_id == str(item.id), AuditEvent.object_type == "case")).all()
    assert "review.raise" in events
    _match(app)  # matching again refreshes, never doubles
    assert len(_items(app)) == 1


def test_credited_and_combined_copies_get_the_right_reasons(app):
    with app.app_context(), transaction() as session:
        first, second = _original(session, "business-014.txt"), _original(session, "tech-070.txt")
        _, one = _bbc("business-014.txt")
        _, two = _bbc("tech-070.txt")
        credited = _article(session, "credited", one + "\n\nSource: BBC News")
        combined = _article(session, "combined", one + "\n\n" + two)
        ids = [credited.id, combined.id]
        first_id, second_id = first.id, second.id
    _match(app, ids)
    items = _items(app)
    assert len(items) == 1, [i.reasons for i in items]  # the credited copy raises nothing
    assert _codes(items[0]) == {"uncredited", "combined"}
    combined_reason = next(r for r in items[0].reasons if r["code"] == "combined")
    assert combined_reason["originals"] == sorted([first_id, second_id])


def test_an_article_combining_credited_confident_copies_is_raised_naming_its_best_match(app):
    # Its only reason is "combined": no reason names an original, the item still gets a page.
    with app.app_context(), transaction() as session:
        _original(session, "business-014.txt")
        _original(session, "tech-070.txt")
        _, one = _bbc("business-014.txt")
        _, two = _bbc("tech-070.txt")
        article = _article(session, "both-credited", one + "\n\n" + two + "\n\nSource: BBC News")
        article_id = article.id
    _match(app, [article_id])
    [item] = _items(app)
    assert _codes(item) == {"combined"}
    with app.app_context():
        [target] = get_session().exec(select(CaseTarget).where(CaseTarget.case_id == item.id)).all()
        assert target.article_id == article_id
        assert target.original_id in next(r["originals"] for r in item.reasons)


def test_a_licensed_publishers_copies_raise_nothing(app):
    with app.app_context(), transaction() as session:
        _original(session, "business-014.txt", publisher="Licensed Wire")
        publisher = _publisher(session, "Licensed Wire")
        licences.create(session, publisher=publisher, actor="test",
                        values={"kind": "licence", "full_repost": True,
                                "valid_from": date(2000, 1, 1)})
        article_id = _article(session, "licensed", _bbc("business-014.txt")[1]).id
    _match(app, [article_id])
    assert _items(app) == []


def test_an_expired_or_too_small_licence_does_not_cover_the_copy():
    licence = Licence(publisher_id=1, full_repost=False, excerpt_limit=500,
                      valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    excerpt = licences.Use("excerpt", 400)
    assert licences.covers(licence, excerpt, date(2024, 6, 1))
    assert not licences.covers(licence, excerpt, date(2025, 1, 1))  # expired
    assert not licences.covers(licence, licences.Use("excerpt", 800), date(2024, 6, 1))
    assert not licences.covers(licence, licences.Use("verbatim", 400), date(2024, 6, 1))
    assert not licences.covers(licence, licences.Use("translation", 400), date(2024, 6, 1))
    licence.translation_allowed = True
    assert licences.covers(licence, licences.Use("translation", 400), date(2024, 6, 1))


def test_copies_of_a_publisher_with_a_removal_on_record_are_raised_as_such(app):
    with app.app_context(), transaction() as session:
        original = _original(session, "business-014.txt")
        old = _article(session, "old-copy", "An old copy.")
        case = Case(kind="takedown", status="resolved_removed", subject="BBC notice")
        session.add(case)
        session.flush()
        session.add(CaseTarget(case_id=case.id, url=old.url, article_id=old.id,
                               original_id=original.id, verdict="supported", decision="remove"))
        session.add(Decision(case_id=case.id, article_id=old.id, target_url=old.url,
                             action="remove", reason_code="infringing"))
        new_id = _article(session, "new-copy", _bbc("business-014.txt")[1],
                          source="BBC News").id
    _match(app, [new_id])
    [item] = _items(app)
    assert _codes(item) == {"complained_publisher"} and item.priority == 2


def test_findings_are_pure_and_follow_the_grey_zone():
    pair = review.Pair(original_id=1, original_url="u", publisher_id=1, publisher="P",
                       kind="excerpt", score=0.3, attributed=True, copied_chars=100)
    assert [f["code"] for f in review.findings([pair], uncertain_below=0.45)] == ["uncertain"]
    assert review.findings([pair], uncertain_below=0.25) == []
    judged = review.Pair(**{**pair.__dict__, "judged": True, "attributed": False})
    assert review.findings([judged], uncertain_below=0.45) == []


@pytest.fixture
def demo_item(app):
    demo.load(app, with_mail=False)
    add_user(app, "reviewer@example.org")
    [item] = _items(app)
    return item


def _decide(app, item_id: int, action: str, **kwargs) -> None:
    with app.app_context(), transaction() as session:
        from moderation.models import User
        user = session.exec(select(User).where(User.email == "reviewer@example.org")).one()
        case = session.get(Case, item_id)
        decide_review(session, case, user=user, version=case.version, action=action, **kwargs)


def test_rejecting_remembers_the_pair_and_it_is_not_raised_again(app, demo_item):
    _decide(app, demo_item.id, "reject", note="Different story on the same call.")
    with app.app_context():
        session = get_session()
        case = session.get(Case, demo_item.id)
        assert case.status == "resolved_kept" and case.decided_at is not None
        [feedback] = session.exec(select(MatchFeedback)).all()
        assert feedback.verdict == "rejected" and feedback.kind in ("verbatim", "translation")
        [decision] = session.exec(select(Decision).where(Decision.case_id == case.id)).all()
        assert decision.reason_code == "review_reject" and decision.action == "keep"
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "review.reject")).one()
    _match(app)
    assert len(_items(app)) == 1  # the closed item only


def test_fixing_the_credit_queues_the_webhook_and_counts_the_article_as_credited(app, demo_item):
    _decide(app, demo_item.id, "credit")
    with app.app_context():
        session = get_session()
        [delivery] = session.exec(select(WebhookDelivery)).all()
        assert delivery.event == "article.credit"
        assert delivery.payload["credit_line"] == "来源:ABC News / Source: ABC News"
        assert delivery.payload["article_url"].startswith("https://")
        article = session.get(Article, delivery.article_id)
        assert article.claimed_source == "ABC News"
        assert all(p.attributed for p in session.exec(select(Provenance)))
        assert session.exec(select(MatchFeedback.verdict)).one() == "confirmed"
    _match(app)  # re-matching sees the credit: nothing new is raised
    assert len(_items(app)) == 1


def test_removing_proactively_takes_the_article_down(app, demo_item):
    _decide(app, demo_item.id, "remove", note="Full copy without permission.")
    with app.app_context():
        session = get_session()
        case = session.get(Case, demo_item.id)
        assert case.status == "resolved_removed"
        article = session.exec(select(Article)).one()
        assert article.status == "removed" and article.removed_at is not None
        [delivery] = session.exec(select(WebhookDelivery)).all()
        assert delivery.event == "article.removed"


def test_marking_as_licensed_needs_a_licence_of_that_publisher(app, demo_item):
    with app.app_context(), transaction() as session:
        other = _publisher(session, "Someone Else")
        wrong = licences.create(session, publisher=other, actor="test",
                                values={"full_repost": True}).id
        abc = session.exec(select(Publisher).where(Publisher.name == "ABC News")).one()
        right = licences.create(session, publisher=abc, actor="test",
                                values={"full_repost": True, "translation_allowed": True}).id
    with pytest.raises(DecisionError, match="licence of the publisher"):
        _decide(app, demo_item.id, "licensed", licence_id=wrong)
    _decide(app, demo_item.id, "licensed", licence_id=right)
    with app.app_context():
        case = get_session().get(Case, demo_item.id)
        assert case.licence_id == right and case.status == "resolved_kept"


def test_a_stale_version_is_refused_and_changes_nothing(app, demo_item):
    from moderation.cases import CaseConflict
    with app.app_context(), transaction() as session:
        case = session.get(Case, demo_item.id)
        case.version += 1
        session.add(case)
    with pytest.raises(CaseConflict), app.app_context(), transaction() as session:
        from moderation.models import User
        user = session.exec(select(User)).first()
        decide_review(session, session.get(Case, demo_item.id), user=user,
                      version=demo_item.version, action="remove")
    with app.app_context():
        assert get_session().exec(select(Article.status)).one() == "published"
        assert get_session().exec(select(MatchFeedback)).all() == []


def test_review_scan_raises_items_for_a_new_complaint_without_rematching(app, runner):
    with app.app_context(), transaction() as session:
        original = _original(session, "business-014.txt")
        article_id = _article(session, "copy", _bbc("business-014.txt")[1], source="BBC News").id
    result = runner.invoke(args=["match", "--all"])
    assert "Review items: 0 raised" in result.output, result.output
    with app.app_context(), transaction() as session:
        case = Case(kind="takedown", status="open", subject="BBC notice")
        session.add(case)
        session.flush()
        session.add(CaseTarget(case_id=case.id, url="https://uscntv.com/other.html",
                               original_id=original.id, verdict="supported"))
    result = runner.invoke(args=["review", "scan"])
    assert result.exit_code == 0 and "Review items: 1 raised" in result.output, result.output
    [item] = _items(app)
    assert _codes(item) == {"complained_publisher"}
    with app.app_context():
        target = get_session().exec(select(CaseTarget).where(CaseTarget.case_id == item.id)).one()
    assert target.article_id == article_id


def test_the_provenance_report_names_licences_and_leaves_licensed_copies_off_the_risk_list(app):
    from moderation.reports.provenance import provenance_report

    with app.app_context(), transaction() as session:
        original = _original(session, "business-014.txt")
        article = _article(session, "risky", _bbc("business-014.txt")[1])
        case = Case(kind="takedown", status="open", subject="BBC notice",
                    claimant_email="legal@bbc.example")
        session.add(case)
        session.flush()
        session.add(CaseTarget(case_id=case.id, url=article.url, article_id=article.id,
                               original_id=original.id, verdict="supported"))
    _match(app)
    with app.app_context():
        before = provenance_report(get_session())
    assert [r["article_url"] for r in before["at_risk"]] == ["https://uscntv.com/risky.html"]
    with app.app_context(), transaction() as session:
        licences.create(session, publisher=_publisher(session, "BBC News"), actor="test",
                        values={"kind": "agreement", "full_repost": True})
    with app.app_context():
        after = provenance_report(get_session())
    assert after["at_risk"] == [] and after["summary"]["at_risk"] == 0
    [row] = [p for p in after["publishers"] if p["publisher"] == "BBC News"]
    assert row["licence"] == "agreement"


def test_an_excerpt_limit_is_measured_on_the_stored_passages(app):
    demo.load(app, with_mail=False)
    with app.app_context():
        prov = get_session().exec(select(Provenance)).one()
    copied = review.copied_chars(prov.spans)
    assert copied > 500  # the seed copies the whole ABC story
    assert review.copied_chars([{"article_start": 10, "article_end": 25}]) == 15
    with app.app_context(), transaction() as session:
        abc = session.exec(select(Publisher).where(Publisher.name == "ABC News")).one()
        licences.create(session, publisher=abc, actor="test", values={
            "excerpt_limit": 200, "translation_allowed": True})
    _match(app)  # a 200-character allowance does not cover the copy: still raised
    [item] = _items(app)
    assert _codes(item) == {"uncredited"}


def test_a_possible_rewrite_is_raised_as_such_and_a_strong_one_as_uncredited():
    weak = review.Pair(original_id=1, original_url="u", publisher_id=1, publisher="P",
                       kind="rewritten", score=0.3, attributed=False, copied_chars=900)
    assert [f["code"] for f in review.findings([weak], uncertain_below=0.45)] == [
        "possible_rewrite"]
    strong = review.Pair(**{**weak.__dict__, "score": 0.6})
    assert [f["code"] for f in review.findings([strong], uncertain_below=0.45)] == [
        "uncredited"]
    # A possible rewrite beside a real source does not make the article "combined".
    other = review.Pair(**{**weak.__dict__, "original_id": 2, "kind": "excerpt",
                           "score": 0.9})
    codes = [f["code"] for f in review.findings([weak, other], uncertain_below=0.45)]
    assert "combined" not in codes and "possible_rewrite" in codes


def test_checking_says_a_possible_rewrite_and_asks_a_licence_for_a_large_rewrite():
    from moderation.provenance import checking

    assert checking.rule(checking.Finding("rewritten", 0.3, possible=True)) == (
        "ok", "possible_rewrite")
    assert checking.rule(checking.Finding("rewritten", 0.8)) == (
        "licence_needed", "substantial_copy")
    assert checking.rule(checking.Finding("rewritten", 0.3)) == ("credit_needed", "uncredited")
