"""What reviewers' verdicts say about matching's scores: precision per kind, and thresholds.

Pure: it takes (verdict, kind, score) triples from MatchFeedback and returns numbers, so the
admin page, tests and any later tuning script read the same arithmetic.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import MATCH_KINDS

ALL = "all"  # the row that counts every kind together
DEFAULT_TARGET = 0.95
# Float division can land a hair under a target it meets exactly (e.g. 0.95 * 20).
_EPSILON = 1e-9


@dataclass(frozen=True)
class Judged:
    """One reviewer verdict on an article-original pair, as the match scored it."""

    verdict: str  # confirmed or rejected
    kind: str
    score: float


@dataclass(frozen=True)
class Threshold:
    """The lowest score at which the pairs at or above it reach the target precision."""

    score: float
    precision: float  # among judged pairs with score >= score
    judged: int  # judged pairs at or above it
    kept: int  # confirmed pairs at or above it
    lost: int  # confirmed pairs below it: real matches the threshold would have dropped
    rejected_kept: int  # wrong matches still at or above it


@dataclass(frozen=True)
class KindSummary:
    kind: str
    confirmed: int
    rejected: int
    threshold: Threshold | None  # None: no data, or no score reaches the target

    @property
    def judged(self) -> int:
        return self.confirmed + self.rejected

    @property
    def precision(self) -> float | None:
        """Confirmed / judged; None when nothing was judged (not zero: zero would mislead)."""
        return self.confirmed / self.judged if self.judged else None


def _reaches(confirmed: int, judged: int, target: float) -> bool:
    return judged > 0 and confirmed >= target * judged - _EPSILON


def threshold(rows: Iterable[Judged], target: float) -> Threshold | None:
    """The lowest score t such that judged pairs scoring >= t have precision >= target.

    Every distinct judged score is a candidate: precision is not monotonic in t, so all are
    tried, walking down from the highest score and keeping the last one that qualifies.
    """
    if not 0 < target <= 1:
        raise ValueError("the target precision is a number above 0 and at most 1")
    ordered = sorted(rows, key=lambda r: r.score, reverse=True)
    total_confirmed = sum(1 for r in ordered if r.verdict == "confirmed")
    best = None
    confirmed = judged = 0
    for index, row in enumerate(ordered):
        judged += 1
        confirmed += row.verdict == "confirmed"
        # Only a cut below the last of equal scores is a real threshold.
        if index + 1 < len(ordered) and ordered[index + 1].score == row.score:
            continue
        if _reaches(confirmed, judged, target):
            best = Threshold(score=row.score, precision=confirmed / judged, judged=judged,
                             kept=confirmed, lost=total_confirmed - confirmed,
                             rejected_kept=judged - confirmed)
    return best


def summarise(rows: Iterable[Judged], target: float = DEFAULT_TARGET) -> list[KindSummary]:
    """One summary per match kind that has verdicts (known kinds first), then all together."""
    rows = [r for r in rows if r.verdict in ("confirmed", "rejected")]
    by_kind: dict[str, list[Judged]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    order = [k for k in MATCH_KINDS if k in by_kind] + sorted(set(by_kind) - set(MATCH_KINDS))
    summaries = [_summary(kind, by_kind[kind], target) for kind in order]
    summaries.append(_summary(ALL, rows, target))
    return summaries


def _summary(kind: str, rows: list[Judged], target: float) -> KindSummary:
    confirmed = sum(1 for r in rows if r.verdict == "confirmed")
    return KindSummary(kind=kind, confirmed=confirmed, rejected=len(rows) - confirmed,
                       threshold=threshold(rows, target) if rows else None)


def parse_target(text: str | None) -> float | None:
    """A target precision typed as 0.95 or 95 (per cent); None when it is not one."""
    try:
        value = float((text or "").strip().rstrip("%"))
    except ValueError:
        return None
    if 1 < value <= 100:
        value /= 100
    return value if 0 < value <= 1 else None
