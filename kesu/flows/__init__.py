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
"""

from .crisis import alert_ladder
from .editing import apply_crisis, decide, reanalyse, update_complaint
from .registration import create_complaint, intake
from .replies import send_reply
from .transitions import transition

__all__ = [
    "alert_ladder",
    "apply_crisis",
    "create_complaint",
    "decide",
    "intake",
    "reanalyse",
    "send_reply",
    "transition",
    "update_complaint",
]
