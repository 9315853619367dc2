"""The follow-up pages: my and the desk's calls due, and the script screen of one call, where
the outcome is recorded."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.core.errors import DomainError, NotFound
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.web.forms import apply_errors

from . import selectors, services
from .choices import DayPart, FollowUpKind, FollowUpState, Result
from .forms import OutcomeForm
from .models import Attempt, FollowUp


@page()
def followup_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine", "")
    due = request.GET.get("due", "")
    mine = mine if mine in ("mine", "desk") else ""
    due = due if due in ("today", "overdue") else ""
    rows = selectors.followup_list(actor=actor(request), mine=mine, due=due)[:200]
    return render(
        request,
        "followups/list.html",
        {"rows": rows, "mine": mine, "due": due},
    )


def _screen(request: HttpRequest, followup: FollowUp, form: OutcomeForm, status: int = 200) -> HttpResponse:
    user = actor(request)
    lines = services.script_lines(followup, user)
    plan = services.plan_of(followup)
    steps = [
        {"line": line, "field": form[f"answers.{line.key}"] if f"answers.{line.key}" in form.fields else None}
        for line in lines
    ]
    sms_default = ""
    if plan.fallback_due:
        sms_default = services.default_sms(followup, services.script_values(followup, user))
    return render(
        request,
        "followups/detail.html",
        {
            "f": followup,
            "steps": steps,
            "plan": plan,
            "form": form,
            "attempts": Attempt.objects.filter(followup=followup).select_related("actor").order_by("number"),
            "day_parts": dict(DayPart.choices),
            "results": dict(Result.choices),
            "may_work": has_capability(user, Capability.WORK_FOLLOW_UPS)
            and followup.state == FollowUpState.OPEN,
            "is_revisit": followup.kind == FollowUpKind.REVISIT,
            "sms_default": sms_default,
            "has_comment_step": any(line.key == "comment" for line in lines),
        },
        status=status,
    )


def _get(request: HttpRequest, followup_id: int) -> FollowUp:
    selectors.get_followup(actor=actor(request), followup_id=followup_id)
    found = FollowUp.objects.select_related("customer", "vehicle", "complaint").filter(pk=followup_id).first()
    if found is None:
        raise NotFound("")
    return found


@page()
def detail(request: HttpRequest, followup_id: int) -> HttpResponse:
    """The script screen: what to say, step by step, and the outcome form."""
    followup = _get(request, followup_id)
    return _screen(request, followup, OutcomeForm(kind=followup.kind))


@require_POST
@page()
def outcome(request: HttpRequest, followup_id: int) -> HttpResponse:
    followup = _get(request, followup_id)
    form = OutcomeForm(request.POST, kind=followup.kind)
    if form.is_valid():
        data = services.OutcomeInput(
            result=form.cleaned_data["result"],
            satisfaction=form.cleaned_data["satisfaction"] or "",
            answers=form.answers(),
            comment=form.cleaned_data["comment"],
            note=form.cleaned_data["note"],
            sms_text=form.cleaned_data["sms_text"],
            early_reason=form.cleaned_data["early_reason"],
        )
        try:
            flows.followups.record_outcome(actor=actor(request), followup_id=followup.pk, data=data)
        except NotFound:
            raise
        except DomainError as exc:
            if exc.status == 403:
                raise
            apply_errors(form, exc)
        else:
            messages.success(request, _("Call recorded."))
            return redirect("followups:detail", followup_id=followup.pk)
    followup.refresh_from_db()
    return _screen(request, followup, form, status=422)
