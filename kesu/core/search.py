"""Chinese-aware search tokens: overlapping character bigrams, so two-character words are found.

Chinese has no spaces, and PostgreSQL's trigram index cannot match a two-character word such as
刹车. We store each text as a string of tokens — every CJK bigram plus the last character of each
run, and each ASCII word — which PostgreSQL indexes with a GIN index on
``to_tsvector('simple', tokens)``. A query becomes a phrase of the same bigrams (``刹车 <-> 车失
<-> 失灵``), so the index answers exactly "contains this substring" for CJK text. SQLite falls
back to a substring scan of the original text.
"""

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_TOKENS_PER_TEXT = 4000


def normalize_text(text: str) -> str:
    """Full-width to half-width, lower case: what users type and what they search must agree."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _run_tokens(run: str) -> list[str]:
    if not _IS_CJK.match(run):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def document_tokens(*texts: str) -> str:
    """The token string stored beside a complaint, one space between tokens."""
    tokens: list[str] = []
    for text in texts:
        for run in _RUN.findall(normalize_text(text)):
            tokens.extend(_run_tokens(run))
            if len(tokens) >= MAX_TOKENS_PER_TEXT:
                return " ".join(tokens[:MAX_TOKENS_PER_TEXT])
    return " ".join(tokens)


def tsquery_for(query: str) -> str:
    """A ``to_tsquery('simple', …)`` expression matching every text that contains ``query``.

    CJK runs become bigram phrases; a single character matches as a prefix; ASCII words must
    appear as whole tokens. Returns "" when the query has nothing searchable.
    """
    parts: list[str] = []
    for run in _RUN.findall(normalize_text(query)):
        if _IS_CJK.match(run) and len(run) == 1:
            parts.append(f"{run}:*")
        elif _IS_CJK.match(run):
            parts.append("(" + " <-> ".join(run[i : i + 2] for i in range(len(run) - 1)) + ")")
        else:
            parts.append(run)
    return " & ".join(parts[:32])
