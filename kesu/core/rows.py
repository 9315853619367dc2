"""Reading joined rows into model instances from SQL written once per process.

For the queries every API create makes: the ORM builds and compiles them again on each call
(~0.8 ms of Python for the bearer token's three-table ``select_related``, ~0.7 ms for the scoped
vehicle lookup), more than the queries themselves. ``ModelColumns`` reads a hand-written join
(the token); ``CompiledSelect`` keeps what the ORM compiled for a queryset (the vehicle). Either
way the columns come from the models' own fields and each value goes through the converters
the ORM applies, so a new field needs no change here.
"""

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, Generic, TypeVar

from django.db import connection, models

ModelT = TypeVar("ModelT", bound=models.Model)


class ModelColumns(Generic[ModelT]):
    """The concrete columns of ``model`` under table alias ``alias`` in a hand-written SELECT."""

    def __init__(self, model: type[ModelT], alias: str) -> None:
        self.model, self.alias = model, alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]

    @property
    def width(self) -> int:
        return len(self.fields)

    def select_list(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(str(f.column))}" for f in self.fields)

    @cached_property
    def _converters(self) -> list[tuple[Any, list[Callable[..., Any]]]]:
        """Per field: its column expression and the converters the ORM would apply to it."""
        found = []
        for field in self.fields:
            column = field.get_col(self.alias)
            found.append(
                (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            )
        return found

    def read(self, values: Sequence[Any]) -> ModelT | None:
        """The instance in ``values`` (this model's slice of a row), or None for a row an outer
        join left empty."""
        if all(value is None for value in values):
            return None
        converted = []
        for value, (column, converters) in zip(values, self._converters, strict=True):
            for convert in converters:
                value = convert(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


class Slot(int):
    """A stand-in for a value in a queryset compiled ahead (:class:`CompiledSelect`): an int no
    row id can be, found again by its value among the compiled parameters."""

    def __new__(cls, number: int) -> "Slot":
        return super().__new__(cls, -(2**62) - number)


class CompiledSelect:
    """A queryset of one model and its ``select_related`` models, compiled to SQL once and run
    again with other values in its :class:`Slot` places.

    For a query on every intake whose shape only changes with the user's scope: the ORM spends
    ~0.7 ms building and compiling it each time. The select list is checked against the models'
    fields when compiling, so the rows are read as the ORM would read them."""

    def __init__(
        self, queryset: models.QuerySet[Any], related: Sequence[type[models.Model]], slots: Sequence[Slot]
    ):
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        self.columns = [ModelColumns(queryset.model, "")] + [ModelColumns(model, "") for model in related]
        selected = [column.target for column, _sql, _alias in compiler.select]
        expected = [field for columns in self.columns for field in columns.fields]
        if selected != expected:
            raise ValueError(f"select list of {queryset.model.__name__} is not its fields and {related}")
        self.sql, self.params = sql, list(params)
        self.positions = [
            [i for i, p in enumerate(self.params) if type(p) is int and p == slot] for slot in slots
        ]
        if any(len(found) != 1 for found in self.positions):
            raise ValueError("each slot must appear once in the compiled query")

    def first(self, *values: Any) -> list[Any] | None:
        """The instances of the first row (the model's, then each related model's), or None."""
        params = list(self.params)
        for (position,), value in zip(self.positions, values, strict=True):
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        found, start = [], 0
        for columns in self.columns:
            found.append(columns.read(row[start : start + columns.width]))
            start += columns.width
        return found
