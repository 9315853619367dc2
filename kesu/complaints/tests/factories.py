"""Test helpers that go through the real services, so fixtures obey the same rules as users."""

from kesu import flows
from kesu.complaints import services
from kesu.complaints.models import Complaint
from kesu.customers import services as customer_services
from kesu.customers.models import Customer
from kesu.demo.builder import DemoOrg

VALID_VIN = "LGBH52E05KY123450"  # check digit fixed by with_check_digit below


def make_customer(
    demo: DemoOrg,
    dealer_index: int = 1,
    *,
    mobile: str = "13812341234",
    plate: str = "粤A12345",
    vin: str = "",
) -> Customer:
    from kesu.core.validators import with_check_digit

    return customer_services.create_customer(
        actor=demo.users[f"agent{dealer_index}"],
        name="张先生",
        mobile=mobile,
        vehicle=customer_services.VehicleInput(
            plate=plate, vin=vin or with_check_digit(VALID_VIN), model_name="轩逸 2023款"
        ),
        allow_shared_mobile=True,  # tests make several records with one number, as legacy data has
    )


def make_complaint(
    demo: DemoOrg,
    dealer_index: int = 1,
    *,
    verbatim: str = "刹车有异响，修了三次还没有修好",
    facts: str = "",
    customer: Customer | None = None,
    **extra: object,
) -> Complaint:
    customer = customer or make_customer(demo, dealer_index)
    draft = services.ComplaintDraft(
        customer_id=customer.pk,
        vehicle_id=customer.vehicles.first().pk,  # type: ignore[union-attr]
        channel="phone",
        verbatim=verbatim,
        facts=facts,
        **extra,  # type: ignore[arg-type]
    )
    return flows.create_complaint(actor=demo.users[f"agent{dealer_index}"], draft=draft)
