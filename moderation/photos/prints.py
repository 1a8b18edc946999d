"""Perceptual prints of a photo: what is kept of each picture to find its copies (< 1 KB)."""

import hashlib
import math
import struct
from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image
from scipy.fft import dct
from scipy.ndimage import uniform_filter

from .decode import load_photo

HASH_BITS = 64
# Windows of the picture hashed as well as the whole, as fractions (left, top, width, height),
# so that a copy cropped to 70% of the area still meets one of them: each crop of that size
# lies within a few percent of one window, which the perceptual hash tolerates.
_SIZES = ((0.84, 0.84), (0.7, 1.0), (1.0, 0.7), (0.77, 0.91), (0.91, 0.77))


# Window positions are at most this far apart (as a fraction of the picture's side).
_STEP = 0.06


def _positions(size: float) -> list[float]:
    count = 1 + math.ceil((1 - size) / _STEP - 1e-9)
    return [round((1 - size) * at / (count - 1), 4) for at in range(count)] if count > 1 else [0.0]


def _windows() -> tuple[tuple[float, float, float, float], ...]:
    found = []
    for width, height in _SIZES:
        found += [(x, y, width, height) for y in _positions(height) for x in _positions(width)]
    return tuple(found)


WINDOWS = _windows()
# The little picture kept to tell a copy from the next frame of a burst (16 x 16 grey).
THUMB = 16
# Rows and columns at the edges this flat are a frame or border added around the photo.
_FLAT = 6.0


@dataclass(frozen=True)
class PhotoPrint:
    """Hashes of one picture: the whole (pHash, dHash), its windows, and a tiny thumbnail."""

    phash: int
    dhash: int
    # pHash of the picture mirrored left to right, so a flipped copy meets its original.
    mirror: int
    windows: tuple[int, ...]
    thumb: bytes
    width: int = 0
    height: int = 0

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0

    def to_bytes(self) -> bytes:
        """A compact form for storage: 33 + 8 per window + 256 bytes (under 1 KB)."""
        head = struct.pack("<QQQII", self.phash, self.dhash, self.mirror, self.width,
                           self.height)
        body = struct.pack(f"<{len(self.windows)}Q", *self.windows)
        return head + bytes([len(self.windows)]) + body + self.thumb

    @classmethod
    def from_bytes(cls, data: bytes) -> "PhotoPrint":
        phash, dhash, mirror, width, height = struct.unpack_from("<QQQII", data)
        count = data[32]
        windows = struct.unpack_from(f"<{count}Q", data, 33)
        thumb = bytes(data[33 + 8 * count:])
        return cls(phash, dhash, mirror, tuple(windows), thumb, width, height)


def _bits(array: np.ndarray) -> int:
    return int("".join("1" if bit else "0" for bit in array.flatten()), 2)


def _trim_border(grey: np.ndarray) -> np.ndarray:
    """Cut a flat frame or border (at most a quarter per side) so it does not change the hash."""
    height, width = grey.shape
    top, bottom, left, right = 0, height, 0, width
    limit_y, limit_x = height // 4, width // 4

    def flat(line: np.ndarray, colour: float) -> bool:
        return float(line.std()) < _FLAT and abs(float(line.mean()) - colour) < 2 * _FLAT

    corner = float(np.median([grey[0, 0], grey[0, -1], grey[-1, 0], grey[-1, -1]]))
    while top < limit_y and flat(grey[top, left:right], corner):
        top += 1
    while height - bottom < limit_y and flat(grey[bottom - 1, left:right], corner):
        bottom -= 1
    while left < limit_x and flat(grey[top:bottom, left], corner):
        left += 1
    while width - right < limit_x and flat(grey[top:bottom, right - 1], corner):
        right -= 1
    if min(top, height - bottom, left, width - right) < 2:
        # A frame added around a photo runs along all four sides; a dark sky or a white
        # wall along one or two sides is part of the photo.
        return grey
    # JPEG smears the photo's edge into the frame by a pixel or two: cut those too.
    margin = max(1, round(0.01 * max(height, width)))
    return grey[top + margin:bottom - margin, left + margin:right - margin]


_GRID = 128
_SPOTS = (np.arange(32) + 0.5) / 32
_ROWS = np.array([((y + _SPOTS * h) * _GRID).astype(np.intp) for _, y, _, h in WINDOWS])
_COLS = np.array([((x + _SPOTS * w) * _GRID).astype(np.intp) for x, _, w, _ in WINDOWS])


def _window_hashes(grey: Image.Image) -> tuple[int, ...]:
    """pHash (imagehash's recipe: 32 x 32, DCT, 8 x 8 low frequencies above their median) of
    every window, sampled from one smoothed 128 x 128 grid and transformed in one batch."""
    grid = np.asarray(grey.resize((_GRID, _GRID), Image.Resampling.BOX), dtype=np.float64)
    # Smoothing over about one sample step keeps the 32-point sampling from aliasing.
    grid = uniform_filter(grid, size=3, mode="nearest")
    stack = grid[_ROWS[:, :, None], _COLS[:, None, :]]
    low = dct(dct(stack, axis=1, type=2), axis=2, type=2)[:, :8, :8].reshape(len(WINDOWS), 64)
    bits = low > np.median(low, axis=1, keepdims=True)
    weights = (1 << np.arange(63, -1, -1, dtype=np.uint64))
    return tuple(int(v) for v in (bits.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64))


def print_photo(image: Image.Image, size: tuple[int, int] | None = None) -> PhotoPrint:
    """The print of a decoded picture; ``size`` is its true size when ``image`` was reduced."""
    whole = np.asarray(image.convert("L"), dtype=np.uint8)
    grey_array = _trim_border(whole)
    grey = Image.fromarray(grey_array)
    # The true size of what is printed (the frame cut off), to tell "same" from "resized".
    scale_x = (size[0] if size else image.width) / image.width
    scale_y = (size[1] if size else image.height) / image.height
    thumb = grey.resize((THUMB, THUMB), Image.Resampling.BOX)
    return PhotoPrint(
        phash=_bits(imagehash.phash(grey).hash),
        dhash=_bits(imagehash.dhash(grey).hash),
        mirror=_bits(imagehash.phash(mirrored(grey)).hash),
        windows=_window_hashes(grey),
        thumb=thumb.tobytes(),
        width=round(grey.width * scale_x),
        height=round(grey.height * scale_y),
    )


def print_photo_bytes(data: bytes) -> tuple[PhotoPrint, str, list[str], tuple[int, int]]:
    """Print, sha256, reading notes and the true size (width, height) of picture bytes."""
    loaded = load_photo(data)
    return (print_photo(loaded.image, (loaded.width, loaded.height)), hashlib.sha256(data).hexdigest(), loaded.warnings,
            (loaded.width, loaded.height))


def mirrored(image: Image.Image) -> Image.Image:
    return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
