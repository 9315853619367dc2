"""Use cases: what one user action does across apps, composed in one place.

Pages, the API, tasks and the demo call these; each composes the domain services of the apps it
touches (complaints, customers, sla, insights, language, notifications), which never import one
another's services. One transaction per use case.

- ``registration``: register a complaint (and a new customer) → clocks planned → words analysed →
  written together → a crisis alerted.
- ``editing``: edit a complaint → a crisis alerted, edited words read again, a new assignee told;
  raising a complaint to crisis; an agent's decision on a suggestion.
- ``transitions``: a workflow action → the guard on what is said to the customer → the clocks.
- ``replies``: a reply to the customer → the guard → the first-reply clock.
- ``crisis``: the whole ladder told at once.
- ``assignment``: the assignee told; reassigning and transferring to a department, with reasons.
- ``customers``: two records of one person merged (complaints, vehicles, history moved; logged).
- ``letters``: the written answer (书面答复) → the guard → outbox or handed over → the 7-day
  clock stopped; the dealer's letter template, its words guarded.
- ``dealer_setup``: a dealer's business hours, calendar dates and group robots set from the
  administration pages and API (sla / notifications), each change in the administration log.
- ``assistant``: the optional AI assistant — a masked hand-over summary, a reply draft that
  passes the language guard before the agent sees it (never sent by it).
"""

from . import (
    approvals,  # an approver decides; the approved option proposed, payments opened
    assistant,  # the optional AI assistant: a masked summary, a guarded reply draft
    calls,  # the call log: a call guarded and logged, a call turned into a complaint
    care,  # proactive care (主动电访): outcomes, consent, SMS to a list
    carmaker,  # PR statements on a crisis: guarded, approved by another PR lead
    contact_sheets,  # 联络单: due dates on the dealer's working calendar
    dealer_setup,
    erasure,  # PIPL: a customer's personal data anonymised everywhere, the statistics kept
    followups,  # a follow-up call's outcome: revisit clock, lukewarm → reopen, SMS instead
    resolutions,  # countermeasure options: guard, authority or approval, the customer's answer
)
from .assignment import reassign, transfer
from .crisis import alert_ladder
from .customers import AlreadyMerged, merge_customers
from .editing import apply_crisis, decide, reanalyse, update_complaint
from .letters import save_letter_template, send_written_answer
from .registration import create_complaint, intake, intake_for_caller
from .replies import send_reply
from .transitions import transition

__all__ = [
    "calls",
    "assistant",
    "approvals",
    "dealer_setup",
    "care",
    "followups",
    "resolutions",
    "contact_sheets",
    "carmaker",
    "erasure",
    "AlreadyMerged",
    "alert_ladder",
    "apply_crisis",
    "create_complaint",
    "decide",
    "intake",
    "intake_for_caller",
    "merge_customers",
    "reanalyse",
    "reassign",
    "save_letter_template",
    "send_reply",
    "send_written_answer",
    "transfer",
    "transition",
    "update_complaint",
]
