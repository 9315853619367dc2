"""The optional AI assistant over the API (mounted at ``/api/v1/assistant``).

``POST /complaints/{id}/summary`` and ``/draft`` answer 409 ``assistant_off`` until the dealer
switched it on (and ``KESU_LLM_BASE_URL`` is set), 503 ``assistant_unavailable`` / 504
``assistant_timeout`` when the model fails; a draft is never sent — it comes back with the
guard's findings for the client to show.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from kesu import flows
from kesu.core.errors import invalid
from kesu.organizations.permissions import actor

from . import selectors, services

router = Router(tags=["assistant"])


class SettingOut(Schema):
    organization_id: int
    organization: str
    enabled: bool
    configured: bool  # KESU_LLM_BASE_URL is set
    active: bool  # both: the dealer's complaints may be sent (masked)
    model: str


class SettingIn(Schema):
    enabled: bool
    organization_id: int | None = None


class SettingQuery(Schema):
    organization_id: int | None = None


class SummaryOut(Schema):
    complaint_id: int
    exchange_id: int
    text: str


class GuardHitOut(Schema):
    phrase: str
    matched: str
    start: int
    end: int
    suggestion: str


class DraftOut(Schema):
    complaint_id: int
    exchange_ids: list[int]
    text: str
    clean: bool  # False: forbidden phrases remain (listed in hits); rephrase before sending
    hits: list[GuardHitOut]


class ExchangeOut(Schema):
    id: int
    organization_id: int
    complaint_id: int
    complaint_number: str
    user_id: int
    user: str
    kind: str
    attempt: int
    status: str
    model: str
    request: dict[str, Any]
    response: str
    error: str
    guard_phrases: list[str]
    latency_ms: int
    at: datetime


class ExchangeQuery(Schema):
    complaint_id: int | None = None
    organization_id: int | None = None
    page: int = 1
    page_size: int = 50


class ExchangePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ExchangeOut]


def _setting(view: services.SettingView) -> dict[str, Any]:
    return {
        "organization_id": view.organization.pk,
        "organization": view.organization.name,
        "enabled": view.enabled,
        "configured": view.configured,
        "active": view.active,
        "model": view.model,
    }


@router.get("/settings", response=SettingOut)
def get_setting(request: HttpRequest, query: Query[SettingQuery]) -> dict[str, Any]:
    """The dealer's switch (a manager's own dealer; administrators name ``organization_id``)."""
    return _setting(services.get_setting(actor=actor(request), organization_id=query.organization_id))


@router.patch("/settings", response=SettingOut)
def put_setting(request: HttpRequest, payload: SettingIn) -> dict[str, Any]:
    """Switch the assistant on or off for the dealer (off by default)."""
    view = services.set_enabled(
        actor=actor(request), enabled=payload.enabled, organization_id=payload.organization_id
    )
    return _setting(view)


@router.post("/complaints/{complaint_id}/summary", response=SummaryOut)
def summary(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    """A hand-over summary of the complaint (personal data masked before it is sent)."""
    result = flows.assistant.summarize(actor=actor(request), complaint_id=complaint_id)
    return {"complaint_id": complaint_id, "exchange_id": result.exchange.pk, "text": result.text}


@router.post("/complaints/{complaint_id}/draft", response=DraftOut)
def draft(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    """A reply draft from the standard replies and the facts, checked by the language guard.
    Nothing is sent: post the (edited) text to ``/language/complaints/{id}/replies``."""
    result = flows.assistant.draft_reply(actor=actor(request), complaint_id=complaint_id)
    return {
        "complaint_id": complaint_id,
        "exchange_ids": [e.pk for e in result.exchanges],
        "text": result.text,
        "clean": result.clean,
        "hits": [
            {
                "phrase": h.phrase,
                "matched": h.matched,
                "start": h.start,
                "end": h.end,
                "suggestion": h.suggestion,
            }
            for h in result.guard.hits
        ],
    }


def _exchange(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "organization_id": row.organization_id,
        "complaint_id": row.complaint_id,
        "complaint_number": row.complaint.number,
        "user_id": row.user_id,
        "user": str(row.user),
        "kind": row.kind,
        "attempt": row.attempt,
        "status": row.status,
        "model": row.model,
        "request": row.request,
        "response": row.response,
        "error": row.error,
        "guard_phrases": row.guard_phrases,
        "latency_ms": row.latency_ms,
        "at": row.at,
    }


@router.get("/exchanges", response=ExchangePage)
def exchanges(request: HttpRequest, query: Query[ExchangeQuery]) -> dict[str, Any]:
    """What was sent (masked) and returned, newest first: the dealer's managers, administrators."""
    if not 1 <= query.page_size <= 200:
        raise invalid("page_size", _("Between 1 and 200."))
    if query.page < 1:
        raise invalid("page", _("Pages start at 1."))
    rows = selectors.exchanges_for(
        actor=actor(request), complaint_id=query.complaint_id, organization_id=query.organization_id
    )
    start = (query.page - 1) * query.page_size
    return {
        "count": rows.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": [_exchange(r) for r in rows[start : start + query.page_size]],
    }
