"""Server-rendered pages. Thin: parse the request, call a service, render."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints import attachments, queries, selectors, services, workflow
from kesu.complaints.choices import STEP_OF_STATUS, Category, Severity, Status
from kesu.core.errors import DomainError, InvalidInput
from kesu.customers import services as customer_services
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.organizations.scope import user_dealer_id
from kesu.sla import services as sla_services
from kesu.web.forms import apply_errors, now_local_input

from .forms import EditForm, IntakeForm, TransitionForm

QUEUE_VIEWS = (
    ("mine", gettext_lazy("Mine")),
    ("department", gettext_lazy("My department")),
    ("all", gettext_lazy("All in scope")),
)
PAGE_SIZE = 25
STEPS = (
    (1, gettext_lazy("Receive")),
    (2, gettext_lazy("Cause & plan")),
    (3, gettext_lazy("Explain & carry out")),
    (4, gettext_lazy("Follow up & prevent")),
)


def _queue_filters(request: HttpRequest) -> tuple[str, queries.ComplaintFilters]:
    user = actor(request)
    view = request.GET.get("view", "all")
    status = request.GET.get("status", "open")
    filters = queries.ComplaintFilters(
        status=sorted(s for s in Status.values if s not in ("closed", "refused"))
        if status == "open"
        else ([status] if status in Status.values else None),
        category=request.GET.get("category", "") if request.GET.get("category") in Category.values else "",
        severity=request.GET.get("severity", "") if request.GET.get("severity") in Severity.values else "",
        q=request.GET.get("q", "")[:100],
        with_overdue_revisits=status == "open",
    )
    if view == "mine":
        filters.assignee = user.pk
    elif view == "department" and user.organization and user.organization.kind == OrgKind.DEPARTMENT:
        filters.department = user.organization.pk
    return view, filters


@page()
def queue(request: HttpRequest) -> HttpResponse:
    view, filters = _queue_filters(request)
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    start = (page_number - 1) * PAGE_SIZE
    rows = queries.queue_rows(actor(request), filters, start=start, size=PAGE_SIZE + 1)
    badges = sla_services.queue_badges(rows[:PAGE_SIZE])
    for row in rows[:PAGE_SIZE]:
        row.sla = badges.get(row.pk)  # type: ignore[attr-defined]
    context = {
        "rows": rows[:PAGE_SIZE],
        "has_next": len(rows) > PAGE_SIZE,
        "page": page_number,
        "view": view,
        "views": QUEUE_VIEWS,
        "status": request.GET.get("status", "open"),
        "statuses": Status.choices,
        "categories": Category.choices,
        "severities": Severity.choices,
        "filters": filters,
        "now": timezone.now(),
    }
    template = (
        "complaints/_queue_table.html" if request.headers.get("HX-Request") else "complaints/queue.html"
    )
    return render(request, template, context)


def _departments_for(user: User, dealer_id: int | None) -> list[Organization]:
    if dealer_id is None:
        return []
    return list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent_id=dealer_id))


def _people_for(dealer_id: int) -> list[User]:
    orgs = Organization.objects.filter(pk=dealer_id) | Organization.objects.filter(parent_id=dealer_id)
    return list(User.objects.filter(organization__in=orgs, is_active=True).order_by("username"))


def _draft_from(data: dict[str, Any]) -> services.ComplaintDraft:
    return services.ComplaintDraft(
        customer_id=data.get("customer_id") or 0,
        vehicle_id=data.get("vehicle_id"),
        channel=data["channel"],
        verbatim=data["verbatim"],
        facts=data.get("facts", ""),
        emotion=data.get("emotion", ""),
        category=data.get("category", ""),
        nature=data.get("nature", ""),
        severity=data["severity"],
        demands=list(data.get("demands", [])),
        department_id=data.get("department_id"),
        received_at=data.get("received_at"),
    )


def _new_customer_from(data: dict[str, Any]) -> dict[str, Any]:
    vehicle = None
    if data.get("plate") or data.get("vin"):
        vehicle = customer_services.VehicleInput(
            plate=data.get("plate", ""),
            vin=data.get("vin", ""),
            model_name=data.get("model_name", ""),
            mileage_km=data.get("mileage_km"),
        )
    return {
        "name": data.get("name", ""),
        "mobile": data.get("mobile", ""),
        "is_vip": data.get("is_vip", False),
        "vehicle": vehicle,
    }


_INTAKE_ALIASES = {
    "vehicle.plate": "plate",
    "vehicle.vin": "vin",
    "vehicle.mileage_km": "mileage_km",
    "department_id": "department_id",
}


@page(Capability.CREATE_COMPLAINT)
def intake(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    departments = _departments_for(user, user_dealer_id(user))
    form = IntakeForm(
        request.POST or None, departments=departments, initial={"received_at": now_local_input()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_customer = None if data.get("customer_id") else _new_customer_from(data)
            complaint = flows.intake(actor=user, draft=_draft_from(data), new_customer=new_customer)
        except InvalidInput as exc:
            apply_errors(form, exc, _INTAKE_ALIASES)
        else:
            messages.success(request, _("Complaint %(number)s registered.") % {"number": complaint.number})
            return redirect("complaints:complaint", complaint_id=complaint.pk)
    return render(request, "complaints/intake.html", {"form": form}, status=422 if form.errors else 200)


def _detail_context(request: HttpRequest, complaint_id: int, **extra: Any) -> dict[str, Any]:
    user = actor(request)
    complaint = selectors.get_complaint(actor=user, complaint_id=complaint_id)
    actions = selectors.available_actions(actor=user, complaint=complaint)
    edit_form = extra.pop("edit_form", None) or EditForm(
        initial={
            "version": complaint.version,
            "facts": complaint.facts,
            "emotion": complaint.emotion,
            "category": complaint.category,
            "nature": complaint.nature,
            "severity": complaint.severity,
            "demands": complaint.demands,
            "department_id": complaint.department_id,
            "assignee_id": complaint.assignee_id,
        },
        departments=_departments_for(user, complaint.dealer_id),
        people=_people_for(complaint.dealer_id),
    )
    failed_form, failed_action = extra.pop("transition_form", None), extra.pop("failed_action", "")
    action_forms = []
    for t in actions:
        form = (
            failed_form
            if t.action == failed_action
            else TransitionForm(initial={"version": complaint.version})
        )
        names = list(t.requires) + ([] if "note" in t.requires else ["note"])
        if form.is_bound and any(form.has_error(name) for name in t.said):
            names.append(workflow.GUARD_OVERRIDE_REASON)  # the guard refused a text: offer the override
        action_forms.append((t, form, [form[name] for name in names], t.action == failed_action))
    return {
        **sla_services.panel(complaint),
        "c": complaint,
        "action_forms": action_forms,
        "edit_form": edit_form,
        "timeline": complaint.timeline.select_related("actor"),
        "attachments": complaint.attachments.all(),
        "steps": STEPS,
        "step": STEP_OF_STATUS.get(Status(complaint.status), 1),
        "can_edit": has_capability(user, Capability.EDIT_COMPLAINT),
        **extra,
    }


@page()
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return render(request, "complaints/complaint.html", _detail_context(request, complaint_id))


@require_POST
@page()
def complaint_transition(request: HttpRequest, complaint_id: int, action: str) -> HttpResponse:
    form = TransitionForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            flows.transition(
                actor=actor(request),
                complaint_id=complaint_id,
                action=action,
                inputs=form.inputs(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            if exc.fields:  # invalid input, or a forbidden phrase in a text for the customer
                apply_errors(form, exc)
            else:
                messages.error(request, exc.message)
            status = exc.status
        else:
            label = workflow.BY_ACTION[action].label
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect("complaints:complaint", complaint_id=complaint_id)
    context = _detail_context(request, complaint_id, transition_form=form, failed_action=action)
    return render(request, "complaints/complaint.html", context, status=status)


@require_POST
@page()
def complaint_edit(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = actor(request)
    current = selectors.get_complaint(actor=user, complaint_id=complaint_id)
    form = EditForm(
        request.POST,
        departments=_departments_for(user, current.dealer_id),
        people=_people_for(current.dealer_id),
    )
    status = 422
    if form.is_valid():
        data = dict(form.cleaned_data)
        version, note = data.pop("version"), data.pop("note")
        try:
            flows.update_complaint(
                actor=user,
                complaint_id=complaint_id,
                expected_version=version,
                changes=data,
                note=note,
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        except DomainError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Saved."))
            return redirect("complaints:complaint", complaint_id=complaint_id)
    context = _detail_context(request, complaint_id, edit_form=form)
    return render(request, "complaints/complaint.html", context, status=status)


@require_POST
@page()
def complaint_attach(request: HttpRequest, complaint_id: int) -> HttpResponse:
    selectors.get_complaint(actor=actor(request), complaint_id=complaint_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            attachments.add_attachment(actor=actor(request), complaint_id=complaint_id, upload=upload)
        except DomainError as exc:
            if exc.status == 404:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attachment added."))
    return redirect(reverse("complaints:complaint", args=[complaint_id]) + "#attachments")
