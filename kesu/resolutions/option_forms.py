"""The forms of the options card (validation is the services': these only carry the fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AgreementMethod, CustomerAnswer, Remedy

MAX_TEXT = 2000


class OptionForm(forms.Form):
    """An option's texts; its remedy lines are rows of ``remedy`` / ``amount`` / ``note``."""

    title = forms.CharField(label=_("Title"), required=False, max_length=80)
    schedule = forms.CharField(
        label=_("Schedule (when it will be done)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    done_by = forms.DateField(
        label=_("Done by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    pros = forms.CharField(
        label=_("Pros, as explained to the customer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    cons = forms.CharField(
        label=_("Cons, as explained to the customer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason to save despite a forbidden phrase"), required=False, max_length=500
    )


class ProposeForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Root cause"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Empty: the department's finding, or the root cause recorded already."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT)
    override_reason = forms.CharField(
        label=_("Reason to send despite a forbidden phrase"), required=False, max_length=500
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Customer's answer"), choices=CustomerAnswer.choices)
    customer_name = forms.CharField(label=_("Answered by"), required=False, max_length=60)
    method = forms.ChoiceField(
        label=_("How the customer agreed"), choices=[("", "—"), *AgreementMethod.choices], required=False
    )
    call_note = forms.CharField(
        label=_("Call note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    sms_text = forms.CharField(
        label=_("The customer's confirming SMS"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    until = forms.DateField(
        label=_("Answer expected by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    signature = forms.CharField(widget=forms.HiddenInput, required=False)


REMEDY_CHOICES = Remedy.choices
