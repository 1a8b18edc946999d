"""What a picture file says about itself: EXIF, IPTC and XMP creator, credit, copyright, source."""

import io
import re
import warnings

from PIL import Image, IptcImagePlugin

_EXIF = {0x013B: "creator", 0x8298: "copyright", 0x010E: "description"}
_IPTC = {(2, 80): "creator", (2, 110): "credit", (2, 115): "source", (2, 116): "copyright",
         (2, 120): "description"}
# XMP is XML; it is read with patterns, never with an XML parser that could expand entities.
_XMP = {
    "creator": r"<dc:creator>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "copyright": r"<dc:rights>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "credit": r"photoshop:Credit(?:=\"([^\"]*)\"|>(.*?)<)",
    "source": r"photoshop:Source(?:=\"([^\"]*)\"|>(.*?)<)",
}
MAX_FIELD = 500


def _text(value) -> str | None:
    if isinstance(value, list):
        value = b"; ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", " ").split())
    return value[:MAX_FIELD] or None


def embedded_credits(data: bytes) -> dict[str, str]:
    """Creator, credit, copyright, source and description the file carries (empty if none)."""
    found: dict[str, str] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            exif = image.getexif()
            for tag, name in _EXIF.items():
                if (value := _text(exif.get(tag))) and name not in found:
                    found[name] = value
            iptc = IptcImagePlugin.getiptcinfo(image) or {}
            for key, name in _IPTC.items():
                if (value := _text(iptc.get(key))) and name not in found:
                    found[name] = value
            xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    except Exception:  # metadata is a bonus: a file Pillow cannot open simply has none
        return found
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    for name, pattern in _XMP.items():
        match = re.search(pattern, xmp[:200_000], re.DOTALL)
        if match and name not in found:
            value = _text(next((g for g in match.groups() if g), ""))
            if value:
                found[name] = value
    return found
