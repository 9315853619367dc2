"""The checked text cut into segments for the editor's preview: plain, forbidden, advisory."""

from dataclasses import dataclass

from .matcher import GuardResult


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = ""  # "" plain, "hit" forbidden phrase, "advice" 您-not-你 and similar
    title: str = ""


def segments(text: str, result: GuardResult) -> list[Segment]:
    """Hits (merged where they overlap) and the advisories that do not touch a hit."""
    text = text[: result.checked_chars]
    spans: list[tuple[int, int, str, list[str]]] = []
    for hit in result.hits:
        if spans and spans[-1][2] == "hit" and hit.start < spans[-1][1]:
            start, end, kind, titles = spans[-1]
            titles.append(hit.suggestion)
            spans[-1] = (start, max(end, hit.end), kind, titles)
        else:
            spans.append((hit.start, hit.end, "hit", [hit.suggestion]))
    hit_spans = [(s, e) for s, e, _, _ in spans]
    for advice in result.advisories:
        if not any(s < advice.end and advice.start < e for s, e in hit_spans):
            spans.append((advice.start, advice.end, "advice", [advice.suggestion]))
    spans.sort()
    out: list[Segment] = []
    position = 0
    for start, end, kind, titles in spans:
        if start < position:
            continue
        if start > position:
            out.append(Segment(text[position:start]))
        out.append(Segment(text[start:end], kind, " / ".join(dict.fromkeys(titles))))
        position = end
    if position < len(text):
        out.append(Segment(text[position:]))
    return out
