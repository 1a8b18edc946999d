"""Human names for the codes stored in the database, in the reader's language."""

from flask_babel import gettext as babel_gettext
from flask_babel import lazy_gettext as _l

from . import i18n

STATUS = {
    "new": _l("New"),
    "open": _l("Open"),
    "in_review": _l("In review"),
    "needs_info": _l("Needs information"),
    "resolved_removed": _l("Removed"),
    "resolved_kept": _l("Kept"),
    "duplicate": _l("Duplicate"),
    "withdrawn": _l("Withdrawn"),
    "counter_notice": _l("Counter-notice"),
    "restored": _l("Restored"),
    "upheld": _l("Upheld"),
    "published": _l("Published"),
    "removed": _l("Removed"),
}
KIND = {
    "verbatim": _l("Verbatim copy"),
    "excerpt": _l("Excerpt"),
    "edited": _l("Edited copy"),
    "rewritten": _l("Rewrite"),
    "possible_rewrite": _l("Possible rewrite"),
    "translation": _l("Translation"),
    "none": _l("No match"),
}
PHOTO_KIND = {
    "same": _l("Same photo"),
    "resized": _l("Resized copy"),
    "cropped": _l("Cropped copy"),
    "mirrored": _l("Mirrored copy"),
    "edited": _l("Edited copy"),
    "similar": _l("Similar photo (not a copy)"),
}
LANGUAGE = {"zh": _l("Chinese"), "en": _l("English"), "other": _l("Other language")}


def label(table: dict, code: str | None) -> str:
    """The translated name of a code, or the code itself when it has none."""
    if code is None:
        return "—"
    name = table.get(code)
    if name is None:
        return code
    # A plain lazy_gettext(msgid): translated through the page's catalogue (i18n.py).
    if getattr(name, "_func", None) is babel_gettext and len(name._args) == 1 \
            and not name._kwargs:
        return i18n.gettext(name._args[0])
    return str(name)

CASE_KIND = {"takedown": _l("Takedown request"), "review": _l("Review item"),
             "inquiry": _l("Inquiry")}
VERDICT = {
    "supported": _l("Supported"), "not_supported": _l("Not supported"),
    "original_unavailable": _l("Original unavailable"), "article_not_found": _l("Not on our site"),
    "all_supported": _l("All pages supported"), "some_supported": _l("Some pages supported"),
    "none_supported": _l("No page supported"),
    "review": _l("To review"),
}
JURISDICTION = {"US": _l("United States (DMCA)"), "EU": _l("European Union (DSA)"),
                "CN": _l("China (信息网络传播权保护条例)")}
DECISION = {"remove": _l("Removed"), "keep": _l("Kept"), "partial": _l("Partly removed"),
            "photo_removed": _l("Photo removed"), "photo_replaced": _l("Photo replaced")}
NOTICE_KIND = {"takedown": _l("Takedown notice"), "counter_notice": _l("Counter-notice"),
               "retraction": _l("Retraction"), "payment_demand": _l("Licence-fee demand"),
               "inquiry": _l("Inquiry"), "other": _l("Asks for nothing")}
ROLE = {"agent": _l("agent"), "rights_holder": _l("rights holder")}
ELEMENT = {
    "contact": _l("Name and contact details of the notifier"),
    "work": _l("The work claimed"),
    "location": _l("Exact location (URL) of the material"),
    "explanation": _l("Explanation or evidence of the infringement"),
    "good_faith": _l("Good-faith statement"),
    "accuracy": _l("Statement that the notice is accurate"),
    "perjury": _l("Authority to act, under penalty of perjury"),
    "signature": _l("Signature"),
}
CLASSIFICATION = {
    "notice": _l("Notice"), "reply": _l("Reply"), "inquiry": _l("Inquiry"),
    "auto_reply": _l("Automatic reply"), "bounce": _l("Bounce"), "spam": _l("Spam"),
    "quarantined": _l("Quarantined"),
}
SENDER_BADGE = {"verified": _l("Sender verified"), "failed": _l("Sender check failed"),
                "unknown": _l("Sender not verified")}
REPLY_STATUS = {"draft": _l("Draft"), "queued": _l("Waiting to send"), "sent": _l("Sent"),
                "failed": _l("Not delivered"), "cancelled": _l("Cancelled")}
SETTINGS_GROUP = {"site": _l("Our site"), "sla": _l("Deadlines (hours to answer a notice)"),
                  "mailbox": _l("Contact mailbox (IMAP)"), "smtp": _l("Outgoing mail (SMTP)"),
                  "webhook": _l("Webhook to the site")}
SETTING = {
    "SITE_DOMAINS": _l("Our domains (comma-separated)"),
    "FETCH_CLAIMED_ORIGINALS": _l("Fetch claimed originals from the web"),
    "SLA_HOURS_US": _l("United States (DMCA)"), "SLA_HOURS_EU": _l("European Union (DSA)"),
    "SLA_HOURS_CN": _l("China"), "SLA_HOURS_DEFAULT": _l("Other or unknown"),
    "IMAP_HOST": _l("Server"), "IMAP_PORT": _l("Port"), "IMAP_SECURITY": _l("Security (ssl, starttls, none)"),
    "IMAP_USER": _l("User name"), "IMAP_FOLDER": _l("Folder"),
    "IMAP_PROCESSED_FOLDER": _l("Move handled mail to (empty: mark as read)"),
    "SMTP_HOST": _l("Server"), "SMTP_PORT": _l("Port"), "SMTP_SECURITY": _l("Security (ssl, starttls, none)"),
    "SMTP_USER": _l("User name"), "MAIL_FROM": _l("Sender address"),
    "WEBHOOK_URL": _l("Address the site listens on"),
}
TEMPLATE = {"acknowledgement": _l("Acknowledgement"), "need_info": _l("Request for information"),
            "decision": _l("Decision"), "rejected": _l("Rejection"),
            "counter_notice_forwarded": _l("Counter-notice forwarded"), "restored": _l("Restored")}
REVIEW_REASON = {
    "uncredited": _l("Copy without credit"),
    "complained_publisher": _l("Publisher has complained before"),
    "uncertain": _l("Uncertain match"),
    "combined": _l("Several originals combined"),
    "photo_unlicensed": _l("Agency photo without a licence"),
    "photo_uncredited": _l("Agency photo without credit"),
    "possible_rewrite": _l("Possible rewrite"),
}
REVIEW_ACTION = {
    "confirm": _l("Confirm the match, keep as published"),
    "reject": _l("Reject: the match is wrong"),
    "licensed": _l("Covered by a licence"),
    "credit": _l("Fix the credit"),
    "remove": _l("Remove the article"),
}
LICENCE_KIND = {"licence": _l("Licence"), "agreement": _l("Agreement"),
                "public_domain": _l("Public domain"), "press_release": _l("Press release")}
