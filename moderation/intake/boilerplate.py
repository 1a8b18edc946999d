"""Boilerplate learned from the site itself: lines that recur across many of its pages."""

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .page import IntakeError

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# Longer lines are article prose far more often than template text, and would bloat the model.
MAX_LINE_CHARS = 400
FORMAT_VERSION = 1


def line_key(line: str) -> str:
    """The form a line is counted under: NFKC, lower case, spaces collapsed, numbers as 0."""
    folded = unicodedata.normalize("NFKC", line).strip().lower()
    return _DIGITS.sub("0", _SPACE.sub(" ", folded))


class BoilerplateModelError(IntakeError, ValueError):
    """A stored boilerplate model that cannot be read."""


@dataclass
class BoilerplateModel:
    """Document frequency of lines over a site's pages; frequent lines are boilerplate.

    A line is boilerplate once it occurs in at least ``min_pages`` pages and in at least
    ``min_share`` of all pages seen, and only after ``warm_up`` pages have been seen, so a
    handful of reposts of one story never turns that story's sentences into boilerplate.
    """

    pages: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    min_pages: int = 5
    min_share: float = 0.05
    warm_up: int = 20

    @classmethod
    def learn(
        cls,
        texts: Iterable[str],
        *,
        min_pages: int = 5,
        min_share: float = 0.05,
        warm_up: int = 20,
    ) -> "BoilerplateModel":
        """A model trained on ``texts`` (whole pages as text, one line per paragraph or item)."""
        model = cls(min_pages=min_pages, min_share=min_share, warm_up=warm_up)
        for text in texts:
            model.add(text)
        return model

    def add(self, text: str) -> None:
        """Count each distinct line of one page once."""
        keys = {line_key(line) for line in text.splitlines()}
        self.counts.update(key for key in keys if key and len(key) <= MAX_LINE_CHARS)
        self.pages += 1

    @property
    def threshold(self) -> float:
        """Pages a line must occur in to count as boilerplate now."""
        return max(self.min_pages, self.min_share * self.pages)

    def is_boilerplate(self, line: str) -> bool:
        """True when ``line`` recurs across enough of the site's pages."""
        if self.pages < self.warm_up:
            return False
        return self.counts.get(line_key(line), 0) >= self.threshold

    def boilerplate_lines(self) -> list[tuple[str, int]]:
        """The learned boilerplate (normalised line, pages), most frequent first, for review."""
        if self.pages < self.warm_up:
            return []
        limit = self.threshold
        return [(key, count) for key, count in self.counts.most_common() if count >= limit]

    def prune(self, keep_at_least: int = 2) -> None:
        """Forget lines seen in fewer than ``keep_at_least`` pages, to keep a stored model small."""
        self.counts = Counter({k: c for k, c in self.counts.items() if c >= keep_at_least})

    def to_dict(self) -> dict:
        """A JSON-ready form; ``from_dict`` reads it back."""
        return {
            "format": FORMAT_VERSION,
            "pages": self.pages,
            "min_pages": self.min_pages,
            "min_share": self.min_share,
            "warm_up": self.warm_up,
            "counts": dict(self.counts.most_common()),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "BoilerplateModel":
        """Read a model written by ``to_dict``; raises BoilerplateModelError if it cannot."""
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise BoilerplateModelError(f"unknown boilerplate model format {found!r}")
        try:
            return cls(
                pages=int(data["pages"]),
                counts=Counter({str(k): int(v) for k, v in data["counts"].items()}),
                min_pages=int(data["min_pages"]),
                min_share=float(data["min_share"]),
                warm_up=int(data["warm_up"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BoilerplateModelError(f"damaged boilerplate model ({exc!r})") from None

    def to_json(self) -> str:
        """The model as a JSON string (human-readable: the lines themselves are the keys)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "BoilerplateModel":
        """Inverse of ``to_json``; raises BoilerplateModelError (a ValueError) if it cannot."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BoilerplateModelError(f"the boilerplate model is not JSON ({exc})") from None
        return cls.from_dict(data)
