"""The call pages' forms: they parse and show errors; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import Category, Severity
from kesu.organizations.models import User

from .choices import AUDIT_ITEMS, AuditItem, CallDirection, CallPurpose

BLANK: list[tuple[Any, Any]] = [("", "—")]
CONSENT = [("yes", _("Yes")), ("no", _("No"))]
POINTS = [(0, _("0 · no")), (1, _("1 · partly")), (2, _("2 · yes"))]


class CallForm(forms.Form):
    """The phone desk's form, number first: the customer is found as the agent types."""

    number = forms.CharField(
        label=_("Caller's number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    customer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    complaint_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    callback_for_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=CallDirection.choices,
        initial=CallDirection.INBOUND,
        widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CallPurpose.choices, widget=forms.RadioSelect)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=60)
    plate = forms.CharField(label=_("Plate"), required=False, max_length=12)
    for_user_id = forms.TypedChoiceField(
        label=_("For (colleague)"), required=False, coerce=int, empty_value=None, choices=BLANK
    )
    customer_said = forms.CharField(
        label=_("What the customer said (their own words)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reply = forms.CharField(label=_("Our reply"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    duration_seconds = forms.IntegerField(label=_("Duration (seconds)"), initial=0)
    override_reason = forms.CharField(
        label=_("Reason to keep the reply as it is"), required=False, max_length=500
    )

    def __init__(self, *args: Any, colleagues: list[User] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["for_user_id"].choices = BLANK + [(u.pk, str(u)) for u in colleagues or []]  # type: ignore[attr-defined]


class ConvertForm(forms.Form):
    confirm = forms.BooleanField(label=_("The caller is complaining: register a complaint"), required=False)
    name = forms.CharField(label=_("Customer name"), required=False, max_length=60)
    consent_sms = forms.ChoiceField(
        label=_("Agrees to SMS"), choices=CONSENT, required=False, widget=forms.RadioSelect
    )
    consent_calls = forms.ChoiceField(
        label=_("Agrees to care calls"), choices=CONSENT, required=False, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + list(Category.choices), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL)

    def answer(self, name: str) -> bool | None:
        value = self.cleaned_data.get(name)
        return None if not value else value == "yes"


class SampleForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    per_agent = forms.IntegerField(label=_("Calls per agent"), initial=5)


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(AuditItem.choices)
        for item in AUDIT_ITEMS:
            self.fields[item] = forms.TypedChoiceField(
                label=labels[item], choices=POINTS, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([*AUDIT_ITEMS, "comment"])

    def checklist(self) -> list[forms.BoundField]:
        return [self[item] for item in AUDIT_ITEMS]
