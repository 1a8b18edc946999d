"""Values passed in and out of the matching engine."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

# Kinds of match, from the strongest form of copy to none.
VERBATIM = "verbatim"
EXCERPT = "excerpt"
EDITED = "edited"
# Reworded: the original's sentences followed in other words (a rewrite, 洗稿).
REWRITTEN = "rewritten"
TRANSLATION = "translation"
NONE = "none"
KINDS = (VERBATIM, EXCERPT, EDITED, REWRITTEN, TRANSLATION, NONE)
# A rewrite scoring less than this is only a possible one: a person should look at it.
REWRITE_STRONG = 0.4


@dataclass(frozen=True)
class OriginalText:
    """What the engine needs of an original: its text, language and publication date."""

    text: str
    language: str = "en"
    published_at: date | datetime | None = None


@dataclass(frozen=True)
class Span:
    """One aligned passage: character offsets into an article segment and the original.

    ``kind`` is "verbatim" (similarity >= 0.97), "excerpt" (pieces of an original sentence
    cut and joined, word for word), "edited", "rewritten" (similarity is then the tf-isf
    cosine of the two passages' content words) or "translation".
    """

    segment: int
    article_start: int
    article_end: int
    original_start: int
    original_end: int
    similarity: float
    kind: str


@dataclass(frozen=True)
class Match:
    """How one article relates to one original.

    ``score`` (0..1) says how sure and how much: mean similarity of the aligned passages
    times the larger of the two coverages (or of a saturating measure of the passage
    length, so that a long copied passage counts inside a long article).
    ``article_coverage``: share of the article's words inside aligned passages;
    ``original_coverage``: share of the original's words found in the article.
    ``languages``: (article segment language, original language) of the passages that
    decided ``kind``.

    For kind "rewritten", ``score`` is the confidence that the article rewrites the
    original: the share of the article (or of the original) its reworded and copied
    passages explain, each counted by its similarity. ``possible`` is true below
    ``REWRITE_STRONG``: a possible rewrite, for a person to decide, not established reuse.
    """

    original_id: int | None
    score: float
    kind: str
    article_coverage: float
    original_coverage: float
    spans: tuple[Span, ...] = field(default_factory=tuple)
    languages: tuple[str, str] = ("", "")

    @property
    def possible(self) -> bool:
        """True for a rewrite whose evidence is too weak to count as provenance."""
        return self.kind == REWRITTEN and self.score < REWRITE_STRONG

    def to_dict(self) -> dict:
        """Plain JSON-ready form (spans as dicts)."""
        data = asdict(self)
        data["spans"] = [asdict(s) for s in self.spans]
        data["languages"] = list(self.languages)
        return data

    @classmethod
    def none(cls, original_id: int | None = None, languages=("", "")) -> "Match":
        """A result saying the article does not come from the original."""
        return cls(original_id, 0.0, NONE, 0.0, 0.0, (), tuple(languages))
