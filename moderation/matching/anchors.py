"""Language-independent anchors: numbers by value, dates by month and day, Latin names.

An anchor is a short string such as ``#1.4e+04`` (a number), ``@1-10`` (10 January) or
``putin`` (a name, stemmed), identical whether read from English or from Chinese text.
"""

import re

from .english import STOPWORDS, stem
from .text import HAN

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_NAMES = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "b": 1e9, "trillion": 1e12, "tn": 1e12, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12,
}
# Thousands may be grouped with commas or (thin, no-break) spaces: "14,000", "14 000".
_NUMBER = r"(?<![0-9A-Za-z.,])(\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+|\d+)(?:\.(\d+))?"
_CURRENCIES = frozenset("$£€¥")
# Python's re scans fast for patterns opening on a plain character set: English patterns
# (read for every original indexed) find digit runs first, then read numbers inside them.
_DIGIT_RUN_RE = re.compile(r"[0-9][0-9,.:/\u00a0\u202f\u2009 -]*")
# Times and ISO dates come first so that their digits are skipped, not read as numbers.
_IN_RUN_RE = re.compile(
    r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
    r"|([0-9]{1,3}(?:[,\u00a0\u202f\u2009 ][0-9]{3})+|[0-9]+)(?:\.([0-9]+))?"
)
_SCALE_RE = re.compile(r"\s?([Tt]housand|[Mm]illion|[Bb]illion|[Tt]rillion|bn|mn|tn)\b|([mkb])\b")
_WORD_CHARACTERS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
ZH_NUMBER_RE = re.compile(f"{_NUMBER}\\s*(万亿|亿|万|千)?")
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
ZH_NUMERAL_RE = re.compile("[零〇一二两三四五六七八九十百千万亿]{2,}")
_ZH_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
ZH_DATE_RE = re.compile(f"{_ZH_NUM}月{_ZH_NUM}[日号]")
_MONTH_WORD = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)([a-z]*)\.?"
EN_MONTH_DAY_RE = re.compile(_MONTH_WORD + r"\s+([0-9]{1,2})(?:st|nd|rd|th)?(?![0-9])")
EN_DAY_MONTH_RE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_WORD)
_MONTH_ENDINGS = frozenset(
    ["", "t", "uary", "ruary", "ch", "il", "e", "y", "ust", "tember", "ober", "ember"])
ISO_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
# Capitalised words that start no sentence, and acronyms: the names of an English text.
_CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z0-9]+")
_SENTENCE_OPENERS = frozenset(".!?:;\n\"“‘")
LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_HAN_RE = re.compile(f"[{HAN}]")
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april"
    " june july august september october november december".split()
)
_NOT_NAME_WORDS = STOPWORDS | _NOT_NAMES | frozenset(_MONTHS)
# Capitalised word -> its stem ("" if no name): the same words come back in every text.
_name_stems: dict[str, str] = {}
# Numbers below this carry little information ("two sides", "the 4th") and are skipped.
MIN_NUMBER = 10


def number_anchor(value: float) -> str:
    """Anchor of a numeric value, rounded to four significant digits."""
    return f"#{value:.4g}"


def date_anchor(month: int, day: int) -> str | None:
    """Anchor of a day of the year, or None when it is not a valid month and day."""
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"@{month}-{day}"
    return None


def _plain_number(whole: str, fraction: str | None) -> float:
    digits = re.sub(r"\D", "", whole)
    return float(f"{digits}.{fraction}" if fraction else digits)


def zh_numeral_value(numeral: str) -> int:
    """Value of a Chinese numeral such as 一万四千 (14000) or 十二 (12)."""
    total = section = digit = 0
    for ch in numeral:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        elif ch in _ZH_BIG:
            total = (total + section + digit) * _ZH_BIG[ch]
            section = digit = 0
    return total + section + digit


def _small_number(text: str) -> int:
    return int(text) if text.isdigit() else zh_numeral_value(text)


def _keep(value: float) -> bool:
    return value >= MIN_NUMBER or value != int(value)


def english_numbers(text: str) -> list[str]:
    """Number anchors of an English (or any Latin-script) text."""
    out = []
    for run in _DIGIT_RUN_RE.finditer(text):
        offset = run.start()
        if offset and text[offset - 1] in _WORD_CHARACTERS:
            continue
        chunk = run.group()
        for m in _IN_RUN_RE.finditer(chunk):
            whole, fraction = m.groups()
            if whole is None or (m.start() and chunk[m.start() - 1] in "0123456789.,"):
                continue
            value = _plain_number(whole, fraction)
            scale = _SCALE_RE.match(text, offset + m.end())
            if scale and scale.group(1):
                value *= _SCALES[scale.group(1).lower()]
            elif scale and offset + m.start() and text[offset + m.start() - 1] in _CURRENCIES:
                # "£600m" is money; "100m" alone is more often a distance.
                value *= _SCALES[scale.group(2)]
            if _keep(value):
                out.append(number_anchor(value))
    return out


def chinese_numbers(text: str) -> list[str]:
    """Number anchors of a Chinese text: digits with 万/亿, and Chinese numerals."""
    text = TIME_RE.sub(" ", ISO_DATE_RE.sub(" ", ZH_DATE_RE.sub(" ", text)))
    out = []
    for m in ZH_NUMBER_RE.finditer(text):
        value = _plain_number(m.group(1), m.group(2))
        if m.group(3):
            value *= _SCALES[m.group(3)]
        if _keep(value):
            out.append(number_anchor(value))
    for m in ZH_NUMERAL_RE.finditer(text):
        numeral = m.group()
        if any(ch in _ZH_UNITS or ch in _ZH_BIG for ch in numeral):
            value = zh_numeral_value(numeral)
            if _keep(value):
                out.append(number_anchor(value))
    return out


def english_dates(text: str) -> list[str]:
    """Date anchors of an English text ("Jan. 10", "10 January", "2021-01-10")."""
    out = []
    for m in EN_MONTH_DAY_RE.finditer(text):
        month, ending, day = m.groups()
        if ending in _MONTH_ENDINGS and (a := date_anchor(_MONTHS[month.lower()], int(day))):
            out.append(a)
    for m in EN_DAY_MONTH_RE.finditer(text):
        day, month, ending = m.groups()
        if ending in _MONTH_ENDINGS and (a := date_anchor(_MONTHS[month.lower()], int(day))):
            out.append(a)
    out.extend(a for m in ISO_DATE_RE.finditer(text)
               if (a := date_anchor(int(m.group(1)), int(m.group(2)))))
    return out


def chinese_dates(text: str) -> list[str]:
    """Date anchors of a Chinese text ("1月10日", "十二月三十一日", "2021-12-31")."""
    out = [a for m in ZH_DATE_RE.finditer(text)
           if (a := date_anchor(_small_number(m.group(1)), _small_number(m.group(2))))]
    out.extend(a for m in ISO_DATE_RE.finditer(text)
               if (a := date_anchor(int(m.group(1)), int(m.group(2)))))
    return out


def english_names(text: str) -> list[str]:
    """Stems of the capitalised words that start no sentence, and of acronyms."""
    out = []
    for m in _CAPITALISED_RE.finditer(text):
        start = m.start()
        if start and (text[start - 1] in _WORD_CHARACTERS or text[start - 1] in "'’"):
            continue
        word = m.group()
        found = _name_stems.get(word)
        if found is None:
            lower = word.lower()
            found = _name_stems[word] = "" if lower in _NOT_NAME_WORDS else stem(lower)
        if not found:
            continue
        if not word.isupper():
            before = text[max(0, start - 4):start].rstrip(" \t")
            if not before or before[-1] in _SENTENCE_OPENERS:
                continue
        out.append(found)
    return out


def latin_words(text: str) -> list[str]:
    """Stems of the Latin-script words inside a Chinese text ("(Ned Price)", "NATO")."""
    return [stem(w.lower()) for w in LATIN_WORD_RE.findall(text)
            if w.lower() not in STOPWORDS]


def english_anchors(text: str) -> list[str]:
    """Numbers, dates and names of an English text."""
    return english_numbers(text) + english_dates(text) + english_names(text)


def chinese_anchors(text: str) -> list[str]:
    """Numbers, dates and Latin-script words of a Chinese text (glossed names come apart)."""
    return chinese_numbers(text) + chinese_dates(text) + latin_words(text)


def has_han(text: str) -> bool:
    """True if ``text`` contains a Han character."""
    return _HAN_RE.search(text) is not None
