"""标准应答语 — the standard-reply library (seed 001: write down the objections met every day,
count them, put the most frequent first, agree the wording together, learn it by heart).

Agents propose entries; the service manager or general manager approves them. Every reply sent
from a complaint may name the objection it answered; those counts rank the library.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
from kesu.core.errors import Forbidden, IllegalTransition, NotFound, one_of
from kesu.core.validators import too_long
from kesu.language.access import can_manage, can_propose
from kesu.language.choices import ObjectionContent, ObjectionNature, ReplyStatus, Situation
from kesu.language.models import CustomerReply, ReplyTemplate
from kesu.organizations.models import User

from .common import clean_text, invalid, resolve_organization
from .guard import check_text, describe_hits, ensure_profile

PLACEHOLDERS = ("customer_name", "dealer", "agent_number", "promised_time")
UNFILLED = "××"  # the seeds' own mark for "fill in here"
MAX_TITLE = 80
MAX_TEXT = 1000
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders_in(text: str) -> list[str]:
    return list(dict.fromkeys(_PLACEHOLDER.findall(text)))


@dataclass(frozen=True)
class RenderedReply:
    text: str
    missing: list[str]


def placeholder_values(*, complaint: Complaint, actor: User) -> dict[str, str]:
    """What each placeholder means for this complaint and this agent ('' when unknown)."""
    promised = complaint.promised_plan_at
    return {
        "customer_name": complaint.customer.name if complaint.customer_id else "",
        "dealer": complaint.dealer.name if complaint.dealer_id else "",
        "agent_number": actor.agent_number or "",
        "promised_time": (
            timezone.localtime(promised).strftime("%m月%d日 %H:%M").lstrip("0") if promised else ""
        ),
    }


def fill(text: str, values: dict[str, str]) -> RenderedReply:
    """Replace known placeholders; unknown values become ×× and are listed as missing."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(name, "")
        if not value:
            missing.append(name)
            return UNFILLED
        return value

    return RenderedReply(_PLACEHOLDER.sub(replace, text), list(dict.fromkeys(missing)))


def objection_counts(organization_id: int) -> dict[str, int]:
    """How often each objection type was met in this organisation's replies."""
    rows = (
        CustomerReply.objects.filter(organization_id=organization_id)
        .exclude(objection_content="")
        .values("objection_content")
        .annotate(n=Count("pk"))
    )
    return {row["objection_content"]: row["n"] for row in rows}


@dataclass(frozen=True)
class ObjectionStat:
    objection_content: str
    label: str
    count: int


def objection_ranking(*, actor: User, organization_id: int | None = None) -> list[ObjectionStat]:
    """Objection types by frequency (every type listed, the most met first)."""
    org_id = resolve_organization(actor, organization_id)
    counts = objection_counts(org_id)
    stats = [
        ObjectionStat(value, str(label), counts.get(value, 0)) for value, label in ObjectionContent.choices
    ]
    return sorted(stats, key=lambda s: -s.count)


def library(
    *,
    actor: User,
    organization_id: int | None = None,
    situation: str = "",
    objection_content: str = "",
    status: str = ReplyStatus.APPROVED,
) -> list[ReplyTemplate]:
    """The library ranked by how often its objection type is met, then by use.

    Proposed and rejected entries are listed for managers, and for their proposer.
    """
    org_id = resolve_organization(actor, organization_id)
    ensure_profile(org_id)
    rows: QuerySet[ReplyTemplate] = ReplyTemplate.objects.filter(organization_id=org_id)
    if status:
        rows = rows.filter(status=status)
    if not can_manage(actor, org_id):  # others see the approved ones and their own proposals
        rows = rows.filter(Q(status=ReplyStatus.APPROVED) | Q(proposed_by=actor))
    if situation:
        rows = rows.filter(situation=situation)
    if objection_content:
        rows = rows.filter(objection_content=objection_content)
    counts = objection_counts(org_id)
    items = list(rows.select_related("proposed_by", "decided_by"))
    for item in items:
        item.objection_frequency = counts.get(item.objection_content, 0)  # type: ignore[attr-defined]
    items.sort(
        key=lambda t: (
            -t.objection_frequency,  # type: ignore[attr-defined]
            -t.usage_count,
            t.situation,
            t.title,
        )
    )
    return items


def get_template(*, actor: User, template_id: int) -> ReplyTemplate:
    template = ReplyTemplate.objects.visible_to(actor).filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("No such standard reply."))
    if template.status != ReplyStatus.APPROVED and not (
        can_manage(actor, template.organization_id) or template.proposed_by_id == actor.pk
    ):
        raise NotFound(_("No such standard reply."))
    return template  # type: ignore[no-any-return]


def _validate(values: dict[str, Any], organization_id: int) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = {name: clean_text(value) if isinstance(value, str) else value for name, value in values.items()}
    if not cleaned["title"]:
        errors["title"] = _("Give the reply a short title.")
    elif len(cleaned["title"]) > MAX_TITLE:
        errors["title"] = too_long(MAX_TITLE)
    text = cleaned["text"]
    if not text:
        errors["text"] = _("Write the reply.")
    elif len(text) > MAX_TEXT:
        errors["text"] = too_long(MAX_TEXT)
    else:
        unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
        if unknown:
            errors["text"] = _("Unknown placeholder %(names)s; use %(allowed)s.") % {
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "allowed": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
            }
        else:
            result = check_text(organization_id=organization_id, text=text)
            if not result.ok:
                errors["text"] = describe_hits(result)
    if cleaned["situation"] not in Situation.values:
        errors["situation"] = one_of(Situation.values)
    if cleaned["objection_nature"] not in ("", *ObjectionNature.values):
        errors["objection_nature"] = one_of(ObjectionNature.values)
    if cleaned["objection_content"] not in ("", *ObjectionContent.values):
        errors["objection_content"] = one_of(ObjectionContent.values)
    if errors:
        raise invalid(errors)
    return cleaned


def propose_template(
    *,
    actor: User,
    title: str,
    text: str,
    situation: str = Situation.OTHER,
    objection_nature: str = "",
    objection_content: str = "",
    organization_id: int | None = None,
) -> ReplyTemplate:
    """An agent's proposal waits for a manager; a manager's own entry is approved at once."""
    org_id = resolve_organization(actor, organization_id)
    if not can_propose(actor) and not can_manage(actor, org_id):
        raise Forbidden(_("Your role cannot propose standard replies."))
    ensure_profile(org_id)
    cleaned = _validate(
        {
            "title": title,
            "text": text,
            "situation": situation,
            "objection_nature": objection_nature,
            "objection_content": objection_content,
        },
        org_id,
    )
    approved = can_manage(actor, org_id)
    now = timezone.now()
    return ReplyTemplate.objects.create(  # type: ignore[no-any-return]
        organization_id=org_id,
        proposed_by=actor,
        status=ReplyStatus.APPROVED if approved else ReplyStatus.PROPOSED,
        decided_by=actor if approved else None,
        decided_at=now if approved else None,
        **cleaned,
    )


@transaction.atomic
def decide_template(*, actor: User, template_id: int, approve: bool, note: str = "") -> ReplyTemplate:
    template = get_template(actor=actor, template_id=template_id)
    if not can_manage(actor, template.organization_id):
        raise Forbidden(_("Only the service manager or general manager approves standard replies."))
    template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != ReplyStatus.PROPOSED:
        raise IllegalTransition(_("This reply has already been decided."))
    note = clean_text(note)
    if not approve and not note:
        raise invalid({"note": _("Say why, so the proposer can improve it.")})
    if len(note) > 300:
        raise invalid({"note": too_long(300)})
    if approve:
        result = check_text(organization_id=template.organization_id, text=template.text)
        if not result.ok:
            raise invalid({"text": describe_hits(result)})
    template.status = ReplyStatus.APPROVED if approve else ReplyStatus.REJECTED
    template.decided_by = actor
    template.decided_at = timezone.now()
    template.decision_note = note
    template.save()
    return template


def render_template(
    *, actor: User, template_id: int, complaint: Complaint
) -> tuple[ReplyTemplate, RenderedReply]:
    """A library entry filled in for this complaint (placeholders from its record)."""
    template = get_template(actor=actor, template_id=template_id)
    if template.status != ReplyStatus.APPROVED:
        raise NotFound(_("No such standard reply."))
    values = placeholder_values(complaint=complaint, actor=actor)
    return template, fill(template.text, values)
