"""The 处理协议 (agreement) as PDF, from the option chosen and proposed to the customer.

Drawn by WeasyPrint with the Noto CJK fonts installed on the machine, like the documents app's
registration form (its stylesheet, ``documents/_pdf_style.html``, is shared by template); nothing
is fetched while rendering — the customer's signature is embedded as a ``data:`` URL. The text
is Chinese whatever the UI language: it is signed by a Chinese customer.
"""

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kesu.core.errors import InvalidInput
from kesu.core.pdf import render_pdf
from kesu.organizations.models import User

from ..choices import CHOSEN_OPTION_STATES, CustomerAnswer
from ..models import Option, OptionAnswer
from .options import get_option, label, remedy_label, yuan


def _cn_date(moment: Any) -> str:
    day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
    return f"{day.year}年{day.month}月{day.day}日"


def agreement_context(option: Option) -> dict[str, Any]:
    complaint = option.complaint
    agreed: OptionAnswer | None = OptionAnswer.objects.filter(
        option=option, answer=CustomerAnswer.AGREED
    ).first()
    signature = ""
    if agreed is not None and agreed.signature_png:
        signature = "data:image/png;base64," + base64.b64encode(bytes(agreed.signature_png)).decode("ascii")
    vehicle = complaint.vehicle
    return {
        "c": complaint,
        "o": option,
        "label": label(option),
        "vehicle": vehicle,
        "lines": [
            {"n": i, "remedy": remedy_label(line.remedy), "amount": yuan(line.amount), "note": line.note}
            for i, line in enumerate(option.lines.all(), start=1)
        ],
        "total": yuan(option.total),
        "done_by": _cn_date(option.done_by) if option.done_by else "",
        "agreed": agreed,
        "agreed_on": _cn_date(agreed.answered_at) if agreed else "",
        "signature": signature,
        "representative": option.proposed_by or option.created_by,
        "printed_on": _cn_date(timezone.now()),
    }


def agreement_pdf(*, actor: User, complaint_id: int, option_id: int) -> bytes:
    """处理协议 of the option chosen and proposed (404 outside the actor's scope; 422 naming
    ``option_id`` for an option that was never put to the customer)."""
    option = get_option(actor=actor, complaint_id=complaint_id, option_id=option_id)
    if option.state not in CHOSEN_OPTION_STATES:
        message = _("%(option)s was not proposed to the customer: choose and propose an option first.") % {
            "option": label(option)
        }
        raise InvalidInput(message, fields={"option_id": message}, code="no_chosen_option")
    option.complaint = (
        type(option.complaint)
        .objects.select_related("customer", "vehicle", "dealer")
        .get(pk=option.complaint_id)
    )
    with translation.override("zh-hans"):  # signed by a Chinese customer, whatever the UI language
        html = render_to_string("resolutions/agreement_pdf.html", agreement_context(option))
    return render_pdf(html)
