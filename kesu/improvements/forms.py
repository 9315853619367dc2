"""The improvement pages' forms: they parse and show errors; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import User

from .choices import Priority

BLANK: list[tuple[Any, Any]] = [("", "—")]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        label=_("What is to be done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_id = forms.TypedChoiceField(label=_("Owner"), coerce=int, choices=BLANK)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.IMPORTANT)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: list[User] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = BLANK + [(u.pk, str(u)) for u in owners or []]  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    evidence_text = forms.CharField(
        label=_("Evidence of completion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_file = forms.FileField(label=_("Attachment (photo, document)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    case_text = forms.CharField(label=_("Case (案例)"), widget=forms.Textarea(attrs={"rows": 6}))
    analysis = forms.CharField(label=_("Analysis (分析)"), widget=forms.Textarea(attrs={"rows": 5}))
    commentary = forms.CharField(
        label=_("Commentary: lessons learned (点评)"), widget=forms.Textarea(attrs={"rows": 5})
    )
