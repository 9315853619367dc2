"""What other apps may read of care: a customer's open care items (for the agent's day)."""

from kesu.organizations.models import User

from .choices import CareState
from .models import CareItem


def open_items_of_customer(*, actor: User, customer_id: int) -> list[CareItem]:
    return list(
        CareItem.objects.visible_to(actor)
        .filter(customer_id=customer_id, state=CareState.OPEN)
        .order_by("due_date")
    )
