"""The 待审批 page: what waits for the approver (decide with htmx, row by row), the caller's own
requests, and the payment and gift tasks of the dealer; the navigation's count."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.core.errors import DomainError
from kesu.organizations.permissions import Capability, actor, has_capability, page

from . import services
from .choices import Decision, TaskStatus
from .models import ApprovalRequest, PaymentTask

PAGE_ROWS = 50
NAV_CAP = 99


def _waiting(user):  # type: ignore[no-untyped-def]
    return list(services.waiting_for(user).select_related("complaint", "requested_by")[:PAGE_ROWS])


@page()
def inbox(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    settles = has_capability(user, Capability.SETTLE_PAYMENTS)
    tasks = (
        list(
            PaymentTask.objects.visible_to(user)
            .filter(status=TaskStatus.OPEN)
            .select_related("complaint")
            .order_by("created_at", "id")[:PAGE_ROWS]
        )
        if settles
        else []
    )
    return render(
        request,
        "approvals/inbox.html",
        {
            "waiting": _waiting(user),
            "mine": list(services.requested_by(user).select_related("complaint")[:20]),
            "tasks": tasks,
            "settles": settles,
            "now": timezone.now(),
            "decisions": Decision.choices,
        },
    )


def _row(request: HttpRequest, approval: ApprovalRequest, error: str = "") -> HttpResponse:
    return render(
        request,
        "approvals/_row.html",
        {
            "a": approval,
            "now": timezone.now(),
            "error": error,
            "decisions": Decision.choices,
            "decided": not error,
        },
    )


@require_POST
@page()
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = actor(request)
    approval = services.get_request(actor=user, request_id=request_id)  # 404 out of scope
    try:
        approval = flows.approvals.decide(
            actor=user,
            request_id=request_id,
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        if not request.headers.get("HX-Request"):
            messages.error(request, exc.message)
            return redirect("approvals:inbox")
        return _row(request, approval, exc.message)
    if not request.headers.get("HX-Request"):
        messages.success(request, approval.get_status_display())
        return redirect("approvals:inbox")
    approval = services.get_request(actor=user, request_id=request_id)
    return _row(request, approval)


@require_POST
@page(Capability.SETTLE_PAYMENTS)
def paid(request: HttpRequest, task_id: int) -> HttpResponse:
    user = actor(request)
    task = services.get_task(actor=user, task_id=task_id)
    error = ""
    try:
        task = flows.approvals.complete_task(
            actor=user,
            task_id=task_id,
            voucher=request.POST.get("voucher", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        error = exc.message
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("approvals:inbox")
    return render(request, "approvals/_task.html", {"t": task, "error": error, "settles": True})


@page()
def nav(request: HttpRequest) -> HttpResponse:
    """htmx: the number of requests waiting for the caller (capped), for the navigation."""
    user = actor(request)
    count = services.waiting_for(user)[: NAV_CAP + 1].count() if services.approver_key(user) else 0
    return render(request, "approvals/_nav.html", {"count": count, "cap": NAV_CAP})
