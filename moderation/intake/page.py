"""The result of reading one page: metadata, language segments and a change hash."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

# A news page, even with inline scripts and styles, stays well under this; anything larger is
# an export or a dump, and reading it whole would stall an import for every other input.
MAX_PAGE_BYTES = 10 * 1024 * 1024
_MB = 1024 * 1024


def too_big_reason(size: int, what: str) -> str:
    """Why an input of ``size`` bytes is refused, in words for staff."""
    return (
        f"{what} is {size / _MB:.1f} MB, over the {MAX_PAGE_BYTES // _MB} MB limit for one page; "
        "no news page is that large, so it is probably an export or a dump, not a page"
    )


class IntakeError(Exception):
    """Base class of the errors the intake library raises on purpose."""


@dataclass(frozen=True)
class Segment:
    """A run of consecutive paragraphs in one language ("zh", "en" or "other")."""

    language: str
    text: str
    # A heading that opened this run (e.g. the English original's own title), kept apart.
    title: str | None = None


@dataclass
class ExtractedPage:
    """Everything the desk reads from one page, ready to store as an Article or an Original."""

    title: str | None = None
    published_at: datetime | None = None
    claimed_source: str | None = None
    language: str | None = None
    segments: list[Segment] = field(default_factory=list)
    canonical_url: str | None = None
    publisher: str | None = None
    original_title: str | None = None
    warnings: list[str] = field(default_factory=list)
    # (reason, line) pairs for every line dropped as site chrome, so a reviewer can check them.
    removed: list[tuple[str, str]] = field(default_factory=list)
    # The page's pictures (intake.images.PageImage), in page order.
    images: list = field(default_factory=list)

    @property
    def body(self) -> str:
        """The segments' text joined by blank lines: the page's own words, without chrome."""
        return "\n\n".join(segment.text for segment in self.segments)

    @property
    def text_hash(self) -> str:
        """sha256 of the normalised body: equal hashes mean an unchanged page."""
        return text_hash(self.body)

    def segment(self, language: str) -> Segment | None:
        """The first segment in ``language``, if any."""
        return next((s for s in self.segments if s.language == language), None)


_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC-fold and collapse white space so that layout changes do not count as edits."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def text_hash(text: str) -> str:
    """Hex sha256 of ``normalise_text(text)``."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
