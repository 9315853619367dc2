"""The send form of the written answer and the letter-template form (validation is the services')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AnswerChannel
from .services import MAX_ADDRESS, MAX_BODY, MAX_TITLE


class AnswerForm(forms.Form):
    channel = forms.ChoiceField(label=_("How it reaches the customer"), choices=AnswerChannel.choices)
    text = forms.CharField(
        label=_("Letter text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_BODY,
    )
    email = forms.CharField(label=_("Customer's email"), required=False, max_length=254)
    address = forms.CharField(label=_("Postal address"), required=False, max_length=MAX_ADDRESS)
    override_reason = forms.CharField(
        label=_("Reason to send despite a forbidden phrase"), required=False, max_length=500
    )


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("Letter text"), widget=forms.Textarea(attrs={"rows": 18}), max_length=MAX_BODY
    )
