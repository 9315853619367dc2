"""Folding text for matchers and models, one output character per input character (offsets found
in the result point into the original): shared by the insights readings and the language guard's
learned reading, so both models read text the same way."""

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object, limit: int = 20_000) -> str:
    """A safe string: at most ``limit`` characters, control characters and lone surrogates
    replaced by spaces (same length, so offsets still point into the original text)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _CONTROL.sub(" ", text[:limit])


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


# The full-width forms Chinese text is full of, and what NFKC makes of each (one character).
_COMMON_WIDE = (
    *((chr(c), chr(c - 0xFEE0)) for c in map(ord, "，！？：；（）％＋－／～．")),
    ("\u3000", " "),
    ("\xa0", " "),
)


def fold(text: str) -> str:
    """Full-width → half-width and lower case, keeping one output character per input character."""
    if text.isascii():
        return text.lower()
    # Fast path: replace the common full-width punctuation by what NFKC maps it to; when what is
    # left is already in NFKC, that is NFKC of the text (the same compatibility decomposition).
    quick = text
    for wide, narrow in _COMMON_WIDE:
        if wide in quick:
            quick = quick.replace(wide, narrow)
    if unicodedata.is_normalized("NFKC", quick):
        folded = quick.lower()
    else:
        folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        return folded
    return "".join(_fold_char(ch) for ch in text)
