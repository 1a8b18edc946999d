"""Words inside quotation marks: a quotation shared by two reports is no evidence that one
was taken from the other (both quote the same speaker)."""

import re

import numpy as np

from .text import Analysed

# A quotation opens and closes with these marks (straight double quotes both ways); one
# that runs past a paragraph end was left open and closes there.
_QUOTE_RE = re.compile(r'"[^"\n]{1,2000}"|“[^”\n]{1,2000}”|「[^」\n]{1,2000}」|『[^』\n]{1,2000}』'
                       r"|‘[^’\n]{20,2000}’")


def quoted(text: Analysed) -> np.ndarray:
    """Per token of ``text``: True inside a quotation."""
    cached = text.memo.get("quoted")
    if cached is not None:
        return cached
    mask = np.zeros(len(text.tokens), dtype=bool)
    for m in _QUOTE_RE.finditer(text.text):
        lo = int(np.searchsorted(text.token_starts, m.start()))
        hi = int(np.searchsorted(text.token_starts, m.end()))
        mask[lo:hi] = True
    text.memo["quoted"] = mask
    return mask


def mostly_quoted(text: Analysed, lo: int, hi: int) -> bool:
    """True if half the tokens of [lo, hi) or more are inside quotations."""
    if hi <= lo:
        return False
    return 2 * int(quoted(text)[lo:hi].sum()) >= hi - lo
