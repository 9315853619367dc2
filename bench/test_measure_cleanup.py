"""bench.measure's clean-up: complaints made by the create scenarios go, with all that hangs on them."""

from django.db.models import Max

from bench.generate import Options, generate
from bench.measure import delete_created
from kesu import flows
from kesu.complaints import services
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.customers.models import Customer
from kesu.organizations.models import User
from kesu.sla.models import Clock


def test_delete_created_removes_new_complaints_and_their_rows(db: None) -> None:
    generate(Options(complaints=30, regions=1, dealers_per_region=1, agents_per_dealer=1, years=1,
                     seed=9, batch=50, quiet=True))  # fmt: skip
    max_id = Complaint.objects.aggregate(m=Max("pk"))["m"]
    before = (Complaint.objects.count(), TimelineEntry.objects.count(), Clock.objects.count())
    agent = User.objects.get(username="bench-d001-agent1")
    customer = Customer.objects.filter(dealer__code__endswith="-D001").first()
    assert customer is not None
    for text in ("刹车有异响，修了三次还没有修好", "空调不制冷，来店里检查过两次都说是正常现象"):
        draft = services.ComplaintDraft(customer_id=customer.pk, channel="phone", verbatim=text)
        flows.create_complaint(actor=agent, draft=draft)
    assert Clock.objects.filter(complaint_id__gt=max_id).exists()  # intake starts the clocks
    assert delete_created(max_id) == 2
    assert (Complaint.objects.count(), TimelineEntry.objects.count(), Clock.objects.count()) == before
