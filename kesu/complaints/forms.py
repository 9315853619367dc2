"""The complaint pages' forms: they parse and show errors; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    Category,
    Channel,
    Demand,
    Emotion,
    Nature,
    Satisfaction,
    Severity,
)

BLANK: list[tuple[Any, Any]] = [("", "—")]
CONSENT = [("yes", _("Yes")), ("no", _("No"))]


class IntakeForm(forms.Form):
    customer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    vehicle_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Customer name"), required=False, max_length=60)
    mobile = forms.CharField(label=_("Mobile"), required=False, max_length=20)
    is_vip = forms.BooleanField(label=_("VIP / key account"), required=False)
    plate = forms.CharField(label=_("Plate"), required=False, max_length=12)
    vin = forms.CharField(label=_("VIN"), required=False, max_length=20)
    model_name = forms.CharField(label=_("Model"), required=False, max_length=60)
    mileage_km = forms.IntegerField(label=_("Mileage (km)"), required=False, min_value=0)
    # a new customer's consent is asked: no answer is preselected; intake requires one
    consent_sms = forms.ChoiceField(
        label=_("Agrees to SMS"), choices=CONSENT, required=False, widget=forms.RadioSelect
    )
    consent_calls = forms.ChoiceField(
        label=_("Agrees to care calls"), choices=CONSENT, required=False, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    verbatim = forms.CharField(
        label=_("Customer's own words"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    facts = forms.CharField(label=_("Facts"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    emotion = forms.ChoiceField(label=_("Emotion"), choices=BLANK + Emotion.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + Category.choices, required=False)
    nature = forms.ChoiceField(label=_("Nature"), choices=BLANK + Nature.choices, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL)
    demands = forms.MultipleChoiceField(
        label=_("Demands"),
        choices=Demand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department_id = forms.TypedChoiceField(
        label=_("Responsible department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, departments=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = BLANK + [(d.pk, d.name) for d in departments]  # type: ignore[attr-defined]


class EditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    facts = forms.CharField(label=_("Facts"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    emotion = forms.ChoiceField(label=_("Emotion"), choices=BLANK + Emotion.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + Category.choices, required=False)
    nature = forms.ChoiceField(label=_("Nature"), choices=BLANK + Nature.choices, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    demands = forms.MultipleChoiceField(
        label=_("Demands"),
        choices=Demand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The assignee and the department are changed at the top of the page, each with a reason
    # (complaints/_ownership.html), not here.
    note = forms.CharField(label=_("Why (optional)"), required=False)

    def __init__(self, *args, departments=(), people=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    promised_plan_at = forms.DateTimeField(
        label=_("Plan promised to the customer by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    root_cause = forms.CharField(
        label=_("Root cause"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan = forms.CharField(
        label=_("Countermeasure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), required=False, choices=BLANK + Satisfaction.choices
    )
    guard_override_reason = forms.CharField(
        label=_("Send anyway — reason (logged for the monthly review)"), required=False, max_length=500
    )

    def inputs(self) -> dict[str, object]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and v not in ("", None)}
        return data
