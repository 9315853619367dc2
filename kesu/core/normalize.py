"""One normal form for matching: same length as the input, so offsets map back 1:1.

Every character becomes exactly one character: traditional → simplified (OpenCC's character
dictionaries, offline), full-width → half-width (NFKC), letters lower-cased; punctuation, spaces,
symbols, emoji and invisible characters become one of two marker characters:

* ``.`` — a hard boundary (sentence end: 。！？；, line break);
* ``,`` — a soft one (comma, space, quotes, brackets, emoji, zero-width space …).

Because the mapping is one-to-one, an offset into the normal form *is* the offset into the
original text (in Unicode code points, as Python counts them).
"""

import unicodedata
from functools import cache
from importlib import resources

HARD = "."
SOFT = ","
MARKERS = HARD + SOFT
_HARD_CHARS = frozenset("。｡!?;！？；\n\r\u2028\u2029")
_CACHE_LIMIT = 200_000  # code points remembered; junk beyond that is classified, not cached


@cache
def traditional_to_simplified() -> dict[str, str]:
    """OpenCC's single-character traditional → simplified mappings (TW/HK variants included)."""
    folder = resources.files("opencc") / "dictionary"

    def table(name: str) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            first = values.split(" ")[0] if values else ""
            if len(key) == 1 and len(first) == 1:
                mapping[key] = first  # the first candidate is OpenCC's default
        return mapping

    characters = table("TSCharacters.txt")
    result: dict[str, str] = {}
    for name in ("HKVariantsRev.txt", "TWVariantsRev.txt"):  # 台/港 variant → standard → simplified
        for variant, standard in table(name).items():
            result[variant] = characters.get(standard, standard)
    result.update(characters)
    # A character that is itself the simplified form of another keeps its identity: OpenCC's
    # variant tables map 么 → 幺 (while 麼 → 么), which would part 什么 from 什麼.
    simplified = set(result.values())
    return {key: value for key, value in result.items() if key not in simplified or key == value}


def _classify(char: str) -> str:
    if char in _HARD_CHARS:
        return HARD
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        # "…" → "...", "㈠" → "(一)": keep one character so offsets stay 1:1.
        if all(not c.isalnum() for c in folded):
            return HARD if any(c in _HARD_CHARS for c in folded) else SOFT
        folded = char
    if folded in _HARD_CHARS:
        return HARD
    category = unicodedata.category(folded)
    if category[0] in "LN":
        folded = folded.lower()
        if len(folded) != 1:  # "İ".lower() is two characters
            folded = char
        return traditional_to_simplified().get(folded, folded)
    return SOFT  # punctuation, symbols, emoji, spaces, controls, marks, surrogates


class _Table(dict[int, str]):
    """``str.translate`` table that classifies each new code point once."""

    def __missing__(self, code: int) -> str:
        value = _classify(chr(code))
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


_TABLE = _Table()


def normalize(text: str) -> str:
    """The matching form of ``text``; ``len(normalize(t)) == len(t)`` always."""
    return text.translate(_TABLE)


def normalize_char(char: str) -> str:
    return _TABLE[ord(char)]
