"""Vocabulary deciding what a message asks for, and under which law, in English and Chinese."""

import re
from typing import Literal

Kind = Literal["takedown", "counter_notice", "retraction"]
Jurisdiction = Literal["US", "EU", "CN"]

_DOC = r"(?:notice|notification|complaint|request|claim|take-?down|dmca)"
# Checked in this order: a retraction or counter-notice also mentions the original takedown.
KIND_PATTERNS: dict[Kind, tuple[re.Pattern[str], ...]] = {
    "retraction": tuple(re.compile(p, re.IGNORECASE) for p in (
        rf"\b(?:withdraw|retract|rescind)\w*\b[^.\n]{{0,60}}\b{_DOC}",
        rf"\b{_DOC}s?\b[^.\n]{{0,60}}\b(?:withdrawn|retracted|rescinded)\b",
        r"撤回", r"撤销[^。\n]{0,10}(?:通知|投诉|申请|要求)",
    )),
    "counter_notice": tuple(re.compile(p, re.IGNORECASE) for p in (
        r"\bcounter[- ]?notic\w*", r"\bcounter[- ]?notification", r"512\s*\(g\)",
        r"mistake or misidentification", r"反通知", r"(?:要求|申请|请求)恢复",
    )),
    "takedown": tuple(re.compile(p, re.IGNORECASE) for p in (
        r"\bDMCA\b", r"\btake[- ]?down\b", r"\bcopyright infringement\b", r"\binfring\w*",
        r"\bremov(?:e|al)\b[^.\n]{0,60}\b(?:article|content|material|page|post|story|stories)",
        r"Digital Services Act", r"\billegal content\b", r"512\s*\(c\)",
        r"侵权", r"侵犯", r"下架", r"删除[^。\n]{0,20}(?:文章|内容|稿件|作品|链接|网页|页面)",
        r"信息网络传播权", r"未经(?:授权|许可)",
    )),
}
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


def _snippet(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 120)
    end = text.find("\n", match.end())
    end = min(len(text) if end < 0 else end, match.end() + 120)
    return text[start:end].strip()


def notice_kind(text: str) -> tuple[Kind | None, str | None]:
    """The kind of request ``text`` makes and the words that show it, or (None, None)."""
    for kind, patterns in KIND_PATTERNS.items():
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                return kind, _snippet(text, match)
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
