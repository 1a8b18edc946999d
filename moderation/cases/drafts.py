"""Replies and statements of reasons prepared for a case, for the reviewer to edit and send."""

import re
from collections.abc import Callable, Iterator, Mapping

from sqlmodel import Session, select

from .. import replies
from ..models import Article, Case, CaseTarget, MailMessage, Notice, Original
from ..replies.reasons import (
    KEEP_REASONS,
    REJECT_REASONS,
    REMOVE_REASONS,
    ReplyError,
    ReplyFacts,
    Target,
)
from .casefile import CaseFile

__all__ = ["REJECT_REASONS", "Lazy", "facts_for", "for_case", "reason_choices"]
_HAN = re.compile("[\u4e00-\u9fff]")


def facts_for(file: CaseFile, *, site_name: str) -> ReplyFacts:
    """The case as the reply templates need it."""
    case, notice = file.case, file.notice
    first = next((item for direction, item in file.thread if direction == "in"), None)
    claimant = (notice.claimant if notice else None) or {}
    language = _notice_language(file)
    targets = [
        Target(url=row.target.url, title=row.article.title if row.article else "",
               verdict=row.target.verdict, kind=row.target.kind, score=row.target.score,
               original_url=row.original.url if row.original else None,
               decision=row.target.decision)
        for row in file.targets
    ]
    return ReplyFacts(
        case_id=case.id, received_at=first.received_at if first else case.created_at,
        claimant_name=claimant.get("name") or claimant.get("organisation") or case.claimant_name,
        language=language, jurisdiction=case.jurisdiction if case.jurisdiction in (
            "US", "EU", "CN") else None,
        due_at=case.due_at, targets=targets,
        missing_elements=list(notice.missing_elements) if notice else [],
        site_name=site_name,
        notice_kind=notice.kind if notice and notice.kind == "counter_notice" else "takedown",
        decided_at=case.decided_at,
    )


def _notice_language(file: CaseFile) -> str:
    """The language the claimant wrote in: Chinese when the notice text is mostly Chinese."""
    first = next((item for direction, item in file.thread if direction == "in"), None)
    return language_of((first.text if first else "") or "")


def language_of(text: str) -> str:
    """"zh" when a good share of the text is Chinese characters, else "en"."""
    sample = text[:4000]
    return "zh" if len(_HAN.findall(sample)) > len(sample) * 0.2 else "en"


def quick_facts(session: Session, case: Case, *, site_name: str) -> ReplyFacts:
    """The facts for an automatic reply in three queries (no full case file: mail intake is
    on the hot path)."""
    notice = session.exec(select(Notice).where(Notice.case_id == case.id)
                          .order_by(Notice.id)).first()
    first = session.exec(select(MailMessage).where(MailMessage.case_id == case.id)
                         .order_by(MailMessage.id)).first()
    rows = session.exec(
        select(CaseTarget, Article.title, Original.url)
        .outerjoin(Article, Article.id == CaseTarget.article_id)
        .outerjoin(Original, Original.id == CaseTarget.original_id)
        .where(CaseTarget.case_id == case.id).order_by(CaseTarget.id)).all()
    claimant = (notice.claimant if notice else None) or {}
    return ReplyFacts(
        case_id=case.id, received_at=first.received_at if first else case.created_at,
        claimant_name=claimant.get("name") or claimant.get("organisation") or case.claimant_name,
        language=language_of((first.text if first else "") or ""),
        jurisdiction=case.jurisdiction if case.jurisdiction in ("US", "EU", "CN") else None,
        due_at=case.due_at, site_name=site_name,
        targets=[Target(url=t.url, title=title or "", verdict=t.verdict, kind=t.kind,
                        score=t.score, original_url=original_url, decision=t.decision)
                 for t, title, original_url in rows],
        missing_elements=list(notice.missing_elements) if notice else [],
        notice_kind=notice.kind if notice and notice.kind == "counter_notice" else "takedown",
        decided_at=case.decided_at,
    )


def for_case(file: CaseFile, *, site_name: str, overrides: dict | None = None) -> dict:
    """Drafts for every action on the case page: statement, decision, request, rejections."""
    facts = facts_for(file, site_name=site_name)
    language = replies.language_for(facts.language)
    # The drafts assume the decision the evidence suggests; the reviewer changes both if not.
    proposed = [t if t.decision else t._replace(
        decision="remove" if t.verdict == "supported" else "keep",
        reason_code="copyright" if t.verdict == "supported" else "not_supported")
        for t in facts.targets]
    facts = ReplyFacts.coerce({**facts.__dict__, "targets": proposed})
    try:
        statement = replies.statement_of_reasons(facts, language)
    except ReplyError:
        statement = ""
    decided = ReplyFacts.coerce({**facts.__dict__, "statement_of_reasons": statement})

    def draft(template: str, source: ReplyFacts) -> dict:
        """A template that does not fit this case (nothing missing, say) gives an empty draft."""
        try:
            subject, body = replies.render(template, language, source, overrides)
        except ReplyError:
            return {"subject": "", "body": ""}
        return {"subject": subject, "body": body}

    rejected = {}
    for code in REJECT_REASONS:
        source = ReplyFacts.coerce({**facts.__dict__, "reject_reason": code})
        rejected[code] = draft(replies.REJECTED, source)
    notice = file.notice
    # A licence-fee demand is answered by asking for proof of the rights and the licence
    # history before anything is paid: the request for information carries that letter.
    asks_payment = bool(notice is not None and getattr(notice, "asks_payment", False))
    need_info = draft(replies.PAYMENT_PROOF if asks_payment else replies.NEED_INFO, facts)
    return {"statement": statement, "decision": draft(replies.DECISION, decided),
            "need_info": need_info, "rejected": rejected, "language": language,
            "asks_payment": asks_payment}


class Lazy(Mapping):
    """The drafts of for_case, made when a template first reads one: a closed case, or one
    whose page shows no reply form, costs nothing to draft."""

    def __init__(self, make: Callable[[], dict]) -> None:
        self._make, self._made = make, None

    def _drafts(self) -> dict:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: str):
        return self._drafts()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._drafts())

    def __len__(self) -> int:
        return len(self._drafts())


def reason_choices(language: str = "en") -> dict[str, dict[str, str]]:
    """Reason codes with their labels in the reviewer's language."""
    pick = "zh" if language.startswith("zh") else "en"
    return {name: {code: getattr(reason, pick) for code, reason in table.items()}
            for name, table in (("remove", REMOVE_REASONS), ("keep", KEEP_REASONS),
                                ("reject", REJECT_REASONS))}
