"""Form helpers every page uses: a service's field errors onto a form, the local time input."""

from django import forms
from django.http import Http404
from django.utils import timezone

from kesu.core.errors import DomainError
from kesu.core.schemas import MAX_PAGE


def apply_errors(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's field errors on the form fields they name (or on top of the form)."""
    aliases = aliases or {}
    for name, message in error.fields.items():
        field = aliases.get(name, name)
        if field in form.fields:
            form.add_error(field, message)
        else:
            form.add_error(None, f"{name}: {message}")
    if not error.fields:
        form.add_error(None, error.message)


def now_local_input() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def page_number(raw: str | None) -> int:
    """The ``?page=`` of a list page: 1 when missing or not a number, a 404 page beyond
    ``MAX_PAGE`` (page 10**18 used to reach the database as an offset past 2**63: a 500)."""
    try:
        number = max(1, int(raw or "1"))
    except ValueError:
        return 1
    if number > MAX_PAGE:
        raise Http404("No such page.")
    return number
