"""A text column of search tokens with a lookup that uses PostgreSQL's GIN index."""

from typing import Any

from django.db import models
from django.db.models import Lookup

from kesu.core.pg import vector_match, vector_match_scan


class SearchTokensField(models.TextField):
    """Holds :func:`kesu.core.search.document_tokens`; queried with ``__contains_text``."""


# On PostgreSQL each table with a SearchTokensField keeps ``to_tsvector('simple', <column>)`` in
# a stored generated column of this name, with the GIN index on it (complaints migration 0005).
VECTOR_COLUMN = "search_vector"


@SearchTokensField.register_lookup
class ContainsText(Lookup):
    """``field__contains_text=<tsquery>`` → the stored vector beside the tokens, GIN-indexed.

    Reading the stored vector instead of ``to_tsvector(search_tokens)`` matters when the planner
    filters many candidate rows: parsing each row's tokens again costs far more per row than
    reading the stored vector.
    """

    lookup_name = "contains_text"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        column = connection.ops.quote_name(self.lhs.target.column)
        if not lhs.endswith(column):
            raise ValueError(f"contains_text needs a plain column, got {lhs}")
        vector = lhs[: -len(column)] + connection.ops.quote_name(VECTOR_COLUMN)
        return self.match(vector, rhs), (*lhs_params, *rhs_params)

    match = staticmethod(vector_match)  # the SQL text: core.pg.search


@SearchTokensField.register_lookup
class ContainsTextScan(ContainsText):
    """``field__contains_text_scan=<tsquery>``: the same match, written as the function
    ``ts_match_vq`` so that PostgreSQL cannot answer it from the GIN index.

    For a word in a large share of the complaints (such as 刹车), decoding its posting list
    costs more than walking the queue order and testing each row until the page is full; this
    form leaves the planner only that walk."""

    lookup_name = "contains_text_scan"

    match = staticmethod(vector_match_scan)  # the SQL text: core.pg.search
