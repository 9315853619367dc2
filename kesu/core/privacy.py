"""Customers' names, plates and VINs masked for the viewers who do not need them (PIPL, issue 16).

The one place this is enforced is the model field. A personal column is declared with
:class:`NameField`, :class:`PlateField`, :class:`VinField` or :class:`IdentifiersTextField`;
reading the attribute (``customer.name``, ``vehicle.plate``, ``complaint.verbatim``) while a
masked viewer's request runs gives the masked value (张**, 粤B·***45, LFV2A21K5N3******, a text
with its phones, plates and VINs masked). Every page, partial, PDF and API answer reads the
attribute, so none of them can forget the rule, and a new one cannot either.

Who is masked is decided per request by :func:`viewing` (``kesu.organizations.privacy``'s
middleware installs it with the role's capability); outside a request (workers, commands,
tests calling services) nothing is masked. The decision is taken the first time a personal value
is read, so an API request is judged once its bearer token has named the user.

The stored value is never replaced: saving reads the raw value (``pre_save``), so a masked
viewer's request that saves a row writes back what was there. Code that *computes* with a value
rather than showing it (a lookup by the same VIN, the redaction of a text before it leaves) reads
it with :func:`raw` or under :func:`unmasked`. Lists read through ``values()``/``values_list()``
bypass the attribute: those mask with :func:`shown` themselves.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .redact import mask_identifiers
from .validators import mask_name, mask_plate, mask_vin


class _Decision:
    """Whether the request's viewer is masked, asked once (``decide`` returns None while nobody is
    known yet — an API request before its token is read — and is then asked again)."""

    def __init__(self, decide: Callable[[], bool | None]):
        self._decide = decide
        self._value: bool | None = None

    def __call__(self) -> bool:
        if self._value is None:
            answer = self._decide()
            if answer is None:
                return False
            self._value = answer
        return self._value


_decision: ContextVar[_Decision | None] = ContextVar("kesu_masking", default=None)


@contextmanager
def viewing(decide: Callable[[], bool | None]) -> Iterator[None]:
    """Personal values read inside are masked when ``decide()`` says so (asked at the first read)."""
    token = _decision.set(_Decision(decide))
    try:
        yield
    finally:
        _decision.reset(token)


@contextmanager
def unmasked() -> Iterator[None]:
    """The stored values, for a computation (not for showing them to the viewer)."""
    token = _decision.set(None)
    try:
        yield
    finally:
        _decision.reset(token)


def masking() -> bool:
    decision = _decision.get()
    return decision is not None and decision()


def raw(instance: models.Model, attname: str) -> Any:
    """The stored value of a personal field, whoever is viewing."""
    with unmasked():
        return getattr(instance, attname)


# keys of a change log ({"name": [old, new]}) whose values are people's names
NAME_KEYS = frozenset(
    {"name", "customer.name", "customer_name", "caller_name", "merged_name", "customer", "who"}
)


def mask_changes(value: Any, key: str = "") -> Any:
    """A JSON change log as a masked viewer reads it: the values under a name's key 张**, every
    other text with its phones, plates and VINs masked. The stored object is not touched."""
    if isinstance(value, dict):
        return {k: mask_changes(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_changes(v, key) for v in value]
    if isinstance(value, str):
        return mask_name(value) if key in NAME_KEYS else mask_identifiers(value)
    return value


MASKS: dict[str, Callable[[Any], Any]] = {
    "name": mask_name,
    "plate": mask_plate,
    "vin": mask_vin,
    "text": mask_identifiers,
    "changes": mask_changes,
}


def shown(kind: str, value: str) -> str:
    """``value`` as the current viewer may see it (for values read without a model attribute)."""
    return MASKS[kind](value) if value and masking() else value


class _MaskedAttribute(DeferredAttribute):
    """The field's attribute: the stored value, or its mask while a masked viewer's request runs."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        if self.field.attname not in instance.__dict__:
            with unmasked():  # a deferred value is loaded raw, then shown like the others
                super().__get__(instance, cls)
        value = instance.__dict__[self.field.attname]
        if value and masking():
            return MASKS[self.field.mask_kind](value)  # type: ignore[attr-defined]
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class _PersonalField:
    """What the personal fields share: the masking attribute, saving the raw value, and the same
    migration as the plain field (the column does not change)."""

    mask_kind = ""
    descriptor_class: type[DeferredAttribute] = _MaskedAttribute

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return model_instance.__dict__.get(self.attname)  # type: ignore[attr-defined]

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)  # type: ignore[misc]
        _refresh_raw(cls)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        base = next(c for c in type(self).__mro__ if c.__module__.startswith("django.db.models"))
        return name, f"django.db.models.{base.__name__}", args, kwargs


def _refresh_raw(cls: type[models.Model]) -> None:
    """``refresh_from_db`` copies the fresh values through the attributes: raw, not masked."""
    if cls.__dict__.get("_kesu_refresh_raw"):
        return
    refresh = cls.refresh_from_db

    def refresh_from_db(self: models.Model, *args: Any, **kwargs: Any) -> None:
        with unmasked():
            refresh(self, *args, **kwargs)

    cls.refresh_from_db = refresh_from_db  # type: ignore[method-assign]
    cls._kesu_refresh_raw = True  # type: ignore[attr-defined]


class NameField(_PersonalField, models.CharField):  # type: ignore[type-arg]
    """A customer's name: 张** for masked viewers."""

    mask_kind = "name"


class PlateField(_PersonalField, models.CharField):  # type: ignore[type-arg]
    """A licence plate: 粤B·***45 for masked viewers."""

    mask_kind = "plate"


class VinField(_PersonalField, models.CharField):  # type: ignore[type-arg]
    """A VIN: the first eleven characters for masked viewers."""

    mask_kind = "vin"


class IdentifiersCharField(_PersonalField, models.CharField):  # type: ignore[type-arg]
    """A short text that may quote a customer (a work item's subject): phones, plates and VINs
    masked for masked viewers."""

    mask_kind = "text"


class IdentifiersTextField(_PersonalField, models.TextField):  # type: ignore[type-arg]
    """Free text in the customer's words: its phones, plates and VINs masked for masked viewers."""

    mask_kind = "text"


class ChangesField(_PersonalField, models.JSONField):  # type: ignore[type-arg]
    """A change log ({"field": [old, new]}): names, phones, plates and VINs masked in its values."""

    mask_kind = "changes"
