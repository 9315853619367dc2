"""The outcome form of the script screen: the script's questions become its fields
(``answers.<key>``), so a service's field errors land beside the question they name."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import Satisfaction

from . import scripts
from .choices import Question, Result


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    satisfaction = forms.ChoiceField(
        label=_("Overall satisfaction"),
        choices=[("", "—")] + list(Satisfaction.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("What happened (not reached)"), required=False)
    sms_text = forms.CharField(label=_("SMS text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    early_reason = forms.CharField(label=_("Why before the next working day"), required=False)
    consent_sms = forms.CharField(required=False, widget=forms.HiddenInput)  # names the consent error
    state = forms.CharField(required=False, widget=forms.HiddenInput)  # names a closed follow-up

    def __init__(self, *args: Any, kind: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].choices = list(Satisfaction.choices)  # type: ignore[attr-defined]
        self.questions = scripts.script_for(kind).questions
        for key, step in self.questions.items():
            name = f"answers.{key}"
            if step.question in (Question.YES_NO, Question.RATING):
                self.fields[name] = forms.ChoiceField(
                    label=key, choices=[("", "—"), *step.choices], required=False, widget=forms.RadioSelect
                )
            elif step.question == Question.NUMBER:
                self.fields[name] = forms.IntegerField(label=key, required=False, min_value=0)
            else:
                self.fields[name] = forms.CharField(label=key, required=False)

    def answers(self) -> dict[str, Any]:
        return {
            key: self.cleaned_data.get(f"answers.{key}")
            for key in self.questions
            if self.cleaned_data.get(f"answers.{key}") not in (None, "")
        }
