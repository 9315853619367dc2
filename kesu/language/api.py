"""Language API: the guard check, the phrase list, the reply library, replies, the override review.

Mounted at ``/api/v1/language``. Offsets in hits are Unicode code points of the text sent.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import invalid, one_of
from kesu.core.schemas import schema_of
from kesu.organizations.permissions import actor

from . import services
from .choices import ReplyChannel, ReplyStatus, Situation
from .matcher import MAX_CHECK_CHARS, GuardResult
from .models import CustomerReply, ForbiddenPhrase, GuardOverride, ReplyTemplate
from .services.guard import OverrideCount, OverrideReport
from .services.library import ObjectionStat, placeholders_in

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
    reading: str  # "wording": a listed wording matched; "learned": the learned reading's clause


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

    @staticmethod
    def resolve_max_chars(result: GuardResult) -> int:
        return MAX_CHECK_CHARS


@router.post("/check", response=CheckOut)
def check(request: HttpRequest, payload: CheckIn) -> GuardResult:
    """Forbidden phrases (``ok`` is false when any is present) and "您 not 你" advisories.

    Texts longer than ``max_chars`` are checked up to that length (``truncated``)."""
    return services.check_for(
        actor=actor(request), text=payload.text, organization_id=payload.organization_id
    )


# --- the forbidden-phrase list ------------------------------------------------------------------


class PhraseIn(Schema):
    phrase: str
    alternative: str = ""
    situation: str = Situation.OTHER.value
    pattern: str = ""
    exceptions: str = ""
    variants: str = ""
    polite_before: str = ""
    polite_after: str = ""
    is_active: bool = True
    organization_id: int | None = None


class PhrasePatch(Schema):
    phrase: str | None = None
    alternative: str | None = None
    situation: str | None = None
    pattern: str | None = None
    exceptions: str | None = None
    variants: str | None = None
    polite_before: str | None = None
    polite_after: str | None = None
    is_active: bool | None = None


class PhraseOut(Schema):
    id: int
    organization_id: int
    phrase: str
    alternative: str
    situation: str
    pattern: str
    exceptions: str
    variants: str  # paraphrases, matched like the pattern
    polite_before: str  # wordings that make a hit polite just before it (same sentence)
    polite_after: str  # … or just after it (我帮您查一下)
    is_active: bool
    seeded: bool  # from the shipped seed list
    updated_at: datetime

    @staticmethod
    def resolve_seeded(phrase: ForbiddenPhrase) -> bool:
        return bool(phrase.seed_key)


class LanguageOrgFilter(Schema):
    organization_id: int | None = None


@router.get("/phrases", response=list[PhraseOut])
def list_phrases(request: HttpRequest, filters: Query[LanguageOrgFilter]) -> list[ForbiddenPhrase]:
    return list(services.list_phrases(actor=actor(request), organization_id=filters.organization_id))


@router.post("/phrases", response={201: PhraseOut})
def create_phrase(request: HttpRequest, payload: PhraseIn) -> Reply:
    entry = services.create_phrase(actor=actor(request), **payload.model_dump())
    return Reply(201, entry)


@router.get("/phrases/{phrase_id}", response=PhraseOut)
def get_phrase(request: HttpRequest, phrase_id: int) -> ForbiddenPhrase:
    return services.get_phrase(actor=actor(request), phrase_id=phrase_id)


@router.patch("/phrases/{phrase_id}", response=PhraseOut)
def patch_phrase(request: HttpRequest, phrase_id: int, payload: PhrasePatch) -> ForbiddenPhrase:
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(name for name, value in changes.items() if value is None)
    if nulls:
        raise invalid(nulls[0], _("Give a value or leave the field out."))
    return services.update_phrase(actor=actor(request), phrase_id=phrase_id, changes=changes)


@router.delete("/phrases/{phrase_id}", response={204: None})
def delete_phrase(request: HttpRequest, phrase_id: int) -> Reply:
    services.delete_phrase(actor=actor(request), phrase_id=phrase_id)
    return Reply(204, None)


# --- the standard-reply library -----------------------------------------------------------------


class ReplyTemplateIn(Schema):
    title: str
    text: str
    situation: str = Situation.OTHER.value
    objection_nature: str = ""
    objection_content: str = ""
    organization_id: int | None = None


class ReplyTemplateOut(Schema):
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

    @staticmethod
    def resolve_objection_frequency(template: ReplyTemplate) -> int:
        return getattr(template, "objection_frequency", 0)  # annotated by services.library

    @staticmethod
    def resolve_placeholders(template: ReplyTemplate) -> list[str]:
        return placeholders_in(template.text)


class LibraryFilters(Schema):
    organization_id: int | None = None
    situation: str = ""
    objection_content: str = ""
    status: str = ReplyStatus.APPROVED.value


@router.get("/replies", response=list[ReplyTemplateOut])
def list_templates(request: HttpRequest, filters: Query[LibraryFilters]) -> list[ReplyTemplate]:
    """The library, most frequent objection types first (seed 001's ranking), then by use."""
    if filters.status not in ("", *ReplyStatus.values):
        raise invalid("status", one_of(ReplyStatus.values, or_empty=True))
    return list(services.library(actor=actor(request), **filters.model_dump()))


@router.post("/replies", response={201: ReplyTemplateOut})
def propose(request: HttpRequest, payload: ReplyTemplateIn) -> Reply:
    template = services.propose_template(actor=actor(request), **payload.model_dump())
    return Reply(201, template)


@router.get("/replies/{template_id}", response=ReplyTemplateOut)
def get_template(request: HttpRequest, template_id: int) -> ReplyTemplate:
    return services.get_template(actor=actor(request), template_id=template_id)


class TemplateDecisionIn(Schema):
    note: str = ""


@router.post("/replies/{template_id}/approve", response=ReplyTemplateOut)
def approve(request: HttpRequest, template_id: int, payload: TemplateDecisionIn) -> ReplyTemplate:
    return services.decide_template(
        actor=actor(request), template_id=template_id, approve=True, note=payload.note
    )


@router.post("/replies/{template_id}/reject", response=ReplyTemplateOut)
def reject(request: HttpRequest, template_id: int, payload: TemplateDecisionIn) -> ReplyTemplate:
    return services.decide_template(
        actor=actor(request), template_id=template_id, approve=False, note=payload.note
    )


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


if TYPE_CHECKING:  # mypy reads the dataclass itself (see kesu.core.schemas)
    ObjectionOut: TypeAlias = ObjectionStat
else:  # an objection type as services.objection_ranking counts it
    ObjectionOut = schema_of(ObjectionStat, name="ObjectionOut")


@router.get("/objections", response=list[ObjectionOut])
def objections(request: HttpRequest, filters: Query[LanguageOrgFilter]) -> list[ObjectionStat]:
    """How often each objection type was met in replies, most frequent first."""
    return services.objection_ranking(actor=actor(request), organization_id=filters.organization_id)


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
    overridden: bool  # sent with a forbidden phrase and a reason

    @staticmethod
    def resolve_actor(reply: CustomerReply) -> str:
        return str(reply.actor)

    @staticmethod
    def resolve_overridden(reply: CustomerReply) -> bool:
        return reply.override_id is not None


@router.get("/complaints/{complaint_id}/replies", response=list[ReplyOut])
def list_replies(request: HttpRequest, complaint_id: int) -> list[CustomerReply]:
    return list(services.list_replies(actor=actor(request), complaint_id=complaint_id))


@router.post("/complaints/{complaint_id}/replies", response={201: ReplyOut})
def send(request: HttpRequest, complaint_id: int, payload: ReplyIn) -> Reply:
    """Blocked with 422 ``forbidden_phrase`` until rephrased or sent with ``override_reason``."""
    reply = flows.send_reply(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())
    return Reply(201, reply)


# --- the monthly review -------------------------------------------------------------------------


class OverrideQuery(Schema):
    month: str = ""
    organization_id: int | None = None


if TYPE_CHECKING:  # mypy reads the dataclass itself (see kesu.core.schemas)
    AgentCountOut: TypeAlias = OverrideCount
else:  # an agent's overrides as services.override_report counts them
    AgentCountOut = schema_of(OverrideCount, name="AgentCountOut")


class GuardOverrideOut(Schema):
    id: int
    user_id: int
    at: datetime
    context: str
    complaint_id: int | None
    phrases: list[str]
    excerpt: str
    reason: str

    @staticmethod
    def resolve_phrases(override: GuardOverride) -> list[str]:
        return list(override.phrases or [])


class OverrideReportOut(Schema):  # reads OverrideReport
    organization_id: int
    month: str
    total: int
    by_agent: list[AgentCountOut]
    recent: list[GuardOverrideOut]

    @staticmethod
    def resolve_month(report: OverrideReport) -> str:
        return report.month.strftime("%Y-%m")


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


@router.get("/overrides", response=OverrideReportOut)
def overrides(request: HttpRequest, query: Query[OverrideQuery]) -> OverrideReport:
    """Guard overrides per agent in a month (service manager / general manager)."""
    return services.override_report(
        actor=actor(request), month=parse_month(query.month), organization_id=query.organization_id
    )
