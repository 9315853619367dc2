"""What every guard test asserts of one reply: a rude one is caught with offsets on the original
text; a polite one passes (shared by the quality and generalisation tests)."""

from kesu.language.matcher import Matcher


def assert_caught(matcher: Matcher, text: str, kind: str) -> None:
    result = matcher.check(text)
    assert not result.ok, kind
    for hit in result.hits:
        assert text[hit.start : hit.end] == hit.matched


def assert_passes(matcher: Matcher, text: str, kind: str) -> None:
    result = matcher.check(text)
    assert result.ok, (kind, [(h.phrase, h.matched) for h in result.hits])
