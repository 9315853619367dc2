"""The ownership panel at the top of a complaint's page: who owns it, which department is
responsible, and the reassign and transfer controls (complaints/_ownership.html)."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from . import ownership
from .models import Complaint

BLANK: list[tuple[Any, Any]] = [("", "—")]


class _OwnershipForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why"), max_length=ownership.MAX_REASON, widget=forms.TextInput(attrs={"size": 30})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False  # the server's message names the field, in the UI's language


class AssignForm(_OwnershipForm):
    # A plain number: whoever is sent, the service says what is wrong with them (another
    # dealer's, deactivated, a role that does not handle complaints).
    assignee_id = forms.IntegerField(label=gettext_lazy("Give to"), widget=forms.Select)
    field_order = ["version", "assignee_id", "reason"]

    def __init__(self, *args: Any, people: list[User] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        choices = BLANK + [
            (
                person.pk,
                _("%(name)s · %(role)s · %(open)s open")
                % {"name": person, "role": person.get_role_display(), "open": person.open_count},  # type: ignore[attr-defined]
            )
            for person in people
        ]
        self.fields["assignee_id"].widget.choices = choices  # type: ignore[attr-defined]


class TransferForm(_OwnershipForm):
    department_id = forms.IntegerField(label=gettext_lazy("Transfer to"), widget=forms.Select)
    field_order = ["version", "department_id", "reason"]

    def __init__(self, *args: Any, departments: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["department_id"].widget.choices = BLANK + [(d.pk, d.name) for d in departments]  # type: ignore[attr-defined]


def assign_form(complaint: Complaint, data: Any = None) -> AssignForm:
    return AssignForm(
        data,
        people=ownership.handlers(complaint.dealer_id),
        initial={"version": complaint.version},
        auto_id="assign_%s",
    )


def transfer_form(complaint: Complaint, data: Any = None) -> TransferForm:
    return TransferForm(
        data,
        departments=ownership.departments(complaint.dealer_id),
        initial={"version": complaint.version},
        auto_id="transfer_%s",
    )


def panel(user: User, complaint: Complaint, **forms_given: Any) -> dict[str, Any]:
    """The panel's context: ``assign_form`` and ``transfer_form`` (the ones given — a failed
    submit — or fresh ones), and ``can_assign``."""
    can_assign = has_capability(user, Capability.EDIT_COMPLAINT)
    context: dict[str, Any] = {"can_assign": can_assign}
    if can_assign:
        context["assign_form"] = forms_given.get("assign_form") or assign_form(complaint)
        context["transfer_form"] = forms_given.get("transfer_form") or transfer_form(complaint)
    return context
