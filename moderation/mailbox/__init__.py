"""The mail library: sources of raw mail and MIME parsing (no database, no web).

Typical use by the importer::

    from moderation.mailbox import open_source, parse_message, MailParseError
    from moderation.notices.classify import classify

    with open_source("instance/inbox") as source:         # or ImapSource(...)
        for key, raw in source:
            try:
                parsed = parse_message(raw)
            except MailParseError as error:
                ...  # store raw bytes quarantined with error.reason
            else:
                label = classify(parsed, loop_id="desk@example.org")
                ...  # store, commit
            source.acknowledge(key)                         # only after the commit

Sources: ``MaildirSource``, ``MboxSource``, ``EmlSource``, ``ImapSource`` and
``open_source(path)``; each yields ``Fetched(key, raw)`` with a stable key
("maildir:/abs:name", "mbox:/abs:sha256", "eml:/abs/file.eml",
"imap:host/folder:uidvalidity:uid"). ``ImapSource.uidvalidity_changed`` tells the caller
that old UIDs are void and the folder is offered again (dedupe by sha256).

Parsing: ``parse_message(raw, *, now=None, authserv_id=None, allow_remote_images=False)``
returns a ``ParsedMessage`` or raises ``MailParseError(reason)``; oddities that do not stop
parsing are listed in ``ParsedMessage.warnings``. ``normalise_message_id`` gives the form
used for Message-ID, In-Reply-To and References ("<local@domain>").

Classification (what a message is: notice, reply, inquiry, auto_reply, bounce, spam) is
the notices room's first step: ``moderation.notices.classify``.

May import: nothing of the desk. Imported by: notices, mailroom, commands, demo.
"""

from moderation.mailbox.headers import Address, AuthResults, normalise_message_id
from moderation.mailbox.imap import ImapKey, ImapSource, parse_imap_key
from moderation.mailbox.parse import (
    MAX_MESSAGE_BYTES,
    MAX_RECIPIENTS,
    MailParseError,
    ParsedMessage,
    parse_message,
)
from moderation.mailbox.parts import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_DEPTH, Attachment
from moderation.mailbox.sources import (
    EmlSource,
    Fetched,
    MaildirSource,
    MailSource,
    MboxSource,
    SourceError,
    open_source,
)

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_DEPTH",
    "MAX_MESSAGE_BYTES",
    "MAX_RECIPIENTS",
    "Address",
    "Attachment",
    "AuthResults",
    "EmlSource",
    "Fetched",
    "ImapKey",
    "ImapSource",
    "MailParseError",
    "MailSource",
    "MaildirSource",
    "MboxSource",
    "ParsedMessage",
    "SourceError",
    "normalise_message_id",
    "open_source",
    "parse_imap_key",
    "parse_message",
]
