"""Splitting a body into runs of paragraphs by language: zh, en, or other."""

import re

from .page import Segment

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?")
_OTHER_LETTER = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0e7f]")
_ENGLISH_WORDS = frozenset(
    "the of and to a in is that for on with as was it he she they at by from be have has had "
    "this are an not but his her their its said were which will would or been who we you i "
    "after over than more about there what when also into up out could can no all one new "
    "before because while".split()
)
# Frequent words of the other Latin-script languages a news desk meets most.
_OTHER_LATIN_WORDS = (
    frozenset(
        "le la les des du une est et que qui dans pour pas sur au avec sont "  # French
        "der die das und ist nicht ein eine zu den von mit sich auf dem des im "  # German
        "el los las del en por con una para es lo como pero sus "  # Spanish
        "o os da do em um uma não com para são "  # Portuguese
        "il di che è per non della sono nel gli "  # Italian
        "het een van en niet op zijn voor met".split()  # Dutch
    )
    - _ENGLISH_WORDS
)
# Below this many words the evidence for "English rather than another Latin language" is thin.
_CONFIDENT_WORDS = 8


def _classify(paragraph: str) -> tuple[str | None, bool]:
    """(language, confident) of one paragraph; language None when it has no letters at all."""
    han = len(_HAN.findall(paragraph))
    kana = len(_KANA_HANGUL.findall(paragraph))
    words = _LATIN_WORD.findall(paragraph)
    latin = sum(len(word) for word in words)
    other = len(_OTHER_LETTER.findall(paragraph))
    # A Chinese character carries about as much as a short Latin word, hence the weights.
    if kana and kana * 3 >= han:
        return "other", True
    if han and han * 3 >= latin * 0.5:
        return "zh", han >= 4
    if other > latin:
        return "other", other >= 10
    if not words:
        return None, False
    lowered = [word.lower() for word in words]
    english = sum(word in _ENGLISH_WORDS for word in lowered)
    # Capitalised "Del", "Du", "Van" are names far more often than function words.
    foreign = sum(word in _OTHER_LATIN_WORDS for word in words)
    if len(words) < _CONFIDENT_WORDS:
        return "en", False
    # Lists of names and scores have few function words of any language: they stay English.
    if foreign > english and foreign >= 3 and foreign * 4 >= len(words):
        return "other", True
    return "en", True


def detect_language(text: str) -> str | None:
    """ "zh", "en", "other", or None for text without letters."""
    return _classify(text)[0]


def _resolve(labels: list[tuple[str | None, bool]]) -> list[str]:
    """Give unsure paragraphs the language of the nearest sure one of the same script."""
    sure = [(i, lang) for i, (lang, confident) in enumerate(labels) if confident]
    resolved = []
    for index, (language, confident) in enumerate(labels):
        if confident and language:
            resolved.append(language)
            continue
        # Headings and short lines usually introduce what follows them, so look forward first.
        following = [lang for i, lang in sure if i > index]
        preceding = [lang for i, lang in reversed(sure) if i < index]
        same_script = [
            lang
            for lang in following[:1] + preceding[:1]
            if language is None or (lang == "zh") == (language == "zh")
        ]
        if same_script:
            resolved.append(same_script[0])
        elif language:
            resolved.append(language)
        else:
            resolved.append(resolved[-1] if resolved else (following[:1] or ["other"])[0])
    return resolved


def _is_heading(paragraph: str) -> bool:
    stripped = paragraph.strip()
    return (
        "\n" not in stripped
        and 0 < len(stripped) <= 150
        and not stripped.endswith(tuple(".。!?！？\"”'’…:：;；,，"))
    )


def split_segments(paragraphs: list[str]) -> list[Segment]:
    """Group paragraphs into segments, merging consecutive paragraphs of one language.

    The first paragraph of a later segment that reads as a heading (short, no closing
    punctuation, more text after it) is kept as that segment's ``title``: on a repost this
    is the original's own headline sitting between the translation and the original.
    """
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    if not paragraphs:
        return []
    languages = _resolve([_classify(p) for p in paragraphs])
    runs: list[tuple[str, list[str]]] = []
    for paragraph, language in zip(paragraphs, languages, strict=True):
        if runs and runs[-1][0] == language:
            runs[-1][1].append(paragraph)
        else:
            runs.append((language, [paragraph]))
    segments = []
    for position, (language, texts) in enumerate(runs):
        title = None
        # Only a change of script (Chinese <-> Latin) marks a translation followed by its original.
        switched = position > 0 and (runs[position - 1][0] == "zh") != (language == "zh")
        if switched and len(texts) > 1 and _is_heading(texts[0]):
            title, texts = texts[0], texts[1:]
        segments.append(Segment(language, "\n\n".join(texts), title))
    return segments
