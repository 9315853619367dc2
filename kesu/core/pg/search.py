"""The SQL of the Chinese search on PostgreSQL: the text match of the stored ``tsvector``, the
statistics that tell a frequent word, and planning a search for its own values.

The callers (``core.fields``' lookups, ``complaints.queries``) decide when each is used; only the
SQL text lives here.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models, transaction


def vector_match(vector: str, query: str) -> str:
    """``<vector> @@ to_tsquery('simple', <query>)``: the GIN index answers it. ``vector`` is a
    compiled column reference, ``query`` a compiled parameter placeholder."""
    return f"{vector} @@ to_tsquery('simple'::regconfig, {query})"


def vector_match_scan(vector: str, query: str) -> str:
    """The same match as the function ``ts_match_vq``, which the GIN index cannot answer: the
    planner is left to walk another order (the queue's) and test each row."""
    return f"ts_match_vq({vector}, to_tsquery('simple'::regconfig, {query}))"


def common_elements(model: type[models.Model], column: str) -> dict[str, float]:
    """PostgreSQL's statistics of a ``tsvector`` column of ``model``'s table (refreshed by
    ANALYZE): the ~1,000 commonest elements, each with the share of rows holding it. Empty
    before the first ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = %s",
            [model._meta.db_table, column],
        )
        row = cursor.fetchone()
    return dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}


@contextmanager
def custom_plans() -> Iterator[None]:
    """A transaction (or savepoint) whose statements are planned for their own values, never by a
    prepared statement's generic plan: ``SET LOCAL plan_cache_mode = force_custom_plan``, which
    ends with the transaction."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
