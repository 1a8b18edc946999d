"""Reading picture bytes safely: every refusal says why, in words a staff member understands."""

import io
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# Pictures larger than this are refused before Pillow reads them (the 50 MB images
# are accepted; a mail attachment larger than this is not a news photo).
MAX_PHOTO_BYTES = 64 * 1024 * 1024
# Pillow's decompression-bomb guard: a small file that expands to more pixels than this is
# refused instead of filling the memory (a 50-megapixel camera image is still read).
MAX_PIXELS = 120_000_000
# Longest side the prints need; JPEGs are decoded at a reduced scale up to this (draft mode).
WORKING_SIZE = 256


class PhotoError(ValueError):
    """A picture that cannot be read; ``reason`` says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class LoadedPhoto:
    """A decoded picture, reduced for printing, with what was learnt while reading it."""

    image: Image.Image
    width: int
    height: int
    format: str
    warnings: list[str] = field(default_factory=list)


def sniff(data: bytes) -> str | None:
    """Name formats the desk refuses on sight, before Pillow tries them."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"<?xml") and b"<svg" in data[:4096].lower() or head.startswith(b"<svg"):
        return "svg"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc",
                                              b"heim", b"heis", b"avif"):
        return "heic"
    return None


def load_photo(data: bytes, *, working_size: int = WORKING_SIZE,
               max_pixels: int = MAX_PIXELS) -> LoadedPhoto:
    """Decode ``data`` into an upright RGB or greyscale picture no larger than ``working_size``."""
    if not data:
        raise PhotoError("the file is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"the picture is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    refused = sniff(data)
    if refused == "svg":
        # SVG is a program, not a picture: it is never rendered from mail or pages.
        raise PhotoError("SVG drawings are not read as photos (they can carry scripts)")
    if refused == "heic":
        raise PhotoError("HEIC/HEIF/AVIF pictures cannot be read here; "
                         "please send the photo as JPEG or PNG")
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise PhotoError(f"the picture claims {width}x{height} pixels, more than the "
                                 f"{max_pixels:,} the desk reads (a decompression bomb?)")
            fmt = image.format or "unknown"
            if getattr(image, "n_frames", 1) > 1:
                notes.append("an animated picture: its first frame was used")
                image.seek(0)
            if fmt == "JPEG":
                # Decoding at 1/2, 1/4 or 1/8 scale is several times faster and loses
                # nothing the prints use.
                image.draft("RGB", (working_size, working_size))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(f"the picture has too many pixels to read safely ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise PhotoError("the file is not a picture format the desk can read") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if "truncated" in str(exc).lower():
            return _truncated(data, working_size, notes)
        raise PhotoError(f"the picture is damaged and cannot be read ({exc})") from exc
    return LoadedPhoto(_normalised(image, working_size), width, height, fmt, notes)


def _truncated(data: bytes, working_size: int, notes: list[str]) -> LoadedPhoto:
    """A truncated file is read as far as it goes; the missing part stays grey."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        image.load()
    except Exception as exc:  # whatever Pillow raises on a broken file, the answer is the same
        raise PhotoError(f"the picture is cut off and cannot be read ({exc})") from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
    notes.append("the file is cut off: only its first part could be read")
    return LoadedPhoto(_normalised(image, working_size), width, height,
                       image.format or "unknown", notes)


def _normalised(image: Image.Image, working_size: int) -> Image.Image:
    """Upright (EXIF orientation applied), 8-bit, RGB or L, and small."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: scale to 8 bits by its own range, not by clipping at 255.
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image).convert("RGB")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")  # CMYK, YCbCr, LAB, 1 ...
    image.thumbnail((working_size, working_size), Image.Resampling.BILINEAR)
    return image
