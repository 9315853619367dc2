"""Language API: the guard check, the phrase list, the reply library, replies, the override review.

Mounted at ``/api/v1/language``. Offsets in hits are Unicode code points of the text sent.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu.complaints.services import get_complaint
from kesu.core.errors import invalid
from kesu.organizations.permissions import actor

from . import services
from .choices import ReplyChannel, ReplyStatus, Situation
from .matcher import MAX_CHECK_CHARS, GuardResult
from .models import CustomerReply, ForbiddenPhrase, GuardOverride, ReplyTemplate

router = Router(tags=["language"])


# --- the guard ----------------------------------------------------------------------------------


class CheckIn(Schema):
    text: str
    organization_id: int | None = None


class HitOut(Schema):
    phrase: str
    start: int
    end: int
    suggestion: str
    situation: str
    matched: str


class AdvisoryOut(Schema):
    kind: str
    start: int
    end: int
    matched: str
    suggestion: str


class CheckOut(Schema):
    ok: bool
    hits: list[HitOut]
    advisories: list[AdvisoryOut]
    checked_chars: int
    truncated: bool
    max_chars: int


def check_out(result: GuardResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "hits": [
            {
                "phrase": h.phrase,
                "start": h.start,
                "end": h.end,
                "suggestion": h.suggestion,
                "situation": h.situation,
                "matched": h.matched,
            }
            for h in result.hits
        ],
        "advisories": [
            {
                "kind": a.kind,
                "start": a.start,
                "end": a.end,
                "matched": a.matched,
                "suggestion": a.suggestion,
            }
            for a in result.advisories
        ],
        "checked_chars": result.checked_chars,
        "truncated": result.truncated,
        "max_chars": MAX_CHECK_CHARS,
    }


@router.post("/check", response=CheckOut)
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Forbidden phrases (``ok`` is false when any is present) and "您 not 你" advisories.

    Texts longer than ``max_chars`` are checked up to that length (``truncated``)."""
    result = services.check_for(
        actor=actor(request), text=payload.text, organization_id=payload.organization_id
    )
    return check_out(result)


# --- the forbidden-phrase list ------------------------------------------------------------------


class PhraseIn(Schema):
    phrase: str
    alternative: str = ""
    situation: str = Situation.OTHER.value
    pattern: str = ""
    exceptions: str = ""
    is_active: bool = True
    organization_id: int | None = None


class PhrasePatch(Schema):
    phrase: str | None = None
    alternative: str | None = None
    situation: str | None = None
    pattern: str | None = None
    exceptions: str | None = None
    is_active: bool | None = None


class PhraseOut(Schema):
    id: int
    organization_id: int
    phrase: str
    alternative: str
    situation: str
    pattern: str
    exceptions: str
    is_active: bool
    seeded: bool
    updated_at: datetime


def phrase_out(p: ForbiddenPhrase) -> dict[str, Any]:
    return {
        "id": p.pk,
        "organization_id": p.organization_id,
        "phrase": p.phrase,
        "alternative": p.alternative,
        "situation": p.situation,
        "pattern": p.pattern,
        "exceptions": p.exceptions,
        "is_active": p.is_active,
        "seeded": bool(p.seed_key),
        "updated_at": p.updated_at,
    }


class OrgFilter(Schema):
    organization_id: int | None = None


@router.get("/phrases", response=list[PhraseOut])
def list_phrases(request: HttpRequest, filters: Query[OrgFilter]) -> list[dict[str, Any]]:
    rows = services.list_phrases(actor=actor(request), organization_id=filters.organization_id)
    return [phrase_out(p) for p in rows]


@router.post("/phrases", response={201: PhraseOut})
def create_phrase(request: HttpRequest, payload: PhraseIn) -> Reply:
    entry = services.create_phrase(actor=actor(request), **payload.model_dump())
    return Reply(201, phrase_out(entry))


@router.get("/phrases/{phrase_id}", response=PhraseOut)
def get_phrase(request: HttpRequest, phrase_id: int) -> dict[str, Any]:
    return phrase_out(services.get_phrase(actor=actor(request), phrase_id=phrase_id))


@router.patch("/phrases/{phrase_id}", response=PhraseOut)
def patch_phrase(request: HttpRequest, phrase_id: int, payload: PhrasePatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(name for name, value in changes.items() if value is None)
    if nulls:
        raise invalid(nulls[0], _("Give a value or leave the field out."))
    entry = services.update_phrase(actor=actor(request), phrase_id=phrase_id, changes=changes)
    return phrase_out(entry)


@router.delete("/phrases/{phrase_id}", response={204: None})
def delete_phrase(request: HttpRequest, phrase_id: int) -> Reply:
    services.delete_phrase(actor=actor(request), phrase_id=phrase_id)
    return Reply(204, None)


# --- the standard-reply library -----------------------------------------------------------------


class TemplateIn(Schema):
    title: str
    text: str
    situation: str = Situation.OTHER.value
    objection_nature: str = ""
    objection_content: str = ""
    organization_id: int | None = None


class TemplateOut(Schema):
    id: int
    organization_id: int
    title: str
    text: str
    situation: str
    objection_nature: str
    objection_content: str
    status: str
    usage_count: int
    objection_frequency: int
    placeholders: list[str]
    proposed_by_id: int | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str


def template_out(t: ReplyTemplate) -> dict[str, Any]:
    from .services.library import placeholders_in

    return {
        "id": t.pk,
        "organization_id": t.organization_id,
        "title": t.title,
        "text": t.text,
        "situation": t.situation,
        "objection_nature": t.objection_nature,
        "objection_content": t.objection_content,
        "status": t.status,
        "usage_count": t.usage_count,
        "objection_frequency": getattr(t, "objection_frequency", 0),
        "placeholders": placeholders_in(t.text),
        "proposed_by_id": t.proposed_by_id,
        "decided_by_id": t.decided_by_id,
        "decided_at": t.decided_at,
        "decision_note": t.decision_note,
    }


class LibraryFilters(Schema):
    organization_id: int | None = None
    situation: str = ""
    objection_content: str = ""
    status: str = ReplyStatus.APPROVED.value


@router.get("/replies", response=list[TemplateOut])
def list_templates(request: HttpRequest, filters: Query[LibraryFilters]) -> list[dict[str, Any]]:
    """The library, most frequent objection types first (seed 001's ranking), then by use."""
    if filters.status not in ("", *ReplyStatus.values):
        allowed = ", ".join(ReplyStatus.values)
        raise invalid("status", _("One of: %(allowed)s (or empty for all).") % {"allowed": allowed})
    items = services.library(actor=actor(request), **filters.model_dump())
    return [template_out(t) for t in items]


@router.post("/replies", response={201: TemplateOut})
def propose(request: HttpRequest, payload: TemplateIn) -> Reply:
    template = services.propose_template(actor=actor(request), **payload.model_dump())
    return Reply(201, template_out(template))


@router.get("/replies/{template_id}", response=TemplateOut)
def get_template(request: HttpRequest, template_id: int) -> dict[str, Any]:
    return template_out(services.get_template(actor=actor(request), template_id=template_id))


class DecisionIn(Schema):
    note: str = ""


@router.post("/replies/{template_id}/approve", response=TemplateOut)
def approve(request: HttpRequest, template_id: int, payload: DecisionIn) -> dict[str, Any]:
    template = services.decide_template(
        actor=actor(request), template_id=template_id, approve=True, note=payload.note
    )
    return template_out(template)


@router.post("/replies/{template_id}/reject", response=TemplateOut)
def reject(request: HttpRequest, template_id: int, payload: DecisionIn) -> dict[str, Any]:
    template = services.decide_template(
        actor=actor(request), template_id=template_id, approve=False, note=payload.note
    )
    return template_out(template)


class RenderQuery(Schema):
    complaint_id: int


class RenderOut(Schema):
    template_id: int
    text: str
    missing: list[str]


@router.get("/replies/{template_id}/render", response=RenderOut)
def render(request: HttpRequest, template_id: int, query: Query[RenderQuery]) -> dict[str, Any]:
    """The entry filled in from a complaint; placeholders without a value become ××."""
    user = actor(request)
    complaint = get_complaint(actor=user, complaint_id=query.complaint_id)
    template, rendered = services.render_template(actor=user, template_id=template_id, complaint=complaint)
    return {"template_id": template.pk, "text": rendered.text, "missing": rendered.missing}


class ObjectionOut(Schema):
    objection_content: str
    label: str
    count: int


@router.get("/objections", response=list[ObjectionOut])
def objections(request: HttpRequest, filters: Query[OrgFilter]) -> list[dict[str, Any]]:
    """How often each objection type was met in replies, most frequent first."""
    stats = services.objection_ranking(actor=actor(request), organization_id=filters.organization_id)
    return [{"objection_content": s.objection_content, "label": s.label, "count": s.count} for s in stats]


# --- replies on a complaint ---------------------------------------------------------------------


class ReplyIn(Schema):
    text: str
    channel: str = ReplyChannel.PHONE.value
    override_reason: str | None = None
    template_id: int | None = None
    objection_nature: str = ""
    objection_content: str = ""


class ReplyOut(Schema):
    id: int
    complaint_id: int
    text: str
    channel: str
    actor_id: int
    actor: str
    sent_at: datetime
    template_id: int | None
    objection_nature: str
    objection_content: str
    overridden: bool


def reply_out(r: CustomerReply) -> dict[str, Any]:
    return {
        "id": r.pk,
        "complaint_id": r.complaint_id,
        "text": r.text,
        "channel": r.channel,
        "actor_id": r.actor_id,
        "actor": str(r.actor),
        "sent_at": r.sent_at,
        "template_id": r.template_id,
        "objection_nature": r.objection_nature,
        "objection_content": r.objection_content,
        "overridden": r.override_id is not None,
    }


@router.get("/complaints/{complaint_id}/replies", response=list[ReplyOut])
def list_replies(request: HttpRequest, complaint_id: int) -> list[dict[str, Any]]:
    rows = services.list_replies(actor=actor(request), complaint_id=complaint_id)
    return [reply_out(r) for r in rows]


@router.post("/complaints/{complaint_id}/replies", response={201: ReplyOut})
def send(request: HttpRequest, complaint_id: int, payload: ReplyIn) -> Reply:
    """Blocked with 422 ``forbidden_phrase`` until rephrased or sent with ``override_reason``."""
    reply = services.send_reply(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())
    return Reply(201, reply_out(reply))


# --- the monthly review -------------------------------------------------------------------------


class OverrideQuery(Schema):
    month: str = ""
    organization_id: int | None = None


class AgentCountOut(Schema):
    user_id: int
    name: str
    count: int


class OverrideOut(Schema):
    id: int
    user_id: int
    at: datetime
    context: str
    complaint_id: int | None
    phrases: list[str]
    excerpt: str
    reason: str


class OverrideReportOut(Schema):
    organization_id: int
    month: str
    total: int
    by_agent: list[AgentCountOut]
    recent: list[OverrideOut]


def parse_month(value: str) -> date:
    if not value:
        return date.today().replace(day=1)
    try:
        month = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise invalid("month", _("Give the month as YYYY-MM.")) from None
    if not 2000 <= month.year <= 2100:
        raise invalid("month", _("Give a month between 2000 and 2100."))
    return month


def override_out(o: GuardOverride) -> dict[str, Any]:
    return {
        "id": o.pk,
        "user_id": o.user_id,
        "at": o.at,
        "context": o.context,
        "complaint_id": o.complaint_id,
        "phrases": list(o.phrases or []),
        "excerpt": o.excerpt,
        "reason": o.reason,
    }


@router.get("/overrides", response=OverrideReportOut)
def overrides(request: HttpRequest, query: Query[OverrideQuery]) -> dict[str, Any]:
    """Guard overrides per agent in a month (service manager / general manager)."""
    report = services.override_report(
        actor=actor(request), month=parse_month(query.month), organization_id=query.organization_id
    )
    return {
        "organization_id": report.organization_id,
        "month": report.month.strftime("%Y-%m"),
        "total": report.total,
        "by_agent": [{"user_id": c.user_id, "name": c.name, "count": c.count} for c in report.by_agent],
        "recent": [override_out(o) for o in report.recent],
    }
