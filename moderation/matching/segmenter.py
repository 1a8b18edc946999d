"""Chinese word segmentation with jieba, loaded only when Chinese text is aligned.

jieba builds its prefix dictionary from a 350,000-word file (about a second); it keeps the
result in a cache file, which we put in the desk's cache folder so every later run loads it
in a fraction of that. The word classes jieba's dictionary gives (part of speech) tell the
function words (particles, prepositions, conjunctions, pronouns, adverbs, classifiers) to
leave out and the names (people, places, organisations) that two reports of one story share
without one copying the other.
"""

import logging
import marshal
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .glossary import cache_folder
from .text import HAN

# jieba's word classes (ICTCLAS tags) of words that carry no content of their own.
FUNCTION_TAGS = frozenset(
    "c d df dg p r rr rz rg u ud ug uj ul uv uz y yg e o q mq m mg x zg".split())
# Word classes of names: people, places, organisations, other proper nouns.
NAME_TAGS = frozenset("nr nrt nrfg ns nt nz".split())
CLASSES_FORMAT = 1  # bump when what _read_classes keeps changes

_HAN_WORD_RE = re.compile(f"[{HAN}]")
_DIGITS_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class Word:
    """One word of a Chinese text: character span, and whether it names someone or
    something (a name tagged so in the dictionary, or a word the dictionary lacks)."""

    start: int
    end: int
    content: bool
    name: bool


def _read_classes(dictionary: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(function words, names) of jieba's dictionary file, by their word class."""
    function, names = [], []
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 3:
                continue
            if parts[2] in FUNCTION_TAGS:
                function.append(parts[0])
            elif parts[2] in NAME_TAGS:
                names.append(parts[0])
    return frozenset(function), frozenset(names)


def _cached_classes(dictionary: Path) -> tuple[frozenset[str], frozenset[str]]:
    """_read_classes, kept in the cache folder (named after the dictionary file's state)."""
    stat = dictionary.stat()
    path = cache_folder() / (f"jieba-classes-{CLASSES_FORMAT}-{stat.st_size}-"
                             f"{stat.st_mtime_ns}.marshal")
    try:
        with path.open("rb") as handle:
            function, names = marshal.load(handle)  # nosec B302 - our own file
        return frozenset(function), frozenset(names)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    function, names = _read_classes(dictionary)
    try:  # written whole then renamed, so a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            marshal.dump((list(function), list(names)), handle)
        os.replace(handle.name, path)
    except OSError:
        pass
    return function, names


class Segmenter:
    """jieba's tokenizer with its dictionary's function words and names."""

    def __init__(self):
        import jieba  # about 0.3 s: only when Chinese text is actually segmented

        # jieba tells of every dictionary load on standard error; only failures matter.
        jieba.setLogLevel(logging.ERROR)
        tokenizer = jieba.Tokenizer()
        folder = cache_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        # A read-only cache folder: jieba keeps its cache in the temporary folder instead.
        tokenizer.tmp_dir = str(folder) if os.access(folder, os.W_OK) else \
            tempfile.gettempdir()
        tokenizer.initialize()
        self.tokenizer = tokenizer
        self.known = tokenizer.FREQ
        self.function, self.names = _cached_classes(Path(jieba.__file__).parent / "dict.txt")

    def words(self, text: str) -> list[Word]:
        """Words of ``text`` with their spans; punctuation, spaces and Latin words left out
        (anchors read numbers and Latin-script names on their own)."""
        out: list[Word] = []
        pos = 0
        known, function, names = self.known, self.function, self.names
        for word in self.tokenizer.cut(text, HMM=True):
            start, pos = pos, pos + len(word)
            if not _HAN_WORD_RE.match(word):
                continue
            if word in function or (len(word) == 1 and not known.get(word)):
                out.append(Word(start, pos, False, False))
                continue
            if known.get(word):
                out.append(Word(start, pos, len(word) > 1, word in names))
            elif len(word) > 2:
                # Three characters or more that the dictionary lacks, put together by jieba's
                # HMM: in news, mostly a transliterated name (沃洛季米尔, 乌沙科夫).
                out.append(Word(start, pos, True, True))
            else:
                # Two: as often two function characters run together (这是, 这一) as a
                # word; read as the characters they are.
                out.extend(Word(k, k + 1, False, False) for k in range(start, pos))
        return out


_lock = threading.Lock()
_segmenter: Segmenter | None = None


def segmenter() -> Segmenter:
    """The process-wide segmenter, built on first use."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = Segmenter()
    return _segmenter
