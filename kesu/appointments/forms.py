"""The booking form (预约信息卡, seed 004): it parses and shows errors; the services decide what is
valid (the slot, the advisor, capacity)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import User

from .choices import Salutation, WorkType

BLANK: list[tuple[Any, Any]] = [("", "—")]


class BookingForm(forms.Form):
    plate = forms.CharField(label=_("Plate"), max_length=12)
    name = forms.CharField(label=_("Customer name"), max_length=60)
    salutation = forms.ChoiceField(
        label=_("Salutation"),
        required=False,
        choices=BLANK + list(Salutation.choices),
        widget=forms.RadioSelect,
    )
    mobile = forms.CharField(
        label=_("Contact number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    arrival_at = forms.CharField(label=_("Arrival time"), widget=forms.HiddenInput, required=False)
    work_items = forms.MultipleChoiceField(
        label=_("Work items"), choices=WorkType.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    work_note = forms.CharField(
        label=_("Work details"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    mileage_km = forms.IntegerField(label=_("Mileage (km)"), required=False, min_value=0)
    advisor_id = forms.TypedChoiceField(
        label=_("Advisor"), required=False, coerce=int, empty_value=None, choices=BLANK
    )
    customer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    vehicle_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    followup_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, advisors: list[User] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["advisor_id"].choices = BLANK + [(u.pk, str(u)) for u in advisors or []]  # type: ignore[attr-defined]


class RescheduleForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    arrival_at = forms.CharField(label=_("Arrival time"), widget=forms.HiddenInput, required=False)
