"""How a form field's input is drawn: marked required, marked invalid, and the first invalid one
focused (without JavaScript the browser scrolls to it after a failed submit; htmx focuses it
after swapping the form in place)."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def first_error_name(form: object) -> str | None:
    """The first field (in the form's order) that carries an error."""
    errors = getattr(form, "errors", None) if getattr(form, "is_bound", False) else None
    if not errors:
        return None
    for name in form.fields:  # type: ignore[attr-defined]
        if name in errors:
            return str(name)
    return None


@register.filter
def marked(field: BoundField, required: object = False) -> SafeString:
    """The field's widget with aria-required / aria-invalid and, on the first invalid field of
    the form, autofocus."""
    attrs: dict[str, str | bool] = {}
    if required or field.field.required:
        attrs["aria-required"] = "true"
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id or field.html_name}-error"
        if first_error_name(field.form) == field.name:
            attrs["autofocus"] = True
    return field.as_widget(attrs=attrs)


@register.filter
def is_required(field: BoundField, required: object = False) -> bool:
    return bool(required) or bool(field.field.required)
