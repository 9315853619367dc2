"""Care pages: the day's lists by kind with counts, working an item (call outcome or SMS), a
list's bulk SMS with a preview of who is skipped, the letter list (CSV for mail merge) and
campaigns."""

import csv
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.core.errors import DomainError, NotFound
from kesu.organizations.permissions import Capability, actor, page

from . import services
from .choices import CampaignAction, CareKind, CareOutcome

WORK = Capability.EDIT_CUSTOMER


def _day(request: HttpRequest) -> date:
    value = request.GET.get("date") or request.POST.get("date") or ""
    try:
        return parse_date(value) or timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _kind(request: HttpRequest) -> str:
    value = request.GET.get("kind") or request.POST.get("kind") or ""
    return value if value in CareKind.values else ""


@page(WORK)
def care_lists(request: HttpRequest) -> HttpResponse:
    user, day, kind = actor(request), _day(request), _kind(request)
    items = services.day_list(actor=user, kind=kind, day=day)[:200]
    counts = services.counts_by_kind(actor=user, day=day)
    tabs = [(value, label, counts[value]) for value, label in CareKind.choices]
    targets = services.sms_targets(actor=user, kind=kind, day=day) if kind else None
    return render(
        request,
        "care/lists.html",
        {
            "day": day,
            "kind": kind,
            "items": items,
            "tabs": tabs,
            "total": sum(counts.values()),
            "targets": targets,
        },
    )


@page(WORK)
@require_POST
def care_list_sms(request: HttpRequest) -> HttpResponse:
    day, kind = _day(request), _kind(request)
    try:
        result = flows.care.send_list_sms(
            actor=actor(request),
            kind=kind or request.POST.get("kind", ""),
            day=day,
            text=request.POST.get("text", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(sent)d SMS queued; %(skipped)d customers without SMS consent skipped.")
            % {"sent": result.sent, "skipped": result.skipped},
        )
    return redirect(f"{reverse('care:lists')}?kind={kind}&date={day.isoformat()}")


@page(WORK)
def care_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.get_item(actor=actor(request), item_id=item_id)
    return render(request, "care/item.html", {"item": item, "outcomes": CareOutcome.choices})


@page(WORK)
@require_POST
def care_item_outcome(request: HttpRequest, item_id: int) -> HttpResponse:
    data = services.OutcomeInput(
        outcome=request.POST.get("outcome", ""),
        note=request.POST.get("note", ""),
        channel="call",
        opt_out=tuple(request.POST.getlist("opt_out")),
    )
    try:
        flows.care.record_care_outcome(actor=actor(request), item_id=item_id, data=data)
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Outcome recorded."))
    return redirect("care:item", item_id=item_id)


@page(WORK)
@require_POST
def care_item_sms(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        flows.care.send_item_sms(actor=actor(request), item_id=item_id, text=request.POST.get("text", ""))
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("SMS queued."))
    return redirect("care:item", item_id=item_id)


@page(WORK)
def care_letters(request: HttpRequest) -> HttpResponse:
    """The day's list (one kind) as CSV for a mail merge (UTF-8 with BOM: Excel reads it)."""
    user, day, kind = actor(request), _day(request), _kind(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="care-{kind or "all"}-{day.isoformat()}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Plate"), _("VIN"), _("Model"), _("Kind"), _("Due date")])
    for item in services.day_list(actor=user, kind=kind, day=day).iterator():
        writer.writerow(
            [
                item.customer.name,
                item.vehicle.plate,
                item.vehicle.vin,
                item.vehicle.model_name,
                item.get_kind_display(),
                item.due_date.isoformat(),
            ]
        )
    return response


@page(WORK)
def campaigns(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    context: dict[str, Any] = {
        "campaigns": services.visible_campaigns(actor=user)[:100],
        "actions": CampaignAction.choices,
        "may_create": services.may_run_campaigns(user),
        "errors": {},
        "values": {},
    }
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "")
            for k in ("title", "action", "due_date", "model_name", "vin_start", "vin_end")
        }
        try:
            due = parse_date(values["due_date"]) if values["due_date"] else None
        except ValueError:
            due = None
        data = services.CampaignInput(
            title=values["title"],
            action=values["action"],
            due_date=due,
            model_name=values["model_name"],
            vin_start=values["vin_start"],
            vin_end=values["vin_end"],
        )
        try:
            campaign = services.create_campaign(actor=user, data=data)
        except DomainError as error:
            context.update(errors=error.fields or {"title": error.message}, values=values)
            return render(
                request, "care/campaigns.html", context, status=422 if error.status == 422 else error.status
            )
        messages.success(request, _("Campaign created: %(n)d vehicles.") % {"n": campaign.matched})
        return redirect("care:campaigns")
    return render(request, "care/campaigns.html", context)
