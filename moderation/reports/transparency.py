"""The transparency report (in the manner of DSA Art. 15 and 24): notices, actions, timing."""

import math
import statistics

from sqlmodel import Session, func, select

from ..models import AuditEvent, Case, Decision, MailMessage, Notice
from .period import Period, month_of

TRANSPARENCY_FIELDS = ("section", "key", "value")
NOTICE_KINDS = ("takedown", "counter_notice", "retraction")
JURISDICTIONS = ("US", "EU", "CN", "unknown")
# The photo actions take one picture of a page down or replace it; the text stays online.
ACTIONS = ("remove", "keep", "partial", "photo_removed", "photo_replaced")
REJECT_REASONS = ("incomplete", "abusive", "not_our_content", "not_infringing", "licensed",
                  "spam", "other")
CLAIMANT_LIMIT = 20


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``share`` of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _received(period: Period, *columns):
    """A query over the notices whose e-mail arrived in the period."""
    return (select(*columns).select_from(Notice)
            .join(MailMessage, MailMessage.id == Notice.message_id)
            .where(Notice.kind.is_not(None), *period.where(MailMessage.received_at)))


def notices(session: Session, period: Period) -> dict:
    """Notices received (by the time their e-mail arrived), by kind, jurisdiction, claimant."""
    by_kind = dict.fromkeys(NOTICE_KINDS, 0)
    by_jurisdiction = dict.fromkeys(JURISDICTIONS, 0)
    for kind, jurisdiction, n in session.exec(
            _received(period, Notice.kind, Notice.jurisdiction, func.count())
            .group_by(Notice.kind, Notice.jurisdiction)).all():
        by_kind[kind] = by_kind.get(kind, 0) + n
        key = jurisdiction if jurisdiction in JURISDICTIONS else "unknown"
        by_jurisdiction[key] += n
    claimant = func.coalesce(Notice.claimant_email, MailMessage.from_addr)
    claimants = session.exec(
        _received(period, claimant, func.count()).group_by(claimant)
        .order_by(func.count().desc(), claimant).limit(CLAIMANT_LIMIT)).all()
    distinct = session.exec(select(func.count()).select_from(
        _received(period, claimant).group_by(claimant).subquery())).one()
    return {"total": sum(by_kind.values()), "by_kind": by_kind,
            "by_jurisdiction": by_jurisdiction, "claimants": distinct,
            "by_claimant": [{"claimant": c or "unknown", "notices": n} for c, n in claimants]}


def actions(session: Session, period: Period) -> dict:
    """Decisions in force taken in the period: by action and reason, and with automated help."""
    where = [Decision.superseded.is_(False), *period.where(Decision.decided_at)]
    by_action = dict.fromkeys(ACTIONS, 0)
    automated = 0
    for action, is_automated, n in session.exec(
            select(Decision.action, Decision.automated, func.count()).where(*where)
            .group_by(Decision.action, Decision.automated)).all():
        by_action[action] = by_action.get(action, 0) + n
        automated += n if is_automated else 0
    by_reason = dict(session.exec(
        select(Decision.reason_code, func.count()).where(*where)
        .group_by(Decision.reason_code).order_by(Decision.reason_code)).all())
    total = sum(by_action.values())
    return {"decisions": total, "by_action": by_action, "by_reason": by_reason,
            "automated": automated,
            "automated_share": round(automated / total, 4) if total else None}


def timing(session: Session, period: Period) -> dict:
    """Hours from a case's opening to its decision, for cases decided in the period."""
    rows = session.exec(select(Case.created_at, Case.decided_at).where(
        Case.decided_at.is_not(None), *period.where(Case.decided_at))).all()
    hours = [(decided - created).total_seconds() / 3600 for created, decided in rows]
    rounded = lambda value: None if value is None else round(value, 2)  # noqa: E731
    return {"decided_cases": len(hours),
            "median_hours": rounded(statistics.median(hours) if hours else None),
            "p90_hours": rounded(percentile(hours, 0.9))}


def _events(session: Session, period: Period, *names: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(
        AuditEvent.action.in_(names), AuditEvent.object_type == "case",
        *period.where(AuditEvent.at))).all())


def disputes(session: Session, period: Period, counter_notices: int) -> dict:
    """Counter-notices received, and what became of disputed removals in the period."""
    counts = dict(session.exec(
        select(AuditEvent.action, func.count()).where(
            AuditEvent.action.in_(("case.restore", "case.uphold", "case.withdraw")),
            AuditEvent.object_type == "case", *period.where(AuditEvent.at))
        .group_by(AuditEvent.action)).all())
    return {"counter_notices": counter_notices, "restorations": counts.get("case.restore", 0),
            "upheld": counts.get("case.uphold", 0), "withdrawn": counts.get("case.withdraw", 0)}


def rejections(session: Session, period: Period) -> dict:
    """Notices closed without action, by the reason the reviewer gave (read from the audit log)."""
    by_reason = dict.fromkeys(REJECT_REASONS, 0)
    for event in _events(session, period, "case.reject", "case.mark_spam"):
        reason = (event.after or {}).get("reason") or "other"
        by_reason[reason if reason in by_reason else "other"] += 1
    return {"total": sum(by_reason.values()), "by_reason": by_reason}


def months(session: Session, period: Period) -> list[dict]:
    """Notices received and decisions taken, month by month."""
    received = month_of(session, MailMessage.received_at)
    notices_by = dict(session.exec(
        _received(period, received, func.count()).group_by(received)).all())
    decided = month_of(session, Decision.decided_at)
    decisions_by = dict(session.exec(
        select(decided, func.count()).where(Decision.superseded.is_(False),
                                            *period.where(Decision.decided_at))
        .group_by(decided)).all())
    return [{"month": month, "notices": notices_by.get(month, 0),
             "decisions": decisions_by.get(month, 0)}
            for month in month_range(set(notices_by) | set(decisions_by))]


def month_range(months: set[str]) -> list[str]:
    """Every month from the first to the last given, so quiet months show as zero."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    result = []
    while f"{year:04d}-{month:02d}" <= last:
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def transparency_report(session: Session, period: Period | None = None) -> dict:
    """Every figure of the transparency report, as plain values (also its JSON form)."""
    period = period or Period()
    received = notices(session, period)
    return {"report": "transparency", "period": period.as_dict(), "notices": received,
            "actions": actions(session, period), "timing": timing(session, period),
            "disputes": disputes(session, period, received["by_kind"]["counter_notice"]),
            "rejections": rejections(session, period), "months": months(session, period)}


def transparency_table(report: dict) -> list[dict]:
    """The report flattened to (section, key, value) rows for CSV."""
    rows = [{"section": "period", "key": key, "value": value}
            for key, value in report["period"].items()]
    notices_ = report["notices"]
    rows.append({"section": "notices", "key": "total", "value": notices_["total"]})
    rows.append({"section": "notices", "key": "claimants", "value": notices_["claimants"]})
    for section in ("by_kind", "by_jurisdiction"):
        rows += [{"section": f"notices.{section}", "key": k, "value": v}
                 for k, v in notices_[section].items()]
    rows += [{"section": "notices.by_claimant", "key": row["claimant"], "value": row["notices"]}
             for row in notices_["by_claimant"]]
    actions_ = report["actions"]
    rows += [{"section": "actions", "key": key, "value": actions_[key]}
             for key in ("decisions", "automated", "automated_share")]
    for section in ("by_action", "by_reason"):
        rows += [{"section": f"actions.{section}", "key": k, "value": v}
                 for k, v in actions_[section].items()]
    rows += [{"section": "timing", "key": k, "value": v} for k, v in report["timing"].items()]
    rows += [{"section": "disputes", "key": k, "value": v} for k, v in report["disputes"].items()]
    rows.append({"section": "rejections", "key": "total", "value": report["rejections"]["total"]})
    rows += [{"section": "rejections.by_reason", "key": k, "value": v}
             for k, v in report["rejections"]["by_reason"].items()]
    for row in report["months"]:
        rows += [{"section": f"months.{name}", "key": row["month"], "value": row[name]}
                 for name in ("notices", "decisions")]
    return rows
