"""Old-style inline uuencoded files ("begin 644 name" ... "end") inside text bodies."""

import binascii
import re

_UU_BLOCK = re.compile(r"^begin [0-7]{3,4} (?P<name>[^\r\n]+)\r?\n(?P<body>.*?)^end\s*$", re.M | re.S)


def uudecode_blocks(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Inline uuencoded files found in text: the text with each block replaced, and the files."""
    files: list[tuple[str, bytes]] = []
    if "begin " not in text:
        return text, files

    def decode(match: re.Match[str]) -> str:
        name = match.group("name").strip()
        data = bytearray()
        for line in match.group("body").splitlines():
            if not line.strip() or line.strip() == "`":
                continue
            try:
                data += binascii.a2b_uu(line)
            except binascii.Error:
                # Some encoders pad lines wrongly; decode only the length the line announces.
                try:
                    length = ((ord(line[0]) - 32) & 63) * 4 // 3 + 1
                    data += binascii.a2b_uu(line[: length + 1])
                except (binascii.Error, IndexError, ValueError):
                    continue
        files.append((name, bytes(data)))
        return f"[uuencoded file: {name}]"

    return _UU_BLOCK.sub(decode, text), files
