"""The bell over the API: list, unread count, mark read; channel preferences."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from kesu.organizations.permissions import actor

from . import services
from .models import ChannelPreference, Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    complaint_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(Schema):
    unread: int
    results: list[NotificationOut]


class MarkedOut(Schema):
    marked: int


class PreferenceIn(Schema):
    kind: str
    channels: list[str]


class PreferenceOut(Schema):
    kind: str
    channels: list[str]


@router.get("", response=NotificationList)
def list_notifications(request: HttpRequest, unread_only: bool = False) -> dict[str, Any]:
    user = actor(request)
    queryset = Notification.objects.filter(recipient=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return {"unread": services.unread_count(user), "results": list(queryset[:100])}


@router.post("/{notification_id}/read", response=MarkedOut)
def mark_read(request: HttpRequest, notification_id: int) -> dict[str, int]:
    return {"marked": services.mark_read(user=actor(request), notification_id=notification_id)}


@router.post("/read-all", response=MarkedOut)
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_read(user=actor(request))}


@router.put("/preferences", response=PreferenceOut)
def set_preference(request: HttpRequest, payload: PreferenceIn) -> ChannelPreference:
    return services.set_channels(user=actor(request), kind=payload.kind, channels=payload.channels)
