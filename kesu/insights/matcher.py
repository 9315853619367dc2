"""Find many dictionary words in one pass: the words become one regular expression shaped like
a trie (``刹车(?:失灵|片)?``), so each position costs a character test, not one test per word,
and the longest word at a position wins."""

import re
from collections.abc import Iterable, Iterator


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
