"""The AI assistant's rules: who may use it, whether a dealer switched it on, what is sent (masked)
and how every exchange is logged.

The model never sees a phone number, plate, VIN or name: :func:`redactor_for` masks them in every
text of the request, and the answer is turned back locally. Nothing here sends anything to the
customer: a summary is shown, a draft only fills the reply box (``kesu/flows/assistant.py`` runs
the language guard on it first).
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from kesu.core.privacy import unmasked
from kesu.core.redact import Redactor
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import user_dealer_id

from . import client as chat
from .choices import ExchangeKind, ExchangeStatus
from .models import AssistantExchange, AssistantSetting
from .selectors import is_enabled

MAX_TIMELINE_ENTRIES = 60
MAX_FIELD_CHARS = 1500
MAX_NOTE_CHARS = 300
MAX_LIBRARY_ENTRIES = 8
MAX_AVOID_PHRASES = 40


class AssistantOff(DomainError):
    status = 409
    code = "assistant_off"


class AssistantUnavailable(DomainError):
    """The model did not answer (503), or not in time (504): the page carries on without it."""

    status = 503
    code = "assistant_unavailable"


class AssistantTimeout(AssistantUnavailable):
    status = 504
    code = "assistant_timeout"


# --- the switch -------------------------------------------------------------------------------------


def settings_org(*, actor: User, organization_id: int | None) -> Organization:
    """The dealer whose switch ``actor`` reads or sets: a manager's own dealer; any dealer for an
    administrator (who names it). Others: 403; another dealer's id: 404."""
    if not has_capability(actor, Capability.CONFIGURE_ASSISTANT):
        raise Forbidden(_("Only the dealer's managers switch the AI assistant on or off."))
    own = None if actor.is_kesu_admin else user_dealer_id(actor)
    if not actor.is_kesu_admin and own is None:
        raise Forbidden(_("Only the dealer's managers switch the AI assistant on or off."))
    wanted = organization_id if organization_id is not None else own
    if wanted is None:
        message = _("Choose the dealer.")
        raise InvalidInput(message, fields={"organization_id": message})
    if own is not None and wanted != own:
        raise NotFound(_("No such dealer."))
    organization = Organization.objects.filter(pk=wanted, kind=OrgKind.DEALER).first()
    if organization is None:
        raise NotFound(_("No such dealer."))
    return organization


@dataclass(frozen=True)
class SettingView:
    organization: Organization
    enabled: bool  # the dealer's switch
    configured: bool  # KESU_LLM_BASE_URL is set
    model: str

    @property
    def active(self) -> bool:
        return self.enabled and self.configured


def get_setting(*, actor: User, organization_id: int | None = None) -> SettingView:
    organization = settings_org(actor=actor, organization_id=organization_id)
    row = AssistantSetting.objects.filter(organization=organization).first()
    return SettingView(
        organization=organization,
        enabled=bool(row and row.enabled),
        configured=chat.configured(),
        model=chat.client_from_settings().model,
    )


@transaction.atomic
def set_enabled(*, actor: User, enabled: bool, organization_id: int | None = None) -> SettingView:
    """Switch the assistant on or off for a dealer (its data is sent out only while on)."""
    organization = settings_org(actor=actor, organization_id=organization_id)
    AssistantSetting.objects.update_or_create(
        organization=organization, defaults={"enabled": enabled, "updated_by": actor}
    )
    return get_setting(actor=actor, organization_id=organization.pk)


def may_use(*, actor: User, complaint: Complaint) -> bool:
    """Show the assistant on this complaint? (The caller has read it in the actor's scope.)"""
    return has_capability(actor, Capability.USE_ASSISTANT) and is_enabled(complaint.dealer_id)


def may_switch_on(*, actor: User, complaint: Complaint) -> bool:
    """Is ``actor`` a manager who could switch it on for this complaint's dealer (an endpoint is
    configured, the dealer has it off)?"""
    if not chat.configured() or is_enabled(complaint.dealer_id):
        return False
    if not has_capability(actor, Capability.CONFIGURE_ASSISTANT):
        return False
    return actor.is_kesu_admin or user_dealer_id(actor) == complaint.dealer_id


def ensure_usable(*, actor: User, complaint: Complaint) -> None:
    """403 for a role that does not work complaints; 409 while the dealer has it off."""
    if not has_capability(actor, Capability.USE_ASSISTANT):
        raise Forbidden(_("Your role cannot use the AI assistant."))
    if not is_enabled(complaint.dealer_id):
        raise AssistantOff(_("The AI assistant is off for this dealer."))


# --- what is sent -----------------------------------------------------------------------------------


def redactor_for(complaint: Complaint) -> Redactor:
    """Masks this complaint's customer and vehicle, the people on its timeline and everybody of
    its dealer (a note may name a colleague who never touched the complaint)."""
    customer = complaint.customer
    vehicle = complaint.vehicle
    staff_ids: set[int | None] = set(
        TimelineEntry.objects.filter(complaint=complaint).values_list("actor_id", flat=True)
    )
    staff_ids |= {complaint.received_by_id, complaint.assignee_id}
    dealer_people = Q(organization_id=complaint.dealer_id) | Q(organization__parent_id=complaint.dealer_id)
    staff = User.objects.filter(Q(pk__in={i for i in staff_ids if i}) | dealer_people)
    other_names = [
        name
        for names in staff.values_list("display_name", "first_name", "last_name", "username")
        for name in (names[0], f"{names[2]}{names[1]}", names[3])
        if name
    ]
    with unmasked():  # the Redactor must know the stored values to find them in the text
        values = [v for v in (customer.mobile if customer else "", vehicle.plate if vehicle else "") if v]
        if vehicle and vehicle.vin:
            values.append(vehicle.vin)
        names = [customer.name] if customer and customer.name else []
    return Redactor(customer_names=names, other_names=other_names, values=values)


def _clip(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def facts_text(complaint: Complaint, mask: Redactor) -> str:
    """The complaint's record as the model reads it (Chinese labels, personal data masked)."""
    with translation.override("zh-hans"):
        vehicle = complaint.vehicle
        lines = [
            f"投诉编号: {complaint.number}",
            f"受理时间: {_local(complaint.received_at)}; 渠道: {complaint.get_channel_display()}",
            f"状态: {complaint.get_status_display()}; 严重度: {complaint.get_severity_display()}",
            f"类别: {complaint.get_category_display() or '未分类'}",
            f"性质: {complaint.get_nature_display() or '未定'}",
            f"客户情绪: {complaint.get_emotion_display() or '未记录'}",
            f"客户: 【客户】{' (VIP)' if complaint.customer and complaint.customer.is_vip else ''}",
        ]
        if vehicle:
            mileage = f"{vehicle.mileage_km} km" if vehicle.mileage_km is not None else "未知"
            lines.append(f"车辆: {vehicle.model_name or '未知车型'}; 里程: {mileage}")
        lines.append("客户原话: " + _clip(complaint.verbatim, MAX_FIELD_CHARS))
        if complaint.facts:
            lines.append("事实: " + _clip(complaint.facts, MAX_FIELD_CHARS))
        demands = complaint.demands if isinstance(complaint.demands, list) else []
        if demands:
            lines.append("客户诉求: " + "、".join(str(d) for d in demands))
        if complaint.promised_plan_at:
            lines.append(f"已向客户承诺的方案时间: {_local(complaint.promised_plan_at)}")
        if complaint.root_cause:
            lines.append("原因: " + _clip(complaint.root_cause, MAX_FIELD_CHARS))
        if complaint.plan:
            lines.append("对策: " + _clip(complaint.plan, MAX_FIELD_CHARS))
        if complaint.refusal_reason:
            lines.append("不予受理理由: " + _clip(complaint.refusal_reason, MAX_FIELD_CHARS))
    return mask("\n".join(lines))


def timeline_text(complaint: Complaint, mask: Redactor, *, limit: int = MAX_TIMELINE_ENTRIES) -> str:
    """The timeline, oldest first (the latest ``limit`` entries): time, role, event, note."""
    entries = list(
        TimelineEntry.objects.filter(complaint=complaint)
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
    lines = []
    with translation.override("zh-hans"):
        for entry in reversed(entries):
            who = entry.actor.get_role_display() if entry.actor else "系统"
            what = entry.get_kind_display()
            if entry.from_status or entry.to_status:
                what += (
                    f" ({entry.get_from_status_display() or '—'} → {entry.get_to_status_display() or '—'})"
                )
            changed = (
                ", ".join(sorted(str(k) for k in entry.changes)) if isinstance(entry.changes, dict) else ""
            )
            line = f"- {_local(entry.at)} {who}: {what}"
            if changed:
                line += f"; 修改: {changed}"
            if entry.note:
                line += "; " + _clip(entry.note, MAX_NOTE_CHARS)
            lines.append(line)
    return mask("\n".join(lines) or "(无记录)")


MASK_RULE = "【】中的内容是已遮蔽的个人信息(客户、人员、电话、车牌、VIN)，原样保留，不要猜测或补全。"


def summary_messages(complaint: Complaint, mask: Redactor) -> list[dict[str, str]]:
    system = (
        "你是汽车4S店客户关系部的助手。为交接班写一份投诉处理摘要，供接手的同事快速了解情况。"
        "只根据给出的记录，不要编造。用简体中文，200字以内，分四点：客户诉求；已做的处理；"
        "未完成的事项与承诺的时限；风险与下一步建议。" + MASK_RULE
    )
    user = f"投诉记录:\n{facts_text(complaint, mask)}\n\n处理时间线:\n{timeline_text(complaint, mask)}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@dataclass(frozen=True)
class LibraryEntry:
    title: str
    text: str


def draft_messages(
    complaint: Complaint,
    mask: Redactor,
    *,
    library: list[LibraryEntry],
    avoid: list[str],
    found: list[str] | None = None,
) -> list[dict[str, str]]:
    """A reply draft from the approved standard replies and the facts; ``found``: the forbidden
    phrases the previous draft contained (asked again without them)."""
    system = (
        "你是汽车4S店的客服写作助手，为客服专员起草一段对客户说的回复(电话或短信)，由专员核对后再发送。"
        "称呼客户用“您”，语气诚恳、礼貌、具体；优先采用给出的标准应答语的说法；"
        "不得承诺记录中没有的赔偿、金额或时间；不知道的事说会查明后答复。"
        "标准应答语中的 {customer_name} {dealer} {agent_number} {promised_time} 等花括号占位符原样保留。"
        + MASK_RULE
        + "只输出回复正文，不要解释。"
    )
    if avoid:
        system += "绝不使用以下服务忌语及其变体：" + "；".join(avoid[:MAX_AVOID_PHRASES]) + "。"
    parts = [
        f"投诉记录:\n{facts_text(complaint, mask)}",
        f"最近的处理:\n{timeline_text(complaint, mask, limit=12)}",
    ]
    if library:
        entries = "\n".join(f"- {e.title}: {mask(e.text)}" for e in library[:MAX_LIBRARY_ENTRIES])
        parts.append(f"标准应答语(已批准):\n{entries}")
    if found:
        parts.append("上一稿含有服务忌语：" + "；".join(found) + "。请重写，完全避免这些说法。")
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n\n".join(parts)}]


# --- asking and logging -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    exchange: AssistantExchange
    text: str  # the answer with the masked values put back (for the agent's eyes only)


def ask(
    *,
    actor: User,
    complaint: Complaint,
    kind: ExchangeKind,
    messages: list[dict[str, str]],
    mask: Redactor,
    attempt: int = 1,
    client: chat.ChatClient | None = None,
) -> Answer:
    """Send the (masked) messages, log the exchange whatever happens, restore the answer.

    Runs outside any transaction on purpose: the model may take seconds, and no row should stay
    locked meanwhile; the log row is written on its own (kept even when the caller fails later).
    """
    model: chat.ChatClient = client or chat.client_from_settings()
    body = model.request_body(messages)
    try:
        answer = model.complete(body)
    except chat.ChatFailure as failure:
        AssistantExchange.objects.create(
            organization_id=complaint.dealer_id,
            complaint=complaint,
            user=actor,
            kind=kind,
            attempt=attempt,
            status=ExchangeStatus.TIMEOUT if failure.timeout else ExchangeStatus.ERROR,
            model=model.model,
            request=body,
            error=failure.message[:300],
            latency_ms=failure.latency_ms,
        )
        if failure.timeout:
            raise AssistantTimeout(_("The AI assistant did not answer in time.")) from failure
        raise AssistantUnavailable(_("The AI assistant is not available right now.")) from failure
    exchange = AssistantExchange.objects.create(
        organization_id=complaint.dealer_id,
        complaint=complaint,
        user=actor,
        kind=kind,
        attempt=attempt,
        status=ExchangeStatus.OK,
        model=model.model,
        request=body,
        response=answer.text,
        latency_ms=answer.latency_ms,
    )
    return Answer(exchange=exchange, text=mask.restore(answer.text))


def record_guard(*, exchange: AssistantExchange, phrases: list[str]) -> None:
    """Note on the log the forbidden phrases the guard found in a draft."""
    if phrases:
        AssistantExchange.objects.filter(pk=exchange.pk).update(
            status=ExchangeStatus.FLAGGED, guard_phrases=phrases
        )
        exchange.status = ExchangeStatus.FLAGGED
        exchange.guard_phrases = phrases
