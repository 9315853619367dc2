"""The AI assistant on a complaint: a hand-over summary, and a reply draft that has passed the
language guard before the agent sees it.

Composes the assistant (switch, masking, the model call, its log) with the language app (the
approved standard replies, the forbidden-phrase list and the guard). Nothing is sent to the
customer here: the draft only fills the reply box, and the agent sends it through
``flows.replies.send_reply`` like any reply.

Not one transaction, on purpose: the model may take seconds, and holding a transaction (and
its locks) open across an outside call would stall the desk; each exchange is logged on its own.
"""

from dataclasses import dataclass, field

from kesu.assistant import services as assistant_services
from kesu.assistant.choices import ExchangeKind
from kesu.assistant.models import AssistantExchange
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.language import services as language_services
from kesu.language.access import list_owner_id
from kesu.language.matcher import GuardResult
from kesu.language.models import ForbiddenPhrase
from kesu.organizations.models import User

# Asked again at most once when a draft holds a forbidden phrase; then shown with them marked.
MAX_DRAFT_ATTEMPTS = 2


@dataclass(frozen=True)
class Summary:
    complaint: Complaint
    text: str
    exchange: AssistantExchange


@dataclass(frozen=True)
class Draft:
    complaint: Complaint
    text: str
    guard: GuardResult
    exchanges: list[AssistantExchange] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """No forbidden phrase: it may fill the reply box at once."""
        return self.guard.ok

    @property
    def exchange(self) -> AssistantExchange:
        return self.exchanges[-1]


def _usable_complaint(actor: User, complaint_id: int) -> Complaint:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)  # 404 out of scope
    assistant_services.ensure_usable(actor=actor, complaint=complaint)  # 403 role, 409 off
    return complaint


def summarize(*, actor: User, complaint_id: int) -> Summary:
    """A hand-over summary of the complaint's record and timeline (masked before it is sent)."""
    complaint = _usable_complaint(actor, complaint_id)
    mask = assistant_services.redactor_for(complaint)
    answer = assistant_services.ask(
        actor=actor,
        complaint=complaint,
        kind=ExchangeKind.SUMMARY,
        messages=assistant_services.summary_messages(complaint, mask),
        mask=mask,
    )
    return Summary(complaint=complaint, text=answer.text, exchange=answer.exchange)


def _library(actor: User, organization_id: int) -> list[assistant_services.LibraryEntry]:
    entries = language_services.library(actor=actor, organization_id=organization_id)
    return [assistant_services.LibraryEntry(title=t.title, text=t.text) for t in entries]


def _avoid(organization_id: int) -> list[str]:
    rows = ForbiddenPhrase.objects.filter(organization_id=organization_id, is_active=True)
    return list(rows.order_by("pk").values_list("phrase", flat=True)[: assistant_services.MAX_AVOID_PHRASES])


def draft_reply(*, actor: User, complaint_id: int) -> Draft:
    """A reply draft from the approved standard replies and the facts, checked by the guard.

    A draft with forbidden phrases is asked for once more, naming them; if the second still has
    some, it is returned with the guard's findings (``clean`` False) — never offered as clean.
    """
    complaint = _usable_complaint(actor, complaint_id)
    organization_id = list_owner_id(actor) or complaint.dealer_id
    language_services.ensure_profile(organization_id)
    mask = assistant_services.redactor_for(complaint)
    library = _library(actor, organization_id)
    avoid = _avoid(organization_id)
    values = language_services.placeholder_values(complaint=complaint, actor=actor)
    exchanges: list[AssistantExchange] = []
    found: list[str] = []
    text, guard = "", GuardResult()
    for attempt in range(1, MAX_DRAFT_ATTEMPTS + 1):
        try:
            answer = assistant_services.ask(
                actor=actor,
                complaint=complaint,
                kind=ExchangeKind.DRAFT,
                messages=assistant_services.draft_messages(
                    complaint, mask, library=library, avoid=avoid, found=found or None
                ),
                mask=mask,
                attempt=attempt,
            )
        except assistant_services.AssistantUnavailable:
            if not exchanges:
                raise
            break  # the second try failed: the first draft, with its findings marked
        exchanges.append(answer.exchange)
        text = language_services.fill(answer.text, values).text
        guard = language_services.check_text(organization_id=organization_id, text=text)
        found = list(dict.fromkeys(hit.matched for hit in guard.hits))
        assistant_services.record_guard(exchange=answer.exchange, phrases=found)
        if guard.ok:
            break
    return Draft(complaint=complaint, text=text, guard=guard, exchanges=exchanges)
