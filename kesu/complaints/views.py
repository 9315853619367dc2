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
from kesu.complaints import attachments, queries, selectors, services, timeline, workflow
from kesu.complaints.choices import STEP_OF_STATUS, Category, Channel, Severity, Status
from kesu.core.errors import DomainError, InvalidInput
from kesu.customers import services as customer_services
from kesu.insights.choices import FaultArea
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.organizations.scope import user_dealer_id
from kesu.sla import services as sla_services
from kesu.web.forms import apply_errors, now_local_input
from kesu.web.forms import page_number as forms_page_number

from . import ownership_forms
from .forms import EditForm, IntakeForm, TransitionForm

QUEUE_VIEWS = (
    ("mine", gettext_lazy("Mine")),
    ("due_today", gettext_lazy("Due today")),
    ("overdue", gettext_lazy("Overdue")),
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
    filters = queries.filters_from_query(request.GET)
    return filters.view, filters


# queue columns: (sort field, label); None = not sortable
QUEUE_COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("received_at", gettext_lazy("Received")),
    ("customer", gettext_lazy("Customer")),
    ("dealer", gettext_lazy("Dealer")),
    (None, gettext_lazy("Vehicle")),
    (None, gettext_lazy("Customer's words")),
    ("category", gettext_lazy("Category")),
    ("severity", gettext_lazy("Severity")),
    ("status", gettext_lazy("Status")),
    ("due_at", gettext_lazy("Due")),
    ("assignee", gettext_lazy("Assignee")),
)


def _sort_headers(request: HttpRequest, ordering: str, *, with_dealer: bool) -> list[dict[str, Any]]:
    """The queue's column headers: each sortable one links to the queue sorted by it (again:
    the other way), keeping the filters; ``aria-sort`` on the current one."""
    current = queries.parse_ordering(ordering)
    first = current[0] if current else None
    headers = []
    for field, label in QUEUE_COLUMNS:
        if field == "dealer" and not with_dealer:
            continue
        header: dict[str, Any] = {"field": field, "label": label, "url": "", "sort": ""}
        if field is not None:
            descending = first is not None and first[0] == field and not first[1]
            params = request.GET.copy()
            params.pop("page", None)
            params["ordering"] = f"-{field}" if descending else field
            header["url"] = "?" + params.urlencode()
            if first is not None and first[0] == field:
                header["sort"] = "descending" if first[1] else "ascending"
        headers.append(header)
    return headers


@page()
def queue(request: HttpRequest) -> HttpResponse:
    view, filters = _queue_filters(request)
    user = actor(request)
    page_number = forms_page_number(request.GET.get("page"))
    start = (page_number - 1) * PAGE_SIZE
    rows = queries.queue_rows(user, filters, start=start, size=PAGE_SIZE + 1)
    badges = sla_services.queue_badges(rows[:PAGE_SIZE])
    for row in rows[:PAGE_SIZE]:
        row.sla = badges.get(row.pk)  # type: ignore[attr-defined]
    dealers = queries.dealers_in_scope(user)
    with_dealer = len(dealers) > 1  # CRC, region and admin: a dealer column and filter
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
        "dealers": dealers if with_dealer else [],
        "with_dealer": with_dealer,
        "headers": _sort_headers(request, filters.ordering, with_dealer=with_dealer),
        "drill": _drill_filters(filters),
        "now": timezone.now(),
    }
    template = (
        "complaints/_queue_table.html" if request.headers.get("HX-Request") else "complaints/queue.html"
    )
    return render(request, template, context)


def _drill_filters(filters: queries.ComplaintFilters) -> list[tuple[str, str, str]]:
    """The filters a dashboard drill-down adds that the filter bar has no control for: kept as
    hidden fields (so changing the status keeps them) and shown, (name, value, label) each."""
    found: list[tuple[str, str, str]] = []
    if filters.month:
        found.append(("month", filters.month, filters.month))
    if filters.fault_area:
        found.append(("fault_area", filters.fault_area, str(FaultArea(filters.fault_area).label)))
    if filters.channel:
        found.append(("channel", filters.channel, str(Channel(filters.channel).label)))
    if filters.model:
        found.append(("model", filters.model, filters.model))
    if filters.org:
        org = Organization.objects.filter(pk=filters.org).values_list("name", flat=True).first()
        found.append(("org", str(filters.org), org or str(filters.org)))
    if filters.department:
        department = Organization.objects.filter(pk=filters.department).values_list("name", flat=True).first()
        found.append(("department", str(filters.department), department or str(filters.department)))
    return found


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
        # None: not answered, which intake refuses (the consent is asked, never assumed)
        "consent_sms": {"yes": True, "no": False}.get(data.get("consent_sms", "")),
        "consent_calls": {"yes": True, "no": False}.get(data.get("consent_calls", "")),
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
    duplicate = None  # the customer who already has the typed number (customers/_duplicate.html)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            picked = bool(data.get("customer_id"))
            new_customer = None if picked else _new_customer_from(data)
            vehicle = _new_customer_from(data)["vehicle"] if picked else None  # a new car of theirs
            found = flows.intake_for_caller(
                actor=user, draft=_draft_from(data), new_customer=new_customer, vehicle=vehicle
            )
        except customer_services.DuplicateCustomer as exc:
            apply_errors(form, exc, _INTAKE_ALIASES)
            duplicate = exc.existing
        except InvalidInput as exc:
            apply_errors(form, exc, _INTAKE_ALIASES)
        else:
            complaint = found.complaint
            messages.success(request, _("Complaint %(number)s registered.") % {"number": complaint.number})
            if found.existing_customer:
                messages.info(
                    request,
                    _("The number is %(name)s's: the complaint is on their existing record.")
                    % {"name": complaint.customer.name},
                )
            return redirect("complaints:complaint", complaint_id=complaint.pk)
    context = {"form": form, "duplicate": duplicate}
    return render(request, "complaints/intake.html", context, status=422 if form.errors else 200)


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
        form.use_required_attribute = False  # the server's message names the field, in the UI's language
        for name in t.requires:
            form.fields[name].required = True  # marked on the form (this instance only)
        if form.is_bound and any(form.has_error(name) for name in t.said):
            names.append(workflow.GUARD_OVERRIDE_REASON)  # the guard refused a text: offer the override
        if t.lukewarm_deciders and (user.is_kesu_admin or user.role in t.lukewarm_deciders):
            names.append(workflow.REASON)  # a manager closing on a lukewarm rating says why
            form.fields[workflow.REASON].label = _("Reason to close anyway (if the customer is lukewarm)")
        action_forms.append((t, form, [form[name] for name in names], t.action == failed_action))
    return {
        **sla_services.panel(complaint),
        "c": complaint,
        "action_forms": action_forms,
        "edit_form": edit_form,
        "timeline": complaint.timeline.select_related("actor"),
        "timeline_lines": timeline.render(complaint.timeline.select_related("actor")),
        "attachments": complaint.attachments.all(),
        "steps": STEPS,
        "step": STEP_OF_STATUS.get(Status(complaint.status), 1),
        "can_edit": has_capability(user, Capability.EDIT_COMPLAINT),
        "guarded_actions": selectors.guarded_actions(actor=user, complaint=complaint),
        **ownership_forms.panel(user, complaint),  # the owner at the top (complaints/_ownership.html)
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
            else:  # shown at the form the user just sent, not at the top of the page
                form.add_error(None, exc.message)
            status = exc.status
        else:
            label = workflow.BY_ACTION[action].label
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("complaints:complaint", args=[complaint_id])
                return response
            return redirect("complaints:complaint", complaint_id=complaint_id)
    return _failed_transition(request, complaint_id, action, form, status)


def _failed_transition(
    request: HttpRequest, complaint_id: int, action: str, form: TransitionForm, status: int
) -> HttpResponse:
    """The error at the form that was sent: htmx swaps that form alone in place (htmx swaps only
    2xx answers), without JavaScript the page comes back scrolled to it (#act-… and autofocus).
    An action no longer open (the status moved on, the role may not) has no form: the error
    goes on top of the page."""
    context = _detail_context(request, complaint_id, transition_form=form, failed_action=action)
    shown = next((entry for entry in context["action_forms"] if entry[0].action == action), None)
    if shown is None:
        for message in form.non_field_errors():
            messages.error(request, str(message))
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("complaints:complaint", args=[complaint_id])
            return response
    elif request.headers.get("HX-Request") == "true":
        t, action_form, fields, _open = shown
        fragment = {"c": context["c"], "t": t, "form": action_form, "fields": fields, "is_open": True}
        return render(request, "complaints/_action_form.html", fragment)
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


# --- ownership: reassign and transfer from the panel at the top (complaints/_ownership.html) ----


def _ownership_answer(
    request: HttpRequest, complaint_id: int, form: Any, name: str, status: int
) -> HttpResponse:
    """A refused reassign or transfer: the panel again with the errors beside their fields (htmx
    swaps only 2xx answers, so 200 there), or the whole page."""
    if request.headers.get("HX-Request") == "true":
        user = actor(request)
        complaint = selectors.get_complaint(actor=user, complaint_id=complaint_id)
        context = {"c": complaint, **ownership_forms.panel(user, complaint, **{name: form})}
        return render(request, "complaints/_ownership.html", context, status=200)
    context = _detail_context(request, complaint_id, **{name: form})
    return render(request, "complaints/complaint.html", context, status=status)


def _ownership_done(request: HttpRequest, complaint_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    target = reverse("complaints:complaint", args=[complaint_id])
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target  # the owner, the timeline and the version all changed
        return response
    return redirect(target)


def _ownership_submit(request: HttpRequest, complaint_id: int, name: str) -> HttpResponse:
    user = actor(request)
    complaint = selectors.get_complaint(actor=user, complaint_id=complaint_id)  # 404 before all
    make = ownership_forms.assign_form if name == "assign_form" else ownership_forms.transfer_form
    form = make(complaint, request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            if name == "assign_form":
                done = flows.reassign(
                    actor=user,
                    complaint_id=complaint_id,
                    assignee_id=data["assignee_id"],
                    reason=data["reason"],
                    expected_version=data["version"],
                )
                message = _("Reassigned to %(name)s.") % {"name": done.assignee}
            else:
                done = flows.transfer(
                    actor=user,
                    complaint_id=complaint_id,
                    department_id=data["department_id"],
                    reason=data["reason"],
                    expected_version=data["version"],
                )
                message = _("Transferred to %(name)s.") % {"name": done.department}
        except DomainError as exc:
            if exc.status == 404:
                raise
            apply_errors(form, exc)
            status = exc.status
        else:
            return _ownership_done(request, complaint_id, message)
    return _ownership_answer(request, complaint_id, form, name, status)


@require_POST
@page()
def complaint_assign(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _ownership_submit(request, complaint_id, "assign_form")


@require_POST
@page()
def complaint_transfer(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _ownership_submit(request, complaint_id, "transfer_form")
