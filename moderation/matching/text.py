"""Normalisation, tokens with offsets, scripts and sentences of one text."""

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

# Scripts written without spaces between words: each character is one token.
_NOSPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0002fa1f"
)
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
TOKEN_RE = re.compile(f"[{_NOSPACE}]|[^\\W_{_NOSPACE}]+")
HAN_RE = re.compile(f"[{HAN}]")
_NONWORD_RE = re.compile(r"[\W_]+")
_SPACE_BY_NOSPACE_RE = re.compile(f"(?<=[{_NOSPACE}]) | (?=[{_NOSPACE}])")
# Latin letters with accents that readers and editors drop or add freely.
_ACCENTED_RE = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")

_CLOSERS = "\"'”’」』）)\\]"
SENTENCE_END_RE = re.compile(
    r"\n\s*"
    f"|[。！？；!?;…]+[{_CLOSERS}]*"
    # A full stop ends a sentence before a space and a capital, digit, quote or CJK character
    # (abbreviations such as "Jan. 10" are kept whole below).
    f"|\\.+[{_CLOSERS}]*(?=\\s+[^\\sa-z,;:.])"
    # Extractive summaries glue sentences together: "cocaine.Chelsea", "$10.9bn.For".
    f"|(?<=[a-z0-9%{_CLOSERS}])\\.[{_CLOSERS}]*(?=[A-Z])"
    f"|(?<=[A-Z]{{2}})\\.[{_CLOSERS}]*(?=[A-Z][a-z])"
)
_ABBREVIATION_RE = re.compile(
    r"\b(?:[A-Z]|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|No|Nos|Mr|Mrs|Ms|Dr|St|Gen|Gov"
    r"|Sen|Rep|Col|Lt|Sgt|Capt|Prof|vs|Vol|pp|Art|Fig)\.$"
)
# Very long sentences (a page without punctuation) are cut so alignment stays linear.
MAX_SENTENCE_TOKENS = 80
# Weight of one Han/kana character against one word of a spaced script when measuring text.
NOSPACE_TOKEN_WEIGHT = 0.6

_token_cache: dict[str, str] = {}


def normalize_token(token: str) -> str:
    """NFKC, case-folded, accent-free form of one token (full-width digits become ASCII)."""
    cached = _token_cache.get(token)
    if cached is not None:
        return cached
    norm = unicodedata.normalize("NFKC", token).casefold()
    if _ACCENTED_RE.search(norm):
        decomposed = unicodedata.normalize("NFD", norm)
        norm = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(_token_cache) > 1_000_000:
        _token_cache.clear()
    _token_cache[token] = norm
    return norm


def normalize(text: str) -> str:
    """Comparable form of a text: NFKC, case-folded, punctuation as single spaces.

    Spaces next to Han or kana characters are dropped, since those scripts use none.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _NONWORD_RE.sub(" ", text).strip()
    return _SPACE_BY_NOSPACE_RE.sub("", text)


def tokenize(text: str) -> list[str]:
    """Normalised tokens: words of spaced scripts, single characters of Chinese and the like."""
    return [normalize_token(t) for t in TOKEN_RE.findall(text)]


def han_share(text: str) -> float:
    """Share of Han characters among the tokens of ``text`` (0 when it has none)."""
    tokens = TOKEN_RE.findall(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if HAN_RE.match(t)) / len(tokens)


@dataclass
class Sentence:
    """One sentence: character span in its text and token range in its token list."""

    start: int
    end: int
    first_token: int
    last_token: int
    weight: float


@dataclass
class Analysed:
    """A text cut into normalised tokens and sentences, with character offsets kept."""

    text: str
    tokens: list[str]
    token_starts: np.ndarray
    token_ends: np.ndarray
    sentences: list[Sentence] = field(default_factory=list)
    weight: float = 0.0
    weights: np.ndarray = field(default_factory=lambda: np.empty(0))
    _norms: list | None = None
    # What alignments derive from this text, kept for the next original compared with it.
    memo: dict = field(default_factory=dict)

    def sentence_text(self, i: int) -> str:
        """Raw text of sentence ``i``."""
        s = self.sentences[i]
        return self.text[s.start:s.end]

    def sentence_norm(self, i: int) -> str:
        """Normalised text of sentence ``i`` (computed when first asked for)."""
        norms = self._norms
        if norms is None:
            norms = self._norms = [None] * len(self.sentences)
        if norms[i] is None:
            s = self.sentences[i]
            norms[i] = normalize(self.text[s.start:s.end])
        return norms[i]

    def char_span(self, lo: int, hi: int) -> tuple[int, int]:
        """Character offsets of the token range [lo, hi)."""
        if hi <= lo:
            return 0, 0
        return int(self.token_starts[lo]), int(self.token_ends[hi - 1])

    def token_weight(self, lo: int, hi: int) -> float:
        """Weight of the token range [lo, hi) (words, Han characters counting less)."""
        return float(self.weights[lo:hi].sum())


def token_weight(token: str) -> float:
    """How much one token counts when measuring coverage."""
    return NOSPACE_TOKEN_WEIGHT if len(token) == 1 and ord(token) >= 0x0E00 else 1.0


def han_weight(text: Analysed) -> float:
    """Weight of the Han characters of an analysed text."""
    found = text.memo.get("han_weight")
    if found is None:
        found = text.memo["han_weight"] = NOSPACE_TOKEN_WEIGHT * sum(
            1 for t in text.tokens if len(t) == 1 and HAN_RE.match(t))
    return found


def sentence_ends(text: str) -> list[int]:
    """Character offsets where sentences end (always including the end of the text)."""
    ends = [m.end() for m in SENTENCE_END_RE.finditer(text)
            if not (text[m.start()] == "." and _ABBREVIATION_RE.search(text, max(0, m.start() - 6), m.start() + 1))]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def analyse(text: str, max_chars: int | None = None) -> Analysed:
    """Tokens and sentences of ``text`` (only its first ``max_chars`` characters if given)."""
    if max_chars is not None and len(text) > max_chars:
        text = text[:max_chars]
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    cache = _token_cache
    tokens = [cache.get(t) or normalize_token(t) for t in TOKEN_RE.findall(text)]
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    token_starts = bounds[:, 0].copy()
    analysed = Analysed(text, tokens, token_starts, bounds[:, 1].copy())
    if not tokens:
        return analysed
    weights = np.array([NOSPACE_TOKEN_WEIGHT if len(t) == 1 and t >= "\u0e00" else 1.0
                        for t in tokens])
    cumulative = np.concatenate([[0.0], np.cumsum(weights)]).tolist()
    boundaries = np.asarray(sentence_ends(text), dtype=np.int64)
    # Token i belongs to the first sentence whose end lies after its start.
    owner = np.searchsorted(boundaries, token_starts, side="right")
    firsts = [0, *(np.flatnonzero(np.diff(owner)) + 1).tolist(), len(tokens)]
    sentences = analysed.sentences
    for first, stop in zip(firsts, firsts[1:], strict=False):
        for lo in range(first, stop, MAX_SENTENCE_TOKENS):
            hi = min(lo + MAX_SENTENCE_TOKENS, stop)
            sentences.append(Sentence(spans[lo][0], spans[hi - 1][1], lo, hi,
                                      cumulative[hi] - cumulative[lo]))
    analysed.weight = cumulative[-1]
    analysed.weights = weights
    return analysed
