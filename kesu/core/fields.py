"""A text column of search tokens with a lookup that uses PostgreSQL's GIN index."""

from typing import Any

from django.db import models
from django.db.models import Lookup


class SearchTokensField(models.TextField):
    """Holds :func:`kesu.core.search.document_tokens`; queried with ``__contains_text``."""


@SearchTokensField.register_lookup
class ContainsText(Lookup):
    """``field__contains_text=<tsquery>`` → matches the expression of the GIN index.

    The index (see the complaints migrations) is on exactly
    ``to_tsvector('simple'::regconfig, search_tokens)``, so the planner can use it.
    """

    lookup_name = "contains_text"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"to_tsvector('simple'::regconfig, {lhs}) @@ to_tsquery('simple'::regconfig, {rhs})"
        return sql, (*lhs_params, *rhs_params)
