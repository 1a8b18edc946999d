"""Turning page bytes into text: BOMs, declared charsets, detection, and a lossy last resort."""

import codecs
import re
from dataclasses import dataclass

# Supersets decode everything their subsets do, and pages labelled with the subset
# routinely use characters only the superset has (browsers do the same).
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# Control bytes that never appear in text (tab, newlines, form feed and escape excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_SNIFF_BYTES = 4096
# Detection looks at the start of a page only; that is plenty and keeps large pages fast.
_DETECT_BYTES = 200_000
_CJK_CODECS = ["gb18030", "big5", "cp932", "euc_jp", "euc_kr"]
# The most frequent Chinese characters, simplified and traditional. Real text is full of
# them; GBK read as Big5 (or the reverse) decodes to rare characters instead.
_COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研"
    "並乾併來係個們傢內兩別則動區員問噹嚮國圖妳學實將對幹幾強彆彊後從應戰據數於時曏會條業樣機氣"
    "決沒為無現產當發瞭祇秖種筦箇級組結統經線總繫義與著處衕衹裡製見計設說論變資質軍較農迴這進運"
    "過還邊錶長開間閤關隻電頭題體髮麵麼點黨齣龢"
)


@dataclass(frozen=True)
class DecodedText:
    """Decoded text, the encoding used, how it was chosen, and whether bytes were replaced."""

    text: str
    encoding: str
    replaced: bool = False
    # One of "bom", "declared", "meta", "utf-8", "detected", "fallback".
    method: str = "utf-8"


def normalise_encoding(name: str | None) -> str | None:
    """Python codec name for a charset label, widened to its superset; None if unknown."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    codec = codec.replace("-", "_")
    codec = _SUPERSETS.get(codec, codec)
    return codecs.lookup(codec).name


def sniff_declared(data: bytes) -> str | None:
    """The charset a page declares in <meta charset>, http-equiv or an XML declaration."""
    head = data[:_SNIFF_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalise_encoding(match.group(1).decode("ascii")) if match else None


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is plainly not text (NUL bytes or many control bytes)."""
    sample = data[:_SNIFF_BYTES]
    if not sample or any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls / len(sample) > 0.05


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_single_high_bytes(data: bytes) -> bool:
    """True when most non-ASCII bytes stand alone between ASCII ones.

    That is the shape of Western single-byte text ("\xa315m" for "£15m"); the double-byte
    Chinese and Japanese encodings put their non-ASCII bytes in runs instead. Statistical
    detection misreads the former as Shift-JIS, hence this check first.
    """
    sample = data[:_DETECT_BYTES]
    high = alone = 0
    for index, byte in enumerate(sample):
        if byte >= 0x80:
            high += 1
            before = sample[index - 1] if index else 0
            after = sample[index + 1] if index + 1 < len(sample) else 0
            alone += before < 0x80 and after < 0x80
    return high > 0 and alone * 2 >= high


def _chinese_encoding(sample: bytes, truncated: bool) -> str | None:
    """gb18030 or big5hkscs, whichever reads ``sample`` as common Chinese; None if neither does."""
    scores = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            # A sample cut from a longer page may end inside a character: that alone is no fault.
            text = sample.decode(encoding, errors="ignore" if truncated else "strict")
        except UnicodeDecodeError:
            continue
        hanzi = [char for char in text if "\u4e00" <= char <= "\u9fff"]
        if hanzi:
            common = sum(char in _COMMON_HANZI for char in hanzi)
            scores.append((common / len(hanzi), encoding))
    if not scores:
        return None
    score, encoding = max(scores)
    return encoding if score >= 0.15 else None


def _detect(data: bytes) -> str | None:
    if _mostly_single_high_bytes(data):
        for encoding in ("cp1252", "latin-1"):
            if _strict(data, encoding) is not None:
                return encoding
    sample = data[:_DETECT_BYTES]
    chinese = _chinese_encoding(sample, truncated=len(data) > len(sample))
    if chinese:
        return chinese
    # Imported here: most pages are UTF-8 or declare their encoding, and the detector takes
    # longer to import than a `moderation check` of such a page takes to run.
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=_CJK_CODECS).best() or from_bytes(sample).best()
    return normalise_encoding(best.encoding) if best is not None else None


def decode_bytes(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode ``data``, trusting in turn a BOM, ``declared``, the page's own meta, UTF-8, detection.

    Never raises on content: when nothing decodes cleanly the bytes are read with the declared
    charset (else the detected one, else UTF-8) and U+FFFD replacements, and ``replaced`` says so.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is not None:
                return DecodedText(text, encoding, method="bom")
    candidates = [
        (normalise_encoding(declared), "declared"),
        (sniff_declared(data), "meta"),
        ("utf-8", "utf-8"),
    ]
    for encoding, method in candidates:
        if encoding:
            text = _strict(data, encoding)
            if text is not None:
                return DecodedText(text, encoding, method=method)
    detected = _detect(data)
    if detected:
        text = _strict(data, detected)
        if text is not None:
            return DecodedText(text, detected, method="detected")
    # Whatever a page says about itself beats a guess when both fail.
    fallback = candidates[0][0] or candidates[1][0] or detected or "utf-8"
    return DecodedText(data.decode(fallback, errors="replace"), fallback, True, "fallback")
