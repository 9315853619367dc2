"""Set-based writes on PostgreSQL, with the ORM's way on other databases.

``insert_rows``: ``INSERT … SELECT * FROM unnest(…)``. Django's ``bulk_create`` renders one
placeholder per value and builds a model instance per row, Python work that grows with every row
and was most of a large SLA sweep. Here each column is one array parameter, whatever the
number of rows, and ``RETURNING`` gives back what the caller needs (the ids of the rows that were
new). Other databases get ``bulk_create``.

``update_rows``: ``UPDATE … FROM unnest(…)``, the same for changed rows. Django's ``bulk_update``
builds a ``CASE WHEN`` per field and row, a statement whose size and Python cost grow with every
row of the sweep's clocks.
Other databases get ``bulk_update``.

``insert_with_children``: a new row and the new rows that point at it (a complaint, its clocks,
its first timeline entry, its suggestion) in one statement of data-modifying ``WITH`` queries,
instead of one ORM insert each: the ORM compiles every insert again, Python work repeated on
every intake, and each is a round trip. Other databases get one ORM insert per row.

Every table, column and type comes from the models' fields (``field.column``,
``field.db_type``); nothing here names a table.
"""

import random
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any

import psycopg
from django.db import IntegrityError, connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

Fields = list[models.Field[Any, Any]]
Shape = tuple[type[models.Model], tuple[tuple[str, type[models.Model]], ...]]


def _column_default(field: models.Field[Any, Any], now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def _array_type(field: models.Field[Any, Any]) -> str:
    """The column's type for a cast, without length (varchar(200) → varchar)."""
    db_type = re.sub(r"\(\d+(,\s*\d+)?\)", "", field.db_type(connection) or "text")
    return {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}.get(db_type, db_type)


_PLAIN = frozenset({int, str, bool, type(None)})


def _prepared(field: models.Field[Any, Any], value: Any) -> Any:
    """The value as the driver takes it. Plain values (and aware datetimes) go as they are:
    ``get_db_prep_save`` on every value was a large share of a sweep's Python, for nothing."""
    if isinstance(field, models.JSONField):  # a str or an int must still become JSON
        return field.get_db_prep_save(value, connection)
    if type(value) in _PLAIN:
        return value
    if isinstance(value, str):  # a TextChoices member: its value (the driver would send its name)
        return str(value)
    if type(value) is datetime and value.tzinfo is not None:
        return value
    return field.get_db_prep_save(value, connection)


_MISSING = object()


class _Same:
    """One value for every row: sent once, not as an array of copies (a column no row gives, a
    constant column), sparing the driver a dump per row."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _column(
    field: models.Field[Any, Any], rows: Sequence[dict[str, Any]], now: Any, present: set[str]
) -> "list[Any] | _Same":
    """One column's values, ready for the driver (a column no row gives: its default, prepared
    once; a row without it: the default, as ``bulk_create`` would)."""
    if field.attname not in present:
        return _Same(_prepared(field, _column_default(field, now)))
    values = [row.get(field.attname, _MISSING) for row in rows]
    if any(value is _MISSING for value in values):
        default = _column_default(field, now)
        values = [default if value is _MISSING else value for value in values]
    if isinstance(field, models.JSONField):
        return [field.get_db_prep_save(value, connection) for value in values]
    plain = _PLAIN_DATE if _is_date_column(field) else _PLAIN
    return [value if type(value) in plain else _prepared(field, value) for value in values]


# A date column takes ``datetime.date`` as it is (PostgreSQL's ``adapt_datefield_value`` returns it
# unchanged): preparing each one was most of writing a million rows' dates (kesu/care).
_PLAIN_DATE = _PLAIN | {date}


def _is_date_column(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (attribute name → value; missing fields take their defaults; a primary
    key in every row or in none).

    With ``ignore_conflicts`` a row that breaks a unique constraint is skipped; ``returning``
    names the columns to return for the rows inserted (PostgreSQL; elsewhere nothing is
    returned). The whole insert is one statement: it succeeds or fails as a whole.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(  # type: ignore[attr-defined]
            [model(**row) for row in rows], ignore_conflicts=ignore_conflicts
        )
        return []
    now = timezone.now()
    present = set(rows[0]).union(*rows[1:])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in present]
    arrays = [_column(field, rows, now, present) for field in fields]
    return _insert_arrays(
        model, fields, arrays, len(rows), ignore_conflicts=ignore_conflicts, returning=returning
    )


def insert_unless_taken(instance: models.Model) -> bool:
    """Insert the unsaved ``instance`` unless a unique constraint refuses it (another transaction
    holds that row): True and the instance saved (its key set), or False and nothing written.

    PostgreSQL: one ``INSERT … ON CONFLICT DO NOTHING RETURNING``, inside the caller's
    transaction, without the savepoint (and its release) that catching the IntegrityError of a
    plain insert needs; its text depends only on the model, so it is built once and the server
    prepares it once per connection (a booking's hot path). Other databases: the ORM's insert
    in a savepoint.
    """
    model = type(instance)
    if connection.vendor != "postgresql":
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            instance.pk = None
            return False
        return True
    sql, fields = _insert_unless_taken_statement(model)
    with connection.cursor() as cursor:
        cursor.execute(sql, _insert_values(instance, fields))
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    _mark_saved(instance, inserted[0])
    return True


@cache
def _insert_unless_taken_statement(model: type[models.Model]) -> tuple[str, Fields]:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    pk = model._meta.pk
    assert pk is not None
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES ({', '.join(f'%s::{_array_type(f)}' for f in fields)}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(str(pk.column))}"
    )
    return sql, fields


def insert_into_free_place(
    instance: models.Model,
    *,
    place: str,
    places: int,
    group: Sequence[str],
    holding: tuple[str, Sequence[str]],
) -> bool:
    """Insert the unsaved ``instance`` into a free numbered place: ``place`` (an integer field)
    takes a random value in ``0 … places-1`` that no row of the same ``group`` (fields whose
    values ``instance`` holds) occupies while its ``holding`` field has one of the given values.
    True and the instance saved (its key and place set), or False and nothing written: no place
    was free as this transaction sees it, or another transaction took the chosen one meanwhile
    (the unique index decides; the caller looks again).

    PostgreSQL: ``INSERT … SELECT`` of one free place, ``ON CONFLICT DO NOTHING RETURNING``: the
    places taken are read and the row written in one statement, built once per shape (a booking's
    hot path, where reading the places and then inserting were two round trips and an ORM compile
    on every call). Other databases: read the places, then :func:`insert_unless_taken`.
    """
    model = type(instance)
    hold_field, hold_values = holding
    if connection.vendor != "postgresql":
        taken = set(
            model._default_manager.filter(  # type: ignore[attr-defined]
                **{f.attname: getattr(instance, f.attname) for f in _updated_fields(model, group)},
                **{f"{hold_field}__in": list(hold_values)},
            ).values_list(place, flat=True)
        )
        free = [n for n in range(places) if n not in taken]
        if not free:
            return False
        setattr(instance, place, random.choice(free))
        return insert_unless_taken(instance)
    sql, fields, place_index = _free_place_statement(model, place, tuple(group), hold_field)
    values = _insert_values(instance, fields)
    del values[place_index]
    group_values = [
        field.get_db_prep_save(getattr(instance, field.attname), connection)
        for field in _updated_fields(model, group)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, places, *group_values, list(hold_values)])
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    setattr(instance, place, inserted[1])
    _mark_saved(instance, inserted[0])
    return True


@cache
def _free_place_statement(
    model: type[models.Model], place: str, group: tuple[str, ...], hold_field: str
) -> tuple[str, Fields, int]:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    (place_field,) = _updated_fields(model, [place])
    (hold,) = _updated_fields(model, [hold_field])
    place_column = quote(str(place_field.column))
    place_index = fields.index(place_field)
    selected = ["s.n" if i == place_index else f"%s::{_array_type(f)}" for i, f in enumerate(fields)]
    pk = model._meta.pk
    assert pk is not None
    table = quote(model._meta.db_table)
    in_group = " AND ".join(f"{quote(str(f.column))} = %s" for f in _updated_fields(model, group))
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"SELECT {', '.join(selected)} FROM generate_series(0, %s::integer - 1) AS s(n) "
        f"WHERE s.n NOT IN (SELECT {place_column} FROM {table} WHERE {in_group} "
        f"AND {quote(str(hold.column))} = ANY(%s)) ORDER BY random() LIMIT 1 "
        f"ON CONFLICT DO NOTHING RETURNING {quote(str(pk.column))}, {place_column}"
    )
    return sql, fields, place_index


def insert_columns(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    *,
    same: Mapping[str, Any] | None = None,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """:func:`insert_rows` given column-wise: attribute name → one value per row (every column as
    long as the others), and ``same``: attribute name → the one value of every row. A million
    rows as a million dicts cost a second of Python before the insert began (kesu/care's
    watermarks); here each column goes to the driver as it is, only values that are not plain
    being prepared, and a value shared by every row goes once."""
    same = same or {}
    size = len(next(iter(columns.values()), ()))
    if not size:
        return []
    if any(len(values) != size for values in columns.values()):
        raise ValueError("insert_columns: columns of different lengths")
    if set(columns) & set(same):
        raise ValueError("insert_columns: a column both per row and the same for all")
    if connection.vendor != "postgresql":
        names = list(columns)
        model._default_manager.bulk_create(  # type: ignore[attr-defined]
            [
                model(**same, **dict(zip(names, values, strict=True)))
                for values in zip(*columns.values(), strict=True)
            ],
            ignore_conflicts=ignore_conflicts,
        )
        return []
    now = timezone.now()
    given = set(columns) | set(same)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in given]
    arrays: list[list[Any] | _Same] = []
    for field in fields:
        if field.attname in same:
            arrays.append(_Same(_prepared(field, same[field.attname])))
        elif field.attname not in columns:
            arrays.append(_Same(_prepared(field, _column_default(field, now))))
        elif isinstance(field, models.JSONField):
            arrays.append([field.get_db_prep_save(value, connection) for value in columns[field.attname]])
        else:
            plain = _PLAIN_DATE if _is_date_column(field) else _PLAIN
            arrays.append([v if type(v) in plain else _prepared(field, v) for v in columns[field.attname]])
    return _insert_arrays(model, fields, arrays, size, ignore_conflicts=ignore_conflicts, returning=returning)


def _insert_arrays(
    model: type[models.Model],
    fields: Fields,
    arrays: "list[list[Any] | _Same]",
    size: int,
    *,
    ignore_conflicts: bool,
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """``INSERT INTO t (…) SELECT <per row: u.cN; the same for all: one typed parameter> FROM
    unnest(<the per-row arrays>) AS u(…)``."""
    quote = connection.ops.quote_name
    columns = [quote(str(field.column)) for field in fields]
    if not any(isinstance(values, list) for values in arrays):  # rows of defaults only
        first = arrays[0]
        assert isinstance(first, _Same)
        arrays = [[first.value] * size, *arrays[1:]]
    selected, constants, casts, names, per_row = [], [], [], [], []
    for index, (field, values) in enumerate(zip(fields, arrays, strict=True)):
        if isinstance(values, _Same):
            selected.append(f"%b::{_array_type(field)}")
            constants.append(values.value)
        else:
            selected.append(f"u.c{index}")
            casts.append(f"%b::{_array_type(field)}[]")
            names.append(f"c{index}")
            per_row.append(values)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(casts)}) AS u({', '.join(names)})"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        by_name = {f.name: f for f in model._meta.concrete_fields}
        sql += " RETURNING " + ", ".join(quote(str(by_name[name].column)) for name in returning)
    with binary_cursor() as cursor:
        cursor.execute(sql, [*constants, *per_row])
        return list(cursor.fetchall()) if returning else []


@contextmanager
def binary_cursor() -> Iterator[CursorWrapper]:
    """A cursor of the current connection (and transaction) that sends ``%b`` parameters in
    binary: an array of texts is packed as it is, where Django's client-side binding cursor
    quotes and escapes every element in Python, a cost that grows with every row a sweep writes.
    Execute wrappers still see its queries."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    try:
        yield CursorWrapper(raw, connection)
    finally:
        raw.close()


def _updated_fields(model: type[models.Model], names: Sequence[str]) -> Fields:
    """The fields ``names`` of ``model``; a ValueError for a relation, a key or a non-column."""
    found: Fields = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or not field.concrete or field.primary_key:
            raise ValueError(f"{model.__name__}.{name} is not a concrete, non-key field")
        found.append(field)
    return found


@cache
def _update_statement(model: type[models.Model], fields: tuple[str, ...]) -> str:
    """``UPDATE <table> AS t SET <column> = v.<column>, … FROM unnest(<arrays>) AS v(…)
    WHERE t.<pk> = v.<pk>``: built once per model and fields."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    targets = _updated_fields(model, fields)
    columns = [quote(str(pk.column)), *(quote(str(f.column)) for f in targets)]
    casts = [f"%b::{_array_type(f)}[]" for f in (pk, *targets)]
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    return (
        f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "
        f"FROM unnest({', '.join(casts)}) AS v({', '.join(columns)}) "
        f"WHERE t.{columns[0]} = v.{columns[0]}"
    )


def update_rows(model: type[models.Model], objs: Sequence[Any], fields: Sequence[str]) -> None:
    """Write ``fields`` (names of concrete, non-key fields of ``model``) of every row whose primary
    key is ``obj.pk`` from ``obj``'s attributes, as ``bulk_update(objs, fields)`` would.

    ``objs`` are instances of ``model`` or any objects with ``pk`` and the fields' attribute
    names (the sweep's light clock records). On PostgreSQL: one ``UPDATE … FROM unnest(…)``
    whatever the number of rows; elsewhere ``bulk_update`` in batches of 100."""
    if not objs:
        return
    targets = _updated_fields(model, fields)
    if connection.vendor != "postgresql":
        instances = [
            obj
            if isinstance(obj, model)
            else model(pk=obj.pk, **{f.attname: getattr(obj, f.attname) for f in targets})
            for obj in objs
        ]
        model._default_manager.bulk_update(instances, [f.name for f in targets], batch_size=100)  # type: ignore[attr-defined]
        return
    pk = model._meta.pk
    assert pk is not None
    arrays = [[_prepared(pk, obj.pk) for obj in objs]]
    arrays += [[_prepared(f, getattr(obj, f.attname)) for obj in objs] for f in targets]
    with binary_cursor() as cursor:
        cursor.execute(_update_statement(model, tuple(fields)), arrays)


def _insert_values(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    """What Django's insert would send for ``obj``: ``pre_save`` (auto_now…) then the field's
    own preparation."""
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]


@cache
def _graph_statement(shape: Shape) -> tuple[str, Fields, list[Fields]]:
    """The statement that inserts a parent and its children, and the fields each one sends:
    built once per shape (rendering column types costs more than the insert itself)."""
    parent_model, children = shape
    quote = connection.ops.quote_name

    def insert_fields(model: type[models.Model], skip: str = "") -> Fields:
        return [f for f in model._meta.concrete_fields if not f.primary_key and f.attname != skip]

    def placeholders(fields: Fields) -> str:
        # Typed, so that a NULL or a text is read as the column's type inside SELECT.
        return ", ".join(f"%s::{_array_type(f)}" for f in fields)

    parent_pk = quote(str(parent_model._meta.pk.column))
    parent_fields = insert_fields(parent_model)
    parts = [
        f"p AS (INSERT INTO {quote(parent_model._meta.db_table)} "
        f"({', '.join(quote(str(f.column)) for f in parent_fields)}) "
        f"VALUES ({placeholders(parent_fields)}) RETURNING {parent_pk})"
    ]
    child_fields = []
    for index, (fk_name, model) in enumerate(children):
        link = model._meta.get_field(fk_name)
        assert isinstance(link, models.ForeignKey), f"{fk_name} is not a foreign key"
        fields = insert_fields(model, skip=link.attname)
        columns = [quote(str(link.column)), *(quote(str(f.column)) for f in fields)]
        parts.append(
            f"c{index} AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT p.{parent_pk}, {placeholders(fields)} FROM p "
            f"RETURNING {quote(str(model._meta.pk.column))})"
        )
        child_fields.append(fields)
    selects = ["(SELECT * FROM p)", *(f"(SELECT * FROM c{i})" for i in range(len(children)))]
    return f"WITH {', '.join(parts)} SELECT {', '.join(selects)}", parent_fields, child_fields


def insert_with_children(parent: models.Model, children: Sequence[tuple[str, models.Model]]) -> None:
    """Insert the new ``parent`` and each new ``(fk_name, child)`` whose foreign key ``fk_name``
    points at it, all or nothing, and give every instance its primary key, as ``save()`` would.

    On PostgreSQL this is one statement: ``WITH p AS (INSERT … RETURNING id), c0 AS (INSERT …
    SELECT p.id, … FROM p RETURNING id) … SELECT``. Its text depends only on the models, so the
    server prepares it once per connection. Elsewhere: ``save()`` each, parent first."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            parent.save(force_insert=True)
            for fk_name, child in children:
                setattr(child, fk_name, parent)
                child.save(force_insert=True)
        return
    shape = (type(parent), tuple((fk_name, type(child)) for fk_name, child in children))
    sql, parent_fields, child_fields = _graph_statement(shape)
    params = _insert_values(parent, parent_fields)
    for (_fk_name, child), fields in zip(children, child_fields, strict=True):
        params.extend(_insert_values(child, fields))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = cursor.fetchone()
    _mark_saved(parent, ids[0])
    for (fk_name, child), child_id in zip(children, ids[1:], strict=True):
        setattr(child, fk_name, parent)
        _mark_saved(child, child_id)


def _mark_saved(obj: models.Model, pk: Any) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
