"""The points where the rest of kesu calls into insights, and where insights calls out.

``after_intake`` is called once, at the end of ``kesu.complaints.services.create_complaint``,
inside its transaction. ``on_crisis`` is called whenever insights raises a complaint to crisis.
"""

import logging
import time

from django.db import transaction

from kesu.complaints.choices import Severity
from kesu.complaints.models import Complaint
from kesu.organizations.models import User

log = logging.getLogger("kesu.insights")


def after_intake(complaint: Complaint, actor: User) -> None:
    """Analyse the new complaint's verbatim, store the suggestions, link it to related
    complaints (same vehicle, customer, fault area; near-duplicates at other dealers), and raise
    its severity to crisis when the customer's words carry a crisis signal.

    Runs in the intake transaction and stays fast (the analysis reads a capped text; lookups are
    bounded). A failure here is logged and never loses the complaint: registering what the
    customer said comes first.
    """
    from . import recurrence, services

    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = services.analyse_complaint(complaint)
            suggestion = services.store_suggestion(complaint, result)
            recurrence.link_complaint(complaint, suggestion)
            if result.is_crisis and complaint.severity != Severity.CRISIS:
                services.apply_crisis(
                    complaint_id=complaint.pk,
                    actor=actor,
                    analysis=result,
                    expected_version=complaint.version,
                )
                complaint.refresh_from_db()
    except Exception:
        log.exception("insights: intake analysis failed for complaint %s", complaint.pk)
    log.debug("insights: intake hook took %.1f ms", (time.perf_counter() - started) * 1000)


def on_crisis(complaint: Complaint) -> None:
    """Called when insights has just raised ``complaint`` to severity "crisis" (signals found at
    intake, ``services.apply_crisis``, or an agent accepting a crisis suggestion).

    Runs inside the transaction that raised it, after the timeline entry naming the matching
    words was written. This is the place to connect the PR notification (through the outbox, so
    it is sent only if the transaction commits) and the escalation ladder (agent → service
    manager → general manager → region / CRC → PR). For now it only logs.
    """
    log.warning("insights: complaint %s (dealer %s) raised to crisis", complaint.number, complaint.dealer_id)
