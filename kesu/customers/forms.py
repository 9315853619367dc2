"""The customer page's forms: they parse and show errors; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Customer, Vehicle


class CustomerEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Customer name"), max_length=60, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=20, required=False)
    is_vip = forms.BooleanField(label=_("VIP / key account"), required=False)
    consent_sms = forms.BooleanField(label=_("Agrees to SMS"), required=False)
    consent_calls = forms.BooleanField(label=_("Agrees to care calls"), required=False)
    consent_marketing = forms.BooleanField(label=_("Agrees to marketing"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def of(cls, customer: Customer) -> "CustomerEditForm":
        """The form filled with the customer's record; the number is typed again to change it."""
        fields = ("name", "is_vip", "consent_sms", "consent_calls", "consent_marketing", "notes", "version")
        form = cls(initial={name: getattr(customer, name) for name in fields})
        form.fields["mobile"].widget.attrs["placeholder"] = customer.mobile_masked
        return form

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        if not data.get("mobile"):  # left empty: the number stays (it is never shown whole here)
            data.pop("mobile")
        return data


class VehicleEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    plate = forms.CharField(label=_("Plate"), max_length=12, required=False)
    vin = forms.CharField(label=_("VIN"), max_length=20, required=False)
    model_name = forms.CharField(label=_("Model"), max_length=60, required=False)
    mileage_km = forms.IntegerField(label=_("Mileage (km)"), required=False, min_value=0)
    purchase_date = forms.DateField(
        label=_("Purchase date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    warranty_end = forms.DateField(
        label=_("Warranty end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    @classmethod
    def of(cls, vehicle: Vehicle) -> "VehicleEditForm":
        fields = ("plate", "vin", "model_name", "mileage_km", "purchase_date", "warranty_end", "version")
        return cls(initial={name: getattr(vehicle, name) for name in fields}, prefix=f"v{vehicle.pk}")

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        return {name: value for name, value in data.items() if value is not None}


class MergeForm(forms.Form):
    other_id = forms.TypedChoiceField(label=_("The duplicate record"), coerce=int, choices=())
    confirm = forms.BooleanField(
        label=_(
            "I checked: both records are the same person. The duplicate is deleted after its history moves."
        ),
        required=True,
    )

    def __init__(self, *args: Any, candidates: list[Customer] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["other_id"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"#{c.pk} {c.name} {c.mobile_masked}") for c in candidates
        ]
