"""What other apps read of a customer: always through the actor's scope."""

from django.utils.translation import gettext as _

from kesu.core.errors import NotFound
from kesu.organizations.models import User

from .models import Customer


def get_customer(*, actor: User, customer_id: int) -> Customer:
    """A customer in the actor's scope, or NotFound — the same answer whether it exists or not."""
    customer = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer
