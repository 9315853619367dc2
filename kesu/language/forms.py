"""Page forms: they parse and show errors; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ObjectionContent, ObjectionNature, ReplyChannel, Situation

BLANK: list[tuple[Any, Any]] = [("", "—")]


class PhraseForm(forms.Form):
    phrase = forms.CharField(label=_("Forbidden phrase"), required=False, max_length=200)
    alternative = forms.CharField(
        label=_("Polite alternative"),
        required=False,
        max_length=600,
        widget=forms.TextInput(attrs={"data-testid": "phrase-alternative"}),
    )
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices, initial=Situation.OTHER)
    pattern = forms.CharField(
        label=_("Matching (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Wordings separated by |; … lets a few other characters stand between; ^ / $ anchor."),
    )
    exceptions = forms.CharField(
        label=_("Exceptions (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Polite wordings containing the phrase, separated by |, e.g. 不行驶|行不行."),
    )
    variants = forms.CharField(
        label=_("Variants (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Common paraphrases, separated by |, e.g. 我们也没辙|我也没有办法."),
    )
    polite_before = forms.CharField(
        label=_("Polite when preceded by (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Wordings that make it polite just before it in the same sentence, e.g. 如果您觉得."),
    )
    polite_after = forms.CharField(
        label=_("Polite when followed by (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Wordings that make it polite just after it, e.g. 我帮您查|我…确认."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    situation = forms.ChoiceField(
        label=_("Situation"), choices=Situation.choices, initial=Situation.OBJECTION
    )
    objection_nature = forms.ChoiceField(
        label=_("Objection nature"), choices=BLANK + ObjectionNature.choices, required=False
    )
    objection_content = forms.ChoiceField(
        label=_("Objection type"), choices=BLANK + ObjectionContent.choices, required=False
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Placeholders: {customer_name} {dealer} {agent_number} {promised_time}"),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(required=False, max_length=40_000)
    channel = forms.ChoiceField(choices=ReplyChannel.choices, required=False)
    override_reason = forms.CharField(required=False, max_length=2000)
    template_id = forms.IntegerField(required=False)
    objection_nature = forms.ChoiceField(choices=BLANK + ObjectionNature.choices, required=False)
    objection_content = forms.ChoiceField(choices=BLANK + ObjectionContent.choices, required=False)
