"""The kinds of notice, and the vocabulary deciding under which law a notice is made."""

import re
from typing import Literal

Kind = Literal["takedown", "counter_notice", "retraction", "payment_demand"]
Jurisdiction = Literal["US", "EU", "CN"]

JURISDICTION_PATTERNS: dict[Jurisdiction, tuple[re.Pattern[str], ...]] = {
    "US": tuple(re.compile(p, re.IGNORECASE) for p in (
        r"17\s*U\.?\s*S\.?\s*C\.?", r"\bDMCA\b", r"Digital Millennium Copyright Act",
        r"\b512\s*\([cg]\)",
    )),
    "EU": (
        re.compile(r"Digital Services Act", re.IGNORECASE), re.compile(r"\bDSA\b"),
        re.compile(r"\bArt(?:icle|\.)\s*16\b", re.IGNORECASE),
        re.compile(r"Regulation\s*\(EU\)\s*2022/2065", re.IGNORECASE),
    ),
    "CN": (re.compile(r"信息网络传播权保护条例"), re.compile(r"侵权通知")),
}


def notice_kind(text: str) -> tuple[Kind | None, str | None]:
    """The kind of notice ``text`` makes and the reason for it, or (None, None) when it asks
    for no removal, restoration, withdrawal or money (see ``asks.decide``)."""
    from moderation.notices.asks import NOTICE_KINDS, decide  # asks reads statements, not kinds

    decision = decide(text)
    if decision.kind in NOTICE_KINDS:
        return decision.kind, decision.reasons[0]  # type: ignore[return-value]
    return None, None


def jurisdiction_of(text: str) -> Jurisdiction | None:
    """The legal regime a notice invokes (the most often named one), or None."""
    counts = {
        name: sum(len(pattern.findall(text)) for pattern in patterns)
        for name, patterns in JURISDICTION_PATTERNS.items()
    }
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None


def is_chinese(text: str) -> bool:
    """True when Chinese characters make up a good part of the letters of ``text``."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return han > 0 and han * 3 >= latin
