"""Turning message bytes into text when the declared charset is missing, wrong or unknown."""

import codecs

from charset_normalizer import from_bytes

# Senders label text with the narrow legacy name while writing the wider superset.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "big5": "big5hkscs",
    "big-5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "cp950": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
}
_SINGLE_BYTE_LATIN = {"ascii", "cp1252", "iso8859-15", "iso8859-2", "cp1250"}
# Detection on a sample keeps a megabyte-sized body from costing seconds.
_DETECTION_SAMPLE = 64 * 1024


def codec_for(charset: str | None) -> str | None:
    """Python codec name for a declared charset (widened to its superset), or None if unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(data: bytes) -> str | None:
    try:
        match = from_bytes(data[:_DETECTION_SAMPLE]).best()
    except Exception:  # the detector is a heuristic: its failures must not stop the mail
        return None
    if match is None:
        return None
    codec = codec_for(match.encoding)
    # Without a byte-order mark a UTF-16/32 guess is noise: any even-length byte run fits it.
    boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    if codec and codec.startswith(("utf-16", "utf-32")) and not data.startswith(boms):
        return None
    return codec


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode ``data``; returns the text and a plain-language warning when a fallback was needed.

    Order: the declared charset (widened, e.g. gb2312 read as gb18030), UTF-8 when the
    declared charset is a Latin one that cannot explain the bytes, charset detection,
    and finally UTF-8 with replacement characters.
    """
    if not data:
        return "", None
    codec = codec_for(declared)
    # ASCII bytes read the same in every ASCII-compatible charset.
    if data.isascii() and not (codec or "").startswith(("utf-7", "utf-16", "utf-32")):
        return data.decode("ascii"), None
    if codec is not None:
        if codec in _SINGLE_BYTE_LATIN:
            # Latin charsets decode any byte; UTF-8 mislabelled as Latin is far more common.
            as_utf8 = _strict(data, "utf-8")
            if as_utf8 is not None:
                return as_utf8, None
        text = _strict(data, codec)
        if text is not None:
            return text, None
    elif declared is None:
        as_utf8 = _strict(data, "utf-8")
        if as_utf8 is not None:
            return as_utf8, None
    guessed = _detected(data)
    if guessed is not None:
        text = _strict(data, guessed)
        if text is None:
            text = data.decode(guessed, errors="replace")
        label = f"declared as {declared}" if declared else "with no charset declared"
        return text, f"Text {label} was read as {guessed}."
    label = f"declared as {declared}" if declared else "with no charset declared"
    return (
        data.decode("utf-8", errors="replace"),
        f"Text {label} could not be decoded cleanly; unreadable bytes were replaced.",
    )
