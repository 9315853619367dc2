"""All hand-written SQL of the application, in one package.

Everything else is the ORM. A helper lives here when the ORM's way costs what a hot path cannot
pay (the intake's one-statement write, the sweep's set-based writes) or when the SQL has no ORM
form (PostgreSQL's statistics, ``SET LOCAL``, ``nextval``, the text-match operators). Each one
takes its tables, columns and types from the models' fields, never from text written by hand,
and ``core/tests/test_pg.py`` compares each with its ORM equivalent — on PostgreSQL, and on
SQLite for those that fall back to the ORM there.

* :mod:`.bulk` — ``insert_rows`` (column-wise: ``insert_columns``), ``insert_unless_taken``,
  ``insert_into_free_place``, ``update_rows``,
  ``insert_with_children``, ``binary_cursor``
* :mod:`.search` — the ``tsvector`` match, its statistics, ``custom_plans``
* :mod:`.sequences` — ``next_value`` (a sequence), ``bump_counter`` (a counter row)
* :mod:`.session` — ``without_jit`` (``SET LOCAL jit = off`` for a transaction)

Migrations keep their own SQL (``core.migrations_util.RunSQLOnPostgres``), as do the benchmark
scripts under ``bench/``.
"""

from .bulk import (
    binary_cursor,
    insert_columns,
    insert_into_free_place,
    insert_rows,
    insert_unless_taken,
    insert_with_children,
    update_rows,
)
from .search import common_elements, custom_plans, vector_match, vector_match_scan
from .sequences import bump_counter, next_value
from .session import without_jit

__all__ = [
    "binary_cursor",
    "bump_counter",
    "common_elements",
    "custom_plans",
    "insert_columns",
    "insert_into_free_place",
    "insert_rows",
    "insert_unless_taken",
    "insert_with_children",
    "next_value",
    "update_rows",
    "vector_match",
    "vector_match_scan",
    "without_jit",
]
