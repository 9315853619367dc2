"""Improvement and case pages: the list (filters: status, overdue, owner), a new action prefilled
from a chart, a quality signal or a complaint, an action (evidence, moves, edit with the version
read), the case library (search, publish). Thin: parse, call, render."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.complaints.attachments import check_upload
from kesu.complaints.choices import Category
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound, StaleVersion
from kesu.insights.choices import FaultArea
from kesu.insights.models import QualitySignal
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, actor, page
from kesu.organizations.scope import user_dealer_id
from kesu.web.forms import apply_errors

from . import selectors, services
from .choices import ACTION_LABELS, OPEN_STATES, TRANSITIONS, ActionStatus, Effectiveness, Source
from .forms import ActionForm, CaseForm, EvidenceForm
from .models import ImprovementAction, organization_ids_seen_by

PAGE_SIZE = 100
CONTEXT_FIELDS = ("source", "source_chart", "month", "org", "category", "fault_area", "complaint", "signal")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _people_of(org: Organization) -> list[User]:
    """Who may own an action of ``org``: its people and its departments' (a region's, the
    carmaker's own staff)."""
    org_ids = [
        org.pk,
        *Organization.objects.filter(parent_id=org.pk, kind=OrgKind.DEPARTMENT).values_list("pk", flat=True),
    ]
    return list(
        User.objects.filter(is_active=True, organization_id__in=org_ids).order_by("display_name", "pk")
    )


def _owners_for(user: User) -> list[User]:
    """The owners the list's filter offers: the people of the organisations the user sees."""
    seen = organization_ids_seen_by(user)
    people = User.objects.filter(is_active=True).order_by("display_name", "pk")
    if seen is not None:
        people = people.filter(organization_id__in=seen) | people.filter(organization__parent_id__in=seen)
    return list(people[:300])


@page()
def action_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    error = ""
    actions: Any = []
    try:
        filters = selectors.checked_filters(
            status=request.GET.get("status", ""),
            overdue=request.GET.get("overdue") == "1",
            owner_id=_int(request.GET.get("owner")),
            complaint_id=_int(request.GET.get("complaint")),
        )
    except InvalidInput as exc:
        error = "; ".join(exc.fields.values()) or exc.message
    else:
        actions = list(selectors.actions_for(actor=user, filters=filters)[:PAGE_SIZE])
    today = timezone.localdate()
    context = {
        "rows": [{"a": a, "overdue": a.status in OPEN_STATES and a.deadline < today} for a in actions],
        "q": request.GET,
        "error": error,
        "statuses": ActionStatus.choices,
        "owners": _owners_for(user),
        "can_manage": services.may_manage(user),
    }
    return render(request, "improvements/list.html", context, status=422 if error else 200)


class _Origin:
    """Where a new action comes from, read from the query string (a chart's link, the quality
    signals page, a complaint's page) and carried through the form as hidden fields."""

    def __init__(self, user: User, data: Any):
        self.values = {name: data.get(name, "") for name in CONTEXT_FIELDS}
        source = self.values["source"]
        self.complaint: Complaint | None = None
        self.signal: QualitySignal | None = None
        complaint_id, signal_id = _int(self.values["complaint"]), _int(self.values["signal"])
        if complaint_id is not None:
            self.complaint = get_complaint(actor=user, complaint_id=complaint_id)  # 404 out of scope
            self.source = Source.COMPLAINT
        elif signal_id is not None:
            self.signal = QualitySignal.objects.visible_to(user).filter(pk=signal_id).first()
            if self.signal is None:
                raise NotFound(_("No such quality signal."))
            self.source = Source.QUALITY_SIGNAL
        elif source and source not in (Source.MANUAL, Source.COMPLAINT, Source.QUALITY_SIGNAL):
            self.source = Source.CHART  # ?source=<chart>: the dashboard chart the user came from
            self.values["source_chart"] = self.values["source_chart"] or source
        else:
            self.source = Source.MANUAL
        self.organization = self._organization(user)

    def _organization(self, user: User) -> Organization:
        seen = organization_ids_seen_by(user)
        org_id = _int(self.values["org"])
        if org_id is None:
            org_id = (
                self.complaint.dealer_id if self.complaint else user_dealer_id(user) or user.organization_id
            )
        org = Organization.objects.filter(pk=org_id).first() if org_id else None
        if org is None or (seen is not None and org.pk not in seen):
            raise NotFound(_("No such organisation."))
        return org

    def title(self) -> str:
        if self.complaint is not None:
            return _("Improvement for %(number)s: %(category)s") % {
                "number": self.complaint.number,
                "category": self.complaint.get_category_display() or self.complaint.verbatim[:20],
            }
        if self.signal is not None:
            return _("Quality signal: %(model)s %(fault)s") % {
                "model": self.signal.model_name,
                "fault": self.signal.get_fault_area_display(),
            }
        labels = [
            dict(Category.choices).get(self.values["category"], ""),
            dict(FaultArea.choices).get(self.values["fault_area"], ""),
        ]
        what = " ".join(str(label) for label in labels if label)
        return _("Improvement: %(what)s") % {"what": what} if what else ""

    def input(self, form: ActionForm) -> services.ActionInput:
        data = form.cleaned_data
        return services.ActionInput(
            title=data["title"],
            description=data["description"],
            owner_id=data["owner_id"],
            deadline=data["deadline"],
            priority=data["priority"],
            organization_id=self.organization.pk,
            source=self.source,
            source_chart=self.values["source_chart"],
            month=self.values["month"],
            category=self.values["category"],
            fault_area=self.values["fault_area"],
            quality_signal_id=self.signal.pk if self.signal else None,
            complaint_ids=[self.complaint.pk] if self.complaint else [],
        )


@page()
def action_new(request: HttpRequest, complaint_id: int | None = None) -> HttpResponse:
    """A new action, prefilled from where the manager came from (the query string; the form
    posts its hidden copy back). A complaint, signal or organisation out of scope is a 404
    before the role is asked about."""
    user = actor(request)
    given = {**request.GET.dict(), **{k: v for k, v in request.POST.items() if k in CONTEXT_FIELDS and v}}
    if complaint_id is not None:  # /improvements/complaints/<id>/new/: the complaint page's button
        given = {"complaint": str(complaint_id)}
    origin = _Origin(user, given)
    if not services.may_manage(user):
        raise Forbidden("")
    owners = _people_of(origin.organization)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                action = services.create_action(actor=user, data=origin.input(form))
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Improvement action opened."))
                return redirect("improvements:action", action_id=action.pk)
        status = 422
    else:
        initial = {"title": origin.title()}
        form = ActionForm(initial=initial, owners=owners)
    context = {"form": form, "origin": origin, "hidden": origin.values}
    return render(request, "improvements/new.html", context, status=status)


def _detail_context(
    user: User, action: ImprovementAction, evidence: EvidenceForm | None = None
) -> dict[str, Any]:
    visible = Complaint.objects.visible_to(user).filter(pk__in=action.complaints.values("pk"))
    moves = services.available_moves(actor=user, action=action)
    return {
        "a": action,
        "complaints": list(visible.order_by("-received_at")[:50]),
        "moves": [(m, ACTION_LABELS[m], TRANSITIONS[m]) for m in moves],
        "evidence_form": evidence
        or EvidenceForm(initial={"version": action.version, "evidence_text": action.evidence_text}),
        "may_record": action.status != ActionStatus.CANCELLED
        and (services.may_manage(user) or action.owner_id == user.pk),
        "may_edit": services.may_manage(user) and action.status in OPEN_STATES,
        "overdue": action.status in OPEN_STATES and action.deadline < timezone.localdate(),
        "checked": action.effectiveness != Effectiveness.PENDING,
    }


@page()
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    user = actor(request)
    action = services.get_action(actor=user, action_id=action_id)
    return render(request, "improvements/action.html", _detail_context(user, action))


@page(Capability.MANAGE_IMPROVEMENTS)
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    """Edit with the version read: a stale one is refused (409), never merged."""
    user = actor(request)
    action = services.get_action(actor=user, action_id=action_id)
    owners = _people_of(action.organization)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, owners=owners)
        if form.is_valid():
            data = form.cleaned_data
            changes = services.ActionChanges(
                version=data["version"] or 0,
                title=data["title"],
                description=data["description"],
                owner_id=data["owner_id"],
                deadline=data["deadline"],
                priority=data["priority"],
            )
            try:
                services.update_action(actor=user, action_id=action_id, changes=changes)
            except StaleVersion as exc:
                form.add_error(None, exc.message)
                status = 409
            except DomainError as exc:
                if exc.status == 404:
                    raise
                apply_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Saved."))
                return redirect("improvements:action", action_id=action_id)
        else:
            status = 422
    else:
        form = ActionForm(
            initial={
                "title": action.title,
                "description": action.description,
                "owner_id": action.owner_id,
                "deadline": action.deadline,
                "priority": action.priority,
                "version": action.version,
            },
            owners=owners,
        )
    return render(request, "improvements/edit.html", {"form": form, "a": action}, status=status)


@page()
@require_POST
def action_evidence(request: HttpRequest, action_id: int) -> HttpResponse:
    user = actor(request)
    action = services.get_action(actor=user, action_id=action_id)
    form = EvidenceForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        try:
            if form.cleaned_data["evidence_file"] is not None:  # the complaint attachments' rules
                check_upload(form.cleaned_data["evidence_file"])
            services.record_evidence(
                actor=user,
                action_id=action_id,
                version=form.cleaned_data["version"],
                text=form.cleaned_data["evidence_text"],
                upload=form.cleaned_data["evidence_file"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            apply_errors(form, exc, aliases={"file": "evidence_file"})
            status = exc.status
        else:
            messages.success(request, _("Evidence recorded."))
            return redirect("improvements:action", action_id=action_id)
    action.refresh_from_db()
    return render(request, "improvements/action.html", _detail_context(user, action, form), status=status)


@page()
def evidence_file(request: HttpRequest, action_id: int) -> HttpResponse:
    action = services.get_action(actor=actor(request), action_id=action_id)
    if not action.evidence_file:
        raise Http404()
    response: Any = FileResponse(
        action.evidence_file.open("rb"), as_attachment=True, filename=action.evidence_name
    )
    return response


@page()
@require_POST
def action_move(request: HttpRequest, action_id: int, move: str) -> HttpResponse:
    user = actor(request)
    try:
        services.transition(
            actor=user,
            action_id=action_id,
            move=move,
            version=_int(request.POST.get("version")) or 0,
            reason=request.POST.get("reason", ""),
            evidence_text=request.POST.get("evidence_text", ""),
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        action = services.get_action(actor=user, action_id=action_id)
        context = _detail_context(user, action)
        context["move_error"] = "; ".join(exc.fields.values()) or exc.message
        return render(request, "improvements/action.html", context, status=exc.status)
    messages.success(request, _("Done: %(move)s.") % {"move": ACTION_LABELS.get(move, move)})
    return redirect("improvements:action", action_id=action_id)


# --- the case library ---------------------------------------------------------------------------


@page()
def case_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    q = request.GET.get("q", "")
    error = ""
    cases: Any = []
    drafts = services.may_publish(user)
    try:
        cases = list(selectors.cases_for(actor=user, q=q, drafts=drafts)[:PAGE_SIZE])
    except InvalidInput as exc:
        error = exc.message
    context = {"cases": cases, "q": q, "error": error, "may_publish": drafts}
    return render(request, "improvements/cases.html", context, status=422 if error else 200)


@page()
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = actor(request)
    case = services.get_case(actor=user, case_id=case_id)
    return render(request, "improvements/case.html", {"c": case, "may_publish": services.may_publish(user)})


@page()
def case_new(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """A closed complaint as a case: the texts prefilled, masked when saved."""
    user = actor(request)
    complaint = get_complaint(actor=user, complaint_id=complaint_id)  # 404 out of scope, then 403
    if not services.may_publish(user):
        raise Forbidden("")
    status = 200
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            data = services.CaseInput(complaint_id=complaint_id, **form.cleaned_data)
            try:
                case = services.create_case(actor=user, data=data)
            except DomainError as exc:
                if exc.status == 404:
                    raise
                apply_errors(form, exc)
                status = exc.status
            else:
                if request.POST.get("publish") == "1":
                    services.set_published(actor=user, case_id=case.pk, published=True)
                messages.success(request, _("Case saved."))
                return redirect("improvements:case", case_id=case.pk)
        else:
            status = 422
    else:
        form = CaseForm(
            initial={
                "title": complaint.get_category_display() or complaint.number,
                "case_text": services.default_case_text(complaint),
            }
        )
    closed = complaint.status == "closed"
    return render(
        request,
        "improvements/case_new.html",
        {"form": form, "complaint": complaint, "closed": closed},
        status=status,
    )


def _publish(request: HttpRequest, case_id: int, published: bool) -> HttpResponse:
    services.set_published(actor=actor(request), case_id=case_id, published=published)
    messages.success(request, _("Published.") if published else _("Taken back."))
    return redirect("improvements:case", case_id=case_id)


@page(Capability.PUBLISH_CASES)
@require_POST
def case_publish(request: HttpRequest, case_id: int) -> HttpResponse:
    return _publish(request, case_id, True)


@page(Capability.PUBLISH_CASES)
@require_POST
def case_unpublish(request: HttpRequest, case_id: int) -> HttpResponse:
    return _publish(request, case_id, False)
