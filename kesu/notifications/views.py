"""The bell: my notifications, mark read, channel preferences; the outbox for admins."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.core.errors import Forbidden, InvalidInput
from kesu.organizations.permissions import actor, page

from . import services
from .choices import Channel, DeliveryStatus, Kind
from .models import Delivery, Notification
from .outbox import channels_for


@page()
def inbox(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if request.method == "POST":
        for kind in Kind.values:
            chosen: list[str] = [c for c in (Channel.EMAIL, Channel.SMS) if request.POST.get(f"{kind}:{c}")]
            try:
                services.set_channels(user=user, kind=kind, channels=chosen)
            except InvalidInput as exc:
                messages.error(request, exc.message)
        messages.success(request, _("Preferences saved."))
        return redirect("notifications:inbox")
    rows = [(kind, label, channels_for(user, kind)) for kind, label in Kind.choices]
    return render(
        request,
        "notifications/inbox.html",
        {
            "items": Notification.objects.filter(recipient=user).select_related("complaint")[:100],
            "preferences": rows,
            "channels": [(Channel.EMAIL, Channel.EMAIL.label), (Channel.SMS, Channel.SMS.label)],
        },
    )


@page()
def bell(request: HttpRequest) -> HttpResponse:
    """htmx: the unread count, polled by the header."""
    return render(
        request, "notifications/_bell.html", {"unread_notifications": services.unread_count(actor(request))}
    )


@require_POST
@page()
def mark_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    services.mark_read(user=actor(request), notification_id=notification_id)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""  # only back to a page of this site
    return redirect(target or "notifications:inbox")


@page()
def outbox(request: HttpRequest) -> HttpResponse:
    if not actor(request).is_kesu_admin:
        raise Forbidden("")
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("delivery") if i.isdigit()]
        action = request.POST.get("action", "retry")
        if action in ("resend", "drop"):
            resend = action == "resend"
            count = services.settle_uncertain(actor=actor(request), delivery_ids=ids, resend=resend)
            if resend:
                messages.success(request, _("%(n)d deliveries will be sent once more.") % {"n": count})
            else:
                messages.success(request, _("%(n)d deliveries dropped.") % {"n": count})
        else:
            count = services.retry_dead(delivery_ids=ids or None)
            messages.success(request, _("%(n)d deliveries queued again.") % {"n": count})
        return redirect("notifications:outbox")
    return render(
        request,
        "notifications/outbox.html",
        {
            "dead": Delivery.objects.filter(status=DeliveryStatus.DEAD).order_by("-created_at")[:200],
            "uncertain": Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN).order_by("-claimed_at")[
                :200
            ],
            "sending": Delivery.objects.filter(status=DeliveryStatus.SENDING).count(),
            "pending": Delivery.objects.filter(status=DeliveryStatus.PENDING).count(),
            "sent": Delivery.objects.filter(status=DeliveryStatus.SENT).count(),
        },
    )
