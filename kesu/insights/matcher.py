"""Find many dictionary words in one pass: the words become one regular expression shaped like
a trie (``刹车(?:失灵|片)?``), so each position costs a character test, not one test per word,
and the longest word at a position wins."""

import re
from collections.abc import Iterable, Iterator
from typing import Any

try:  # the parser of the standard library's engine (3.11 names it re._parser)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse


def _trie(words: Iterable[str]) -> dict[str, dict]:  # type: ignore[type-arg]
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def _pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    ends_here = "" in node
    branches = []
    singles = []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        rest = _pattern(child)
        if rest == "":
            singles.append(ch)
        else:
            branches.append(re.escape(ch) + rest)
    if singles:
        branches.append(
            re.escape(singles[0]) if len(singles) == 1 else "[" + "".join(re.escape(c) for c in singles) + "]"
        )
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        if len(branches) == 1 and len(body) == 1:
            return body + "?"
        return "(?:" + body + ")?"
    return body


def trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    """A compiled pattern matching any of ``words`` (longest first at each position)."""
    unique = {w for w in words if w}
    if not unique:
        return re.compile(r"(?!x)x")  # matches nothing
    return re.compile(_pattern(_trie(unique)))


class Lexicon:
    """Words → payloads (e.g. ``("brakes", 3.0)``), found in one left-to-right pass."""

    def __init__(self, entries: Iterable[tuple[str, object]]):
        self.payloads: dict[str, list[object]] = {}
        for word, payload in entries:
            self.payloads.setdefault(word, []).append(payload)
        self.pattern = trie_regex(self.payloads)

    def find(self, text: str) -> Iterator[tuple[str, int, int, list[object]]]:
        for match in self.pattern.finditer(text):
            word = match.group()
            yield word, match.start(), match.end(), self.payloads[word]


# --- a fast start for hand-written patterns -----------------------------------------------------
# Python's engine skips ahead quickly only when it knows which characters can start a match;
# one lookbehind or character class at the start of one alternative ("(?<![打点])着火") makes it
# try every alternative at every position, ~30 times slower on a long complaint. ``fast_start``
# works the set of possible first characters out of the parsed pattern and puts it in front as a
# lookahead, which gives the engine back its quick scan without changing what matches.
_ANY = None


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """(characters a match of ``items`` can start with or None for any, whether it can be empty)."""
    found: set[str] = set()
    for op, arg in items:
        chars, nullable = _item_first(op, arg)
        if chars is _ANY:
            return _ANY, False
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _item_first(op: Any, arg: Any) -> tuple[set[str] | None, bool]:
    name = str(op)
    if name == "LITERAL":
        return {chr(arg)}, False
    if name == "IN":
        chars: set[str] = set()
        for kind, value in arg:
            kind_name = str(kind)
            if kind_name == "LITERAL":
                chars.add(chr(value))
            elif kind_name == "RANGE" and value[1] - value[0] < 64:
                chars |= {chr(c) for c in range(value[0], value[1] + 1)}
            elif kind_name == "CATEGORY" and str(value) == "CATEGORY_DIGIT":
                chars |= set("0123456789")
            else:  # NEGATE, wide ranges, other categories
                return _ANY, False
        return chars, False
    if name == "BRANCH":
        union: set[str] = set()
        nullable = False
        for branch in arg[1]:
            chars_, empty = _first_chars(branch)
            if chars_ is _ANY:
                return _ANY, False
            union |= chars_
            nullable = nullable or empty
        return union, nullable
    if name == "SUBPATTERN":
        return _first_chars(arg[-1])
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        chars_, empty = _first_chars(arg[2])
        return chars_, empty or arg[0] == 0
    if name in ("ASSERT", "ASSERT_NOT", "AT"):
        return set(), True  # zero width: look at what follows
    return _ANY, False


def fast_start(pattern: str) -> str:
    """``pattern`` behind a lookahead of the characters a match can start with, where known."""
    parsed = _sre_parse.parse(pattern)
    chars, nullable = _first_chars(list(parsed))
    if chars is _ANY or nullable or not chars:
        return pattern
    cls = "".join(sorted(re.escape(c) if c in "\\]^-[" else c for c in chars))
    return f"(?=[{cls}])(?:{pattern})"
