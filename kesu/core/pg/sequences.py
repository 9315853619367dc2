"""Numbers handed out without a lock held until commit: a PostgreSQL sequence, or a counter row
bumped in one statement (SQLite, which serialises writers anyway)."""

from typing import Any

from django.db import connection, models


def next_value(sequence: str) -> int:
    """``nextval`` of a PostgreSQL sequence (never rolled back: gaps are possible)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        return int(cursor.fetchone()[0])


def bump_counter(model: type[models.Model], *, key: str, value: Any, counter: str) -> int | None:
    """Add one to ``counter`` of the row of ``model`` whose ``key`` is ``value`` and return the new
    count, in one statement (``UPDATE … RETURNING``: no other writer comes between the increment
    and the read); None when there is no such row."""
    quote = connection.ops.quote_name
    key_field, counter_field = model._meta.get_field(key), model._meta.get_field(counter)
    key_column, counter_column = quote(str(key_field.column)), quote(str(counter_field.column))  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {counter_column} = {counter_column} + 1 "
            f"WHERE {key_column} = %s RETURNING {counter_column}",
            [value],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])
