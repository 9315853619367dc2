from copy import deepcopy

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import TargetUnit
from .policies import DEFAULT_LADDER


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    family = forms.SlugField(label=_("Policy key"), max_length=40)
    organization_id = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    severity = forms.CharField(label=_("Only for severity"), required=False)
    category = forms.CharField(label=_("Only for category"), required=False)
    vip_only = forms.BooleanField(label=_("Only for VIP customers"), required=False)
    first_reply = forms.IntegerField(label=_("First reply"))
    first_reply_unit = forms.ChoiceField(choices=TargetUnit.choices)
    resolution = forms.IntegerField(label=_("Resolution"))
    resolution_unit = forms.ChoiceField(choices=TargetUnit.choices)
    revisit = forms.IntegerField(label=_("Revisit"))
    revisit_unit = forms.ChoiceField(choices=TargetUnit.choices)
    decision = forms.IntegerField(label=_("Written decision"))
    decision_unit = forms.ChoiceField(choices=TargetUnit.choices)
    warning_fraction = forms.DecimalField(label=_("Warn at (fraction)"), max_digits=3, decimal_places=2)
    # A new policy starts from the default ladder (unbound, the field would show "null"). Not
    # ``required``: that would refuse "[]", a policy that escalates to nobody; a blank box is
    # refused by save_policy_version, naming the field.
    ladder = forms.JSONField(
        label=_("Escalation ladder"), required=False, initial=lambda: deepcopy(DEFAULT_LADDER)
    )


class HoursForm(forms.Form):
    organization_id = forms.IntegerField(widget=forms.HiddenInput)
    # one line per weekday: "08:30-12:00, 13:30-18:00"; empty = closed
    monday = forms.CharField(label=_("Monday"), required=False)
    tuesday = forms.CharField(label=_("Tuesday"), required=False)
    wednesday = forms.CharField(label=_("Wednesday"), required=False)
    thursday = forms.CharField(label=_("Thursday"), required=False)
    friday = forms.CharField(label=_("Friday"), required=False)
    saturday = forms.CharField(label=_("Saturday"), required=False)
    sunday = forms.CharField(label=_("Sunday"), required=False)


class OverrideForm(forms.Form):
    organization_id = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_open = forms.BooleanField(label=_("Open (a made-up working day)"), required=False)
    opens = forms.TimeField(label=_("Opens"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(
        label=_("Closes"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=120)
