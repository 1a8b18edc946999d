"""Comparing two photo prints: is one a copy of the other, and of what kind."""

from dataclasses import dataclass

import numpy as np

from .prints import THUMB, WINDOWS, PhotoPrint

PHOTO_KINDS = ("same", "resized", "cropped", "mirrored", "edited", "similar")
COPY_KINDS = PHOTO_KINDS[:-1]
# Hash distances (of 64 bits) within which two prints are worth a closer look.
NEAR = 14
WINDOW_NEAR = 12
SIMILAR_NEAR = 20
# Correlation of the 16 x 16 thumbnails above which a near print is the same photo: resizing,
# recompression, brightness, a logo keep it above 0.97; the other camera of a stereo pair or
# the next frame of a burst falls to about 0.85 (measured on scikit-image's photographs).
COPY_CORRELATION = 0.93
# A crop is judged on its window of the 16 x 16 thumbnail, a coarse picture: the hash gap
# carries the decision (distinct photographs stay 14 bits or more apart), the correlation only
# rules out a different picture whose hash happens to come near.
CROP_NEAR = 10
CROP_CORRELATION = 0.50
CROP_CORRELATION_FAR = 0.80
MAX_PAIRS = 8
SIMILAR_CORRELATION = 0.60


@dataclass(frozen=True)
class PhotoMatch:
    """How a picture relates to an original: kind (see PHOTO_KINDS) and similarity 0..1."""

    kind: str
    similarity: float
    distance: int

    @property
    def is_copy(self) -> bool:
        return self.kind in COPY_KINDS


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _pixels(thumb: bytes) -> np.ndarray:
    return np.frombuffer(thumb, dtype=np.uint8).reshape(THUMB, THUMB).astype(np.float64)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised correlation: insensitive to brightness and contrast by construction."""
    a, b = a - a.mean(), b - b.mean()
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float((a * b).sum() / norm) if norm else (1.0 if not a.any() and not b.any() else 0.0)


def worth_comparing(query: PhotoPrint, thumbs: np.ndarray, windows: np.ndarray,
                    counts: np.ndarray) -> np.ndarray:
    """Which of many candidates (their thumbnails, window hashes and window counts as rows)
    could pass some test of ``compare_prints``: a necessary condition, checked in one step so
    that the hash collisions a million photos bring cost no closer look.

    Every test there needs a whole-picture correlation of SIMILAR_CORRELATION, a mirrored one
    of COPY_CORRELATION, or a window pair within WINDOW_NEAR bits (CROP_NEAR is smaller).
    """
    def correlations(mine: np.ndarray) -> np.ndarray:
        mine = mine.ravel() - mine.mean()
        theirs = thumbs.astype(np.float32)
        theirs -= theirs.mean(axis=1, keepdims=True)
        norms = np.linalg.norm(theirs, axis=1) * float(np.linalg.norm(mine))
        dots = theirs @ mine.astype(np.float32)
        return np.where(norms > 0, dots / np.where(norms > 0, norms, 1), 1.0)

    mine = _pixels(query.thumb)
    keep = correlations(mine) >= SIMILAR_CORRELATION - 1e-6
    keep |= correlations(mine[:, ::-1]) >= COPY_CORRELATION - 1e-6
    ours = np.array([query.phash, *query.windows], dtype=np.uint64)
    gaps = np.bitwise_count(windows[:, :, None] ^ ours[None, None, :]).min(axis=2)
    filled = np.arange(windows.shape[1])[None, :] < counts[:, None]
    keep |= (np.where(filled, gaps, 64).min(axis=1) <= WINDOW_NEAR) if windows.shape[1] else False
    return keep


def _window_spots(window: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    x, y, w, h = window
    cols = np.clip(((x + (np.arange(THUMB) + 0.5) / THUMB * w) * THUMB).astype(int), 0, THUMB - 1)
    rows = np.clip(((y + (np.arange(THUMB) + 0.5) / THUMB * h) * THUMB).astype(int), 0, THUMB - 1)
    return np.ix_(rows, cols)


# The thumbnail pixels each window covers, worked out once (every lookup reads them).
_SPOTS = {window: _window_spots(window) for window in (*WINDOWS, (0.0, 0.0, 1.0, 1.0))}


def _window_pixels(thumb: np.ndarray, window: tuple[float, float, float, float]) -> np.ndarray:
    """The part of a thumbnail a window covers, resampled back to THUMB x THUMB."""
    spots = _SPOTS.get(window) or _window_spots(window)
    return thumb[spots]


def _copy_kind(query: PhotoPrint, original: PhotoPrint, hashed: int, fine: float,
               mine: np.ndarray, theirs: np.ndarray) -> str:
    # The correlation ignores brightness and contrast, so "same" also asks for equal levels.
    level = abs(mine.mean() - theirs.mean()) < 1.5 and abs(mine.std() - theirs.std()) < 1.5
    if hashed == 0 and query.dhash == original.dhash and fine > 0.999 and level and (
            query.width, query.height) == (original.width, original.height):
        return "same"
    same_shape = abs(query.aspect - original.aspect) < 0.03 * original.aspect
    levelled = abs(mine.mean() - theirs.mean()) < 4 and abs(mine.std() - theirs.std()) < 4
    if same_shape and levelled and hashed <= 4 and fine >= 0.99:
        return "resized"
    return "edited"


def compare_prints(query: PhotoPrint, original: PhotoPrint) -> PhotoMatch | None:
    """The relation of ``query`` to ``original``, or None when they are unrelated pictures."""
    mine, theirs = _pixels(query.thumb), _pixels(original.thumb)
    hashed = distance(query.phash, original.phash)
    differ = distance(query.dhash, original.dhash)
    fine = correlation(mine, theirs)
    if (hashed <= NEAR or differ <= NEAR) and fine >= COPY_CORRELATION:
        kind = _copy_kind(query, original, hashed, fine, mine, theirs)
        return PhotoMatch(kind, round(fine, 4), hashed)
    flipped = distance(query.mirror, original.phash)
    mirrored_fine = correlation(mine[:, ::-1], theirs)
    if flipped <= NEAR and mirrored_fine >= COPY_CORRELATION:
        return PhotoMatch("mirrored", round(mirrored_fine, 4), flipped)
    same_shape = abs(query.aspect - original.aspect) < 0.03 * original.aspect
    if same_shape:
        edited = _edited_part(query, original, mine, theirs)
        if edited is not None:
            return edited
    if not (same_shape and hashed <= NEAR):
        # The same frame, near in every hash, is another take of the scene, not a crop.
        crop = _best_window(query, original, mine, theirs)
        if crop is not None:
            return crop
    if (hashed <= SIMILAR_NEAR or fine >= COPY_CORRELATION) and fine >= SIMILAR_CORRELATION:
        return PhotoMatch("similar", round(max(fine, 0.0), 4), hashed)
    return None


def _edited_part(query: PhotoPrint, original: PhotoPrint, mine: np.ndarray,
                 theirs: np.ndarray) -> PhotoMatch | None:
    """A logo or caption bar over one part: some window of the picture is unchanged."""
    best: PhotoMatch | None = None
    for at, (ours, stored) in enumerate(zip(query.windows, original.windows, strict=False)):
        gap = distance(ours, stored)
        if gap > CROP_NEAR:
            continue
        fine = correlation(_window_pixels(mine, WINDOWS[at]), _window_pixels(theirs, WINDOWS[at]))
        if fine >= COPY_CORRELATION and (best is None or fine > best.similarity):
            best = PhotoMatch("edited", round(fine, 4), gap)
    return best


_FULL = (0.0, 0.0, 1.0, 1.0)


def _best_window(query: PhotoPrint, original: PhotoPrint, mine: np.ndarray,
                 theirs: np.ndarray) -> PhotoMatch | None:
    """A crop of the original: the query's whole or a window meets one of the original's windows.

    Windows on both sides make the grid of framings finer than either alone.
    """
    if not original.windows:
        return None
    ours = np.array([query.phash, *query.windows], dtype=np.uint64)
    stored = np.array(original.windows, dtype=np.uint64)
    gaps = np.bitwise_count(ours[:, None] ^ stored[None, :])
    best: PhotoMatch | None = None
    near = np.argwhere(gaps <= WINDOW_NEAR)
    # The closest few pairs are enough; each costs a correlation.
    near = near[np.argsort(gaps[near[:, 0], near[:, 1]], kind="stable")[:MAX_PAIRS]]
    for mine_at, theirs_at in near:
        own = _FULL if mine_at == 0 else WINDOWS[mine_at - 1]
        fine = correlation(_window_pixels(mine, own), _window_pixels(theirs, WINDOWS[theirs_at]))
        wanted = CROP_CORRELATION if gaps[mine_at, theirs_at] <= CROP_NEAR else CROP_CORRELATION_FAR
        if fine >= wanted and (best is None or fine > best.similarity):
            best = PhotoMatch("cropped", round(fine, 4), int(gaps[mine_at, theirs_at]))
    return best
