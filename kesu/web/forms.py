"""Form helpers every page uses: a service's field errors onto a form, the local time input."""

from django import forms
from django.utils import timezone

from kesu.core.errors import DomainError


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
