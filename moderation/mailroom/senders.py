"""What the desk already knows of the senders of a batch of mail, loaded in one go.

The batch reader (mailplans) asks these instead of the database, message by message:
earlier notices (to spot a request sent again, as mailthreads.duplicate_case does), the last
acknowledgement to each address (as autoreplies.acknowledge does) and which Message-IDs
are ours (as mailthreads.our_message_id_lookup does). Notices and acknowledgements of the
batch itself are added as it is read, so later messages see earlier ones.
"""

from datetime import datetime
from itertools import count

import sqlalchemy as sa
from sqlmodel import Session, func, select

from ..mailbox import ParsedMessage
from ..models import Case, MailMessage, Notice, Reply
from ..replies import ACKNOWLEDGEMENT

CHUNK = 500  # bounded IN lists


def _chunks(values) -> list[list]:
    values = sorted(v for v in values if v)
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def our_message_ids(session: Session, parsed: list[ParsedMessage]) -> set[str]:
    """Those of the Message-IDs the messages answer or cite that belong to our replies."""
    named = {i for p in parsed for i in [p.in_reply_to, *p.references] if i}
    found: set[str] = set()
    for chunk in _chunks(named):
        found.update(session.exec(select(Reply.message_id).where(Reply.message_id.in_(chunk))))
    return found


class Senders:
    """Earlier notices (with their case) and last acknowledgement, by address."""

    def __init__(self, session: Session, addresses: set[str], *, since: datetime) -> None:
        """``since``: notices older than this cannot make any message of the batch a repeat."""
        self.addresses = {a for a in addresses if a}
        self.since = since
        self._order = count()
        self.reload(session)

    def reload(self, session: Session) -> None:
        """Read both again (after a message read alone may have changed them)."""
        # address -> [(order, kind, target_urls, created_at, case)]; case is an id or a Case.
        self._notices: dict[str, list[tuple]] = {}
        self._acks: dict[str, datetime] = {}
        for chunk in _chunks(self.addresses):
            rows = session.exec(
                select(Notice.id, Notice.kind, Notice.target_urls, Notice.created_at,
                       Notice.case_id, Notice.claimant_email, MailMessage.from_addr)
                .join(MailMessage, MailMessage.id == Notice.message_id)
                .join(Case, Case.id == Notice.case_id)
                .where(sa.or_(Notice.claimant_email.in_(chunk), MailMessage.from_addr.in_(chunk)),
                       Notice.created_at >= self.since)
            ).all()
            for row in rows:
                entry = ((0, row.id), row.kind, row.target_urls, row.created_at, row.case_id)
                self._index(entry, {row.claimant_email, row.from_addr})
            for address, last in session.exec(
                select(Reply.to_addr, func.max(Reply.created_at))
                .where(Reply.template == ACKNOWLEDGEMENT, Reply.to_addr.in_(chunk))
                .group_by(Reply.to_addr)
            ):
                self._acks[address] = max(last, self._acks.get(address, last))
        for entries in self._notices.values():
            entries.sort(key=lambda entry: entry[0])

    def _index(self, entry: tuple, addresses: set[str | None]) -> None:
        for address in addresses:  # a set: an entry is listed once under each address
            if address:
                self._notices.setdefault(address, []).append(entry)

    def add(self, notice: Notice, sender: str, case: Case | int) -> None:
        """A notice of this batch, joined to its case: later ones see it as earlier."""
        entry = ((1, next(self._order)), notice.kind, list(notice.target_urls),
                 notice.created_at, case)
        self._index(entry, {notice.claimant_email, sender})

    def duplicate_case(self, notice: Notice, sender: str, *, since: datetime
                       ) -> Case | int | None:
        """The case of the first earlier notice from ``sender`` of the same kind about the
        same pages, sent since ``since`` (see mailthreads.duplicate_case)."""
        if not notice.target_urls or not sender:
            return None
        wanted = set(notice.target_urls)
        for _order, kind, urls, created_at, case in self._notices.get(sender, []):
            if kind == notice.kind and created_at >= since and set(urls) == wanted:
                return case
        return None

    def last_acknowledged(self, address: str) -> datetime | None:
        return self._acks.get(address) if address else None

    def acknowledged(self, address: str, at: datetime) -> None:
        self._acks[address] = max(at, self._acks.get(address, at))
