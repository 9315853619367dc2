"""Chinese-aware search tokens: overlapping character bigrams, so two-character words are found.

Chinese has no spaces, and PostgreSQL's trigram index cannot match a two-character word such as
刹车. We store each text as a string of tokens — every CJK bigram plus the last character of each
run, and each ASCII word — which PostgreSQL indexes with a GIN index on
``to_tsvector('simple', tokens)``. A query asks the index for documents holding all its bigrams
(``刹车 & 车失 & 失灵``) and then checks, on those candidates only, that the token string holds them
adjacent (``LIKE '%刹车 车失 失灵%'``): exactly "contains this substring", at any length of text
(tsvector positions stop at 16,383, so phrase operators would miss words deep in long texts).
SQLite runs the same LIKE as a scan.
"""

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_TOKENS_PER_TEXT = 45_000  # verbatim and facts are capped at 20,000 characters each


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


def _query_runs(query: str) -> list[str]:
    return _RUN.findall(normalize_text(query))[:32]


def like_patterns_for(query: str) -> list[str]:
    """Substrings of the token string that every matching document contains (SQLite path).

    Tokens are single space-separated bigrams, so ``"刹车 车失 失灵"`` can only match aligned.
    """
    patterns = []
    for run in _query_runs(query):
        if _IS_CJK.match(run) and len(run) > 1:
            patterns.append(" ".join(run[i : i + 2] for i in range(len(run) - 1)))
        else:
            patterns.append(run)
    return patterns


def tsquery_for(query: str) -> str:
    """A ``to_tsquery('simple', …)`` expression matching every text that contains ``query``.

    CJK runs become bigram phrases; a single character matches as a prefix; ASCII words must
    appear as whole tokens. Returns "" when the query has nothing searchable.
    """
    parts: list[str] = []
    for run in _query_runs(query):
        if _IS_CJK.match(run) and len(run) == 1:
            parts.append(f"{run}:*")
        elif _IS_CJK.match(run):  # every bigram; adjacency is checked on the candidates
            parts.extend(sorted({run[i : i + 2] for i in range(len(run) - 1)}))
        else:
            parts.append(run)
    return " & ".join(parts)
