"""The sworn and explanatory statements a notice makes, each proved by the sentence saying it."""

import re
from bisect import bisect_right

_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)、]|[-*•]|\(\w{1,3}\)|[一二三四五六七八九十]+[、.])\s*")
_LABEL = re.compile(r"^\s*[\w\u4e00-\u9fff][\w \u4e00-\u9fff()/-]{0,30}[:：]")
_EN_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z\"'(“\[])")
_ZH_BREAK = re.compile(r"(?<=[。！？；])")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _flags(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_WORK = r"(?:notice|notification|letter|complaint|information|statement|通知|内容)"
STATEMENT_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "good_faith": _flags(
        r"\bgood[- ]faith\b", r"\bbona[- ]fide\b", r"善意", r"真实性(?:负责|承担)",
        r"(?:保证|承诺)[^。]{0,20}真实",
    ),
    "accuracy": _flags(
        rf"\b{_WORK}\b[^.]{{0,80}}\b(?:is|are)\s+(?:true,?\s+)?(?:accurate|correct)\b",
        r"\baccurate and complete\b", r"\baccuracy of\b",
        r"真实[、，,和与]?\s*准确", r"准确无误", r"(?:内容|信息|材料)[^。]{0,10}准确",
    ),
    "perjury": _flags(r"penalt(?:y|ies) of perjury", r"伪证"),
    "authority": _flags(
        r"\bauthori[sz]ed to act\b", r"\b(?:I|we) (?:am|are) the (?:copyright )?"
        r"(?:owner|rights? ?holder|author)\b", r"\bowner of (?:an )?exclusive rights?\b",
        r"(?:有权|授权|委托)[^。]{0,12}(?:代表|代理|处理)", r"(?:是|为)[^。]{0,10}(?:权利人|著作权人)",
    ),
    "explanation": _flags(
        r"\bwithout (?:our |any |the )?(?:prior )?(?:written )?"
        r"(?:permission|authori[sz]ation|licen[cs]e|consent)\b",
        r"\b(?:copied|reproduced|republished|reposted|translated|plagiari[sz]ed)\b[^.]{0,120}"
        r"\b(?:our|the original|from|verbatim)\b",
        r"\bverbatim\b", r"\bword[- ]for[- ]word\b", r"\binfring(?:es|ing|ement)\b[^.]{0,80}"
        r"\b(?:copyright|rights?)\b", r"\billegal\b[^.]{0,80}\bbecause\b",
        r"未经[^。]{0,6}(?:授权|许可|同意)", r"初步证明", r"擅自[^。]{0,6}(?:转载|使用|复制|发布)",
        r"构成侵权", r"侵犯[^。]{0,12}(?:著作权|版权|信息网络传播权)",
    ),
    "mistake": _flags(
        r"\bmistake or misidentification\b", r"\bmisidentif\w+", r"\b(?:removed|disabled)\b"
        r"[^.]{0,60}\b(?:as a result of|because of|by|due to) (?:a )?mistake",
        r"错误删除", r"误删", r"不构成侵权", r"不存在侵权",
    ),
    "consent_to_jurisdiction": _flags(
        r"\bconsent to the jurisdiction\b", r"\bsubmit to the jurisdiction\b",
        r"\baccept service of process\b", r"同意[^。]{0,12}管辖",
    ),
}


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        # Chinese wraps without spaces; English words need one back.
        if text and not (_HAN.match(line[:1]) and _HAN.match(text[-1:])):
            text += " "
        text += line
    return text


def sentences(text: str) -> list[str]:
    """Sentences of ``text``: wrapped lines joined, list items and labelled lines kept apart."""
    paragraphs: list[list[str]] = [[]]
    for raw_line in text.splitlines():
        line = raw_line.strip().lstrip(">").strip()
        if not line:
            paragraphs.append([])
            continue
        if _LIST_ITEM.match(line) or _LABEL.match(line):
            paragraphs.append([])
        paragraphs[-1].append(line)
    found = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        for piece in _EN_BREAK.split(_join(paragraph)):
            found.extend(s.strip() for s in _ZH_BREAK.split(piece) if s.strip())
    return found


# One alternation per statement, searched in the whole text at once.
_COMBINED = {
    key: re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
    for key, patterns in STATEMENT_PATTERNS.items()
}


def find_statements(text: str) -> dict[str, str]:
    """Statement key -> the first sentence that makes it (keys of ``STATEMENT_PATTERNS``).

    Keys come in the order their sentences do (ties in ``STATEMENT_PATTERNS`` order).
    """
    split = sentences(text)
    joined = "\n".join(split)
    starts, offset = [], 0
    for sentence in split:
        starts.append(offset)
        offset += len(sentence) + 1
    found: list[tuple[int, int, str, str]] = []
    for rank, (key, pattern) in enumerate(_COMBINED.items()):
        first = pattern.search(joined)
        if first is None:
            continue
        # No sentence before the one where the first match in the whole text starts can
        # hold a match of its own (the patterns have no anchors or lookarounds), so the
        # sentence-by-sentence check starts there.
        for index in range(bisect_right(starts, first.start()) - 1, len(split)):
            if pattern.search(split[index]):
                found.append((index, rank, key, split[index][:500]))
                break
    return {key: sentence for _index, _rank, key, sentence in sorted(found)}
