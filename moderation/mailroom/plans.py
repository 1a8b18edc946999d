"""Reading a stored batch of mail together: each message's outcome decided in memory, then
written with the others in a few multi-row statements.

Every step stands for one of ``reading.read_message`` and gives the same result (see
tests/mailroom/test_mail_batch.py); what the database would be asked message by message is loaded
for the whole batch up front (``Senders``, ``corpus.Evidence.for_notices``) and kept
up to date as the batch is read. Messages whose reading needs the database itself are
handed to ``alone`` (see ``mailbatch``). Rows are kept as plain values, not ORM objects,
which would cost more to build than everything else here (see rows.py).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from sqlmodel import Session

from .. import cases
from ..cases import autoreplies
from ..cases.bulk import NewCase, insert_targets, open_cases, targets_for
from ..library.corpus import Evidence
from ..mailbox import MailParseError, ParsedMessage, parse_message
from ..models import MailMessage, Notice, Reply
from ..notices.classify import classify
from ..plumbing import audit
from ..plumbing.rows import insert_returning_ids
from ..provenance import verification
from ..replies.outbox import loop_id
from ..replies.reasons import Target
from .reading import IngestResult, fields_from, notice_from
from .senders import Senders, our_message_ids
from .threads import DUPLICATE_WINDOW

log = logging.getLogger(__name__)


@dataclass
class Stored:
    """A message of the batch as stored, waiting to be read."""

    id: int
    sha256: str
    raw: bytes
    received_at: datetime
    now: datetime | None = None  # when it is read: received_at unless read again later

    def __post_init__(self) -> None:
        self.now = self.now or self.received_at


@dataclass
class Plan:
    """What reading one message decided: its columns, its case, what to write with it."""

    message: Stored
    columns: dict
    label: str
    case: NewCase | int | None = None  # a case to open, or the id of an existing one
    notice: Notice | None = None
    targets: dict[str, dict] = field(default_factory=dict)
    acknowledge: bool = False
    # Audit events in the order ingest writes them; built once ids are known.
    events: list[Callable[[], audit.Entry]] = field(default_factory=list)
    opens: bool = False  # the case is new (not one joined, which may be new in the batch)

    @property
    def case_id(self) -> int | None:
        return self.case.id if isinstance(self.case, NewCase) else self.case

    def result(self) -> IngestResult:
        outcome = "quarantined" if self.label == "quarantined" else "stored"
        return IngestResult(self.message.id, outcome, self.label, self.case_id, self.opens)


class Reader:
    """Reads a batch; ``alone(session, message_id)`` reads one message the careful way."""

    def __init__(self, session: Session, *, config: dict, comparisons: dict,
                 alone: Callable[[Session, Stored], IngestResult],
                 event: str = "mail.receive") -> None:
        self.session, self.config, self.alone, self.event = session, config, alone, event
        self.comparisons = comparisons
        self.loop_id = loop_id(str(config["MAIL_FROM"]))
        self.fetch = bool(config.get("FETCH_CLAIMED_ORIGINALS"))

    def read(self, messages: list[Stored]) -> list[IngestResult]:
        """Read and act on stored messages, in order; everything is committed on return."""
        parsed = self._understand(messages)
        results: list[IngestResult] = []
        pending: list[Plan] = []
        done = 0
        try:
            for index, message in enumerate(messages):
                plan = self._plan(message, parsed[message.id])
                if plan is not None:
                    pending.append(plan)
                    continue
                # Read alone, in its own transaction, after everything before it is written.
                results += self._write(pending)
                pending = []
                results.append(self.alone(self.session, message))
                done = index + 1
                self.senders.reload(self.session)  # it may have opened or joined a case
            results += self._write(pending)
        except Exception:
            # Writing failed (a value the database refuses, say): start again from the
            # first message not yet committed, each alone, so only the bad one is hurt.
            log.exception("batch write failed; reading %d messages one by one",
                          len(messages) - done)
            self.session.rollback()
            results = results[:done] + [self.alone(self.session, m) for m in messages[done:]]
        return results

    def _understand(self, messages: list[Stored]) -> dict:
        """Parse, classify and extract the notices of the whole batch, then load what the
        database has to tell about them: our Message-IDs, the corpus, the senders."""
        parsed = {m.id: self._parse(m) for m in messages}
        readable = [p for p in parsed.values() if isinstance(p, ParsedMessage)]
        ours = our_message_ids(self.session, readable)
        self.columns, self.labels, self.notices = {}, {}, {}
        for message in messages:
            item = parsed[message.id]
            if not isinstance(item, ParsedMessage):
                continue
            try:
                self.columns[message.id] = columns = fields_from(item)
                self.labels[message.id] = classify(item, loop_id=self.loop_id,
                                                   is_our_message_id=ours.__contains__)
                if self.labels[message.id].label == "notice":
                    self.notices[message.id] = notice_from(
                        item, message_id=message.id, sender=columns["from_addr"],
                        config=self.config)
            except Exception as exc:  # a bug: that message alone is quarantined (_plan)
                self.labels[message.id] = exc
        self.evidence = Evidence.for_notices(
            self.session, [n for n in self.notices.values() if n.kind == "takedown"],
            self.comparisons)
        self.senders = Senders(
            self.session, {c["from_addr"] for c in self.columns.values()} | {
                n.claimant_email for n in self.notices.values() if n.claimant_email},
            since=min(m.received_at for m in messages) - DUPLICATE_WINDOW)
        return parsed

    def _parse(self, message: Stored) -> ParsedMessage | MailParseError:
        try:
            return parse_message(message.raw, now=message.now)
        except MailParseError as exc:
            return exc

    def _plan(self, message: Stored, item) -> Plan | None:
        """The plan for one message, or None if it must be read alone."""
        if isinstance(item, MailParseError):
            return self._quarantined(message, item.reason)
        try:
            return self._decide(message)
        except Exception as exc:  # a bug must not lose the mail: keep it, quarantined, say why
            log.exception("message %s could not be processed", message.sha256[:12])
            return self._quarantined(message, f"the desk failed while reading it ({exc})")

    def _quarantined(self, message: Stored, reason: str) -> Plan:
        # As ingest.quarantine leaves it: no Message-ID or sender kept.
        plan = Plan(message, {"classification": "quarantined", "quarantine_reason": reason,
                              "message_id": None, "from_addr": ""}, "quarantined")
        self._received(plan)
        return plan

    def _received(self, plan: Plan) -> None:
        plan.events.append(lambda: audit.Entry(
            self.event, "mailbox", "mail", plan.message.id,
            after={"classification": plan.label, "case_id": plan.case_id}))

    def _decide(self, message: Stored) -> Plan | None:
        verdict = self.labels[message.id]
        if isinstance(verdict, Exception):
            raise verdict
        if verdict.label in ("reply", "bounce"):
            return None  # finding the case it answers needs the database
        columns = self.columns[message.id] | {
            "classification": verdict.label, "quarantine_reason": None,
            "classification_reasons": list(verdict.reasons)}
        plan = Plan(message, columns, verdict.label)
        now, sender = message.now, columns["from_addr"]
        if verdict.label == "inquiry":
            plan.case = NewCase("inquiry", columns["subject"] or "(no subject)",
                                columns["from_name"], sender, None,
                                cases.due_from(now, self.config, None))
            self._opened(plan)
        elif verdict.label == "notice":
            notice = self.notices[message.id]
            if notice.kind in ("counter_notice", "retraction"):
                return None  # finding the case it disputes or withdraws needs the database
            plan.notice = notice
            earlier = self.senders.duplicate_case(notice, sender, since=now - DUPLICATE_WINDOW)
            if earlier is not None:
                plan.case = earlier
                plan.events.append(lambda: audit.Entry(
                    "notice.duplicate", "mailbox", "case", plan.case_id,
                    after={"message": message.id, "subject": columns["subject"][:200]}))
            else:
                if notice.kind == "takedown" and self.fetch and verification.missing_originals(
                        notice, self.evidence):
                    return None  # fetching an original writes it to the corpus
                notice.verification = verification.verify(
                    self.session, notice, evidence=self.evidence) if notice.kind == "takedown" \
                    else []
                claimant = notice.claimant or {}
                plan.case = NewCase(
                    "takedown", columns["subject"] or "(no subject)",
                    claimant.get("organisation") or claimant.get("name") or columns["from_name"],
                    notice.claimant_email, notice.jurisdiction,
                    cases.due_from(message.received_at, self.config, notice.jurisdiction,
                                   deadline=notice.deadline_at))
                plan.targets = targets_for(plan.case, notice)
                plan.acknowledge = True
                self._opened(plan)
            self.senders.add(notice, sender, plan.case)
        self._received(plan)
        return plan

    def _opened(self, plan: Plan) -> None:
        case, plan.opens = plan.case, True
        plan.events.append(lambda: audit.Entry("case.open", "mailbox", "case", case.id,
                                               after=cases.snapshot(case)))

    def _write(self, plans: list[Plan]) -> list[IngestResult]:
        """Write the plans and commit: new cases first (their ids are needed), then the rest."""
        if not plans:
            return []
        session = self.session
        # End the transaction the reading ran in (it wrote nothing): on SQLite, writing in a
        # transaction whose snapshot another writer has since moved past fails at once.
        session.commit()
        open_cases(session, [plan.case for plan in plans if plan.opens])
        updates: dict[frozenset, list[dict]] = {}
        notices, targets, replies = [], [], []
        for plan in plans:
            columns = plan.columns | ({"case_id": plan.case_id} if plan.case is not None else {})
            updates.setdefault(frozenset(columns), []).append(columns | {"id": plan.message.id})
            if plan.notice is not None:
                plan.notice.case_id = plan.case_id
                notices.append(plan.notice.model_dump(exclude={"id"}))
            targets += [row | {"case_id": plan.case_id} for row in plan.targets.values()]
            if plan.acknowledge:
                replies += self._acknowledge(plan)
        for rows in updates.values():  # rows alike go in one executemany
            session.execute(sa.update(MailMessage), rows)
        if notices:  # Core: one executemany, not one per set of non-null columns
            session.execute(Notice.__table__.insert(), notices)
        insert_targets(session, targets)
        for reply, reply_id in zip(replies, insert_returning_ids(session, Reply, replies),
                                   strict=True):
            reply["id"] = reply_id
        audit.record_many(session, [event() for plan in plans for event in plan.events])
        session.commit()
        return [plan.result() for plan in plans]

    def _acknowledge(self, plan: Plan) -> list[dict]:
        targets = [Target(url=row["url"], title=self.evidence.title(row["article_id"]),
                          verdict=row["verdict"], kind=row["kind"], score=row["score"],
                          original_url=self.evidence.original_url(row["original_id"]))
                   for row in plan.targets.values()]
        # The message as ingest would have it by now, for the reply to read.
        message = SimpleNamespace(**plan.columns, id=plan.message.id,
                                  received_at=plan.message.received_at)
        reply = autoreplies.acknowledgement_for_new_case(
            plan.case, message, plan.notice, targets, config=self.config,
            last_ack_to_sender_at=self.senders.last_acknowledged(message.from_addr),
            now=plan.message.now)
        if reply is None:
            return []
        self.senders.acknowledged(reply["to_addr"], reply["created_at"])
        # After case.open and before mail.receive, as queue_reply writes it.
        plan.events.insert(len(plan.events) - 1, lambda: audit.Entry(
            "reply.queue", "mailbox", "reply", reply["id"],
            after={"case_id": plan.case_id, "to": reply["to_addr"],
                   "template": reply["template"], "subject": reply["subject"]}))
        return [reply]
