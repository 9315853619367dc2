"""API schemas made from the services' dataclasses, so that a shape is written once.

A service's dataclass says what it takes (``customers.services.VehicleInput``) or gives
(``sla.services.ClockReading``). ``schema_of`` makes the API's ninja ``Schema`` for the same
shape from it — the same fields in the same order, with their types and defaults — so a field
added to the dataclass is in the request or the answer, and in the OpenAPI document, at once.
The schema validates a JSON body like any other and reads an instance's attributes for an
answer; ``to_dataclass`` turns a validated body back into the service's own type.

mypy cannot see fields made at run time: where an API module uses such a schema as a type, it
names the dataclass under ``TYPE_CHECKING`` (as it does for the choice ``Literal`` types).
"""

import dataclasses
from typing import Annotated, Any, TypeVar, get_type_hints

from ninja import Schema
from pydantic import BaseModel, Field, create_model

T = TypeVar("T")

# The deepest page any list serves: an offset beyond 2**63 is an error in the database, and no
# one reads page 100,000 of anything (the API answers 422, pages 404).
MAX_PAGE = 100_000
PageNumber = Annotated[int, Field(le=MAX_PAGE)]


def schema_of(source: type, *, name: str) -> type[Schema]:
    """A ``Schema`` called ``name`` (its name in the OpenAPI document) with ``source``'s fields.

    A field with a ``default_factory`` gets the factory's value as its default: pydantic copies
    mutable defaults for each instance, and the OpenAPI document shows it (``"default": []``)."""
    if not dataclasses.is_dataclass(source):
        raise TypeError(f"{source!r} is not a dataclass")
    hints = get_type_hints(source, include_extras=True)
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(source):
        if field.default is not dataclasses.MISSING:
            default: Any = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            default = ...
        fields[field.name] = (hints[field.name], default)
    return create_model(name, __base__=Schema, **fields)


def to_dataclass(cls: type[T], value: object) -> T:
    """The service's ``cls`` from a body validated by ``schema_of(cls)`` (or ``cls`` itself)."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, BaseModel):
        raise TypeError(f"expected a validated body for {cls.__name__}, got {type(value).__name__}")
    return cls(**dict(value))
