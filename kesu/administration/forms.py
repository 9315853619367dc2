"""The administration pages' forms (the rules are in services.py; these only parse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.notifications.models import WebhookTarget


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("Letters, digits, - or _, e.g. D12 or D12-CS.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class OrganizationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    # administrators only (a dealer to another region); empty: unchanged
    parent_id = forms.TypedChoiceField(label=_("Belongs to"), required=False, coerce=int, empty_value=None)


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    role = forms.ChoiceField(label=_("Role"))
    organization_id = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, empty_value=None, required=False
    )
    mobile = forms.CharField(label=_("Mobile (for SMS alerts)"), max_length=20, required=False)
    agent_number = forms.CharField(label=_("Agent number"), max_length=16, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    password = forms.CharField(
        label=_("Temporary password (empty: generate one)"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    role = forms.ChoiceField(label=_("Role"))
    organization_id = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, empty_value=None, required=False
    )
    mobile = forms.CharField(label=_("Mobile (for SMS alerts)"), max_length=20, required=False)
    agent_number = forms.CharField(label=_("Agent number"), max_length=16, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password (empty: generate one)"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


class RobotForm(forms.Form):
    provider = forms.ChoiceField(label=_("Provider"), choices=WebhookTarget.Provider.choices)
    url = forms.CharField(label=_("Webhook address"), max_length=400)
    secret = forms.CharField(
        label=_("Signing secret (DingTalk 加签, optional)"), max_length=200, required=False
    )
