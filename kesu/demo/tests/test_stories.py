"""The demo tells seed 003's five cases on D1 (kesu/demo/stories.py) in a realistic state: what
gm1 has to approve, the 三包 reasoning on the brake failure, the storm wiper closed within the
agent's limit, the towing fee for finance, the part asked of another dealer, PR in charge of the
fire; and running the demo again adds nothing."""

from django.core.management import call_command
from django.test import Client

from kesu.approvals.models import ApprovalRequest, PaymentTask
from kesu.carmaker.models import HelpRequest, IncidentReport, PrTakeover
from kesu.carmaker.services import is_same_day
from kesu.complaints.models import Complaint
from kesu.customers.models import Customer
from kesu.demo.stories import MOBILES
from kesu.followups.models import FollowUp
from kesu.organizations.models import ApiToken, User
from kesu.resolutions.models import Option
from kesu.sanbao.models import Repair


def story(key: str) -> Complaint:
    customer = Customer.objects.get(mobile=MOBILES[key], dealer__code="D1")
    return Complaint.objects.get(customer=customer)


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def api_get(username: str, path: str) -> dict:
    token = ApiToken.issue(User.objects.get(username=username))
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, (path, response.content)
    return response.json()


def test_the_demo_tells_the_five_seed_cases_on_d1(db, settings):
    settings.KESU_DEMO_PASSWORD = "demo-pass"
    call_command("demo", complaints=16, verbosity=0)
    brake, wiper, stall, display, fire = (
        story(key) for key in ("brake", "wiper", "stall", "display", "fire")
    )
    assert {c.dealer.code for c in (brake, wiper, stall, display, fire)} == {"D1"}
    # 1. the brake failure: the return waits for the general manager, then the region
    assert brake.status == "investigating" and brake.severity == "crisis"
    waiting = api_get("gm1", "/api/v1/approvals")["items"]
    assert len(waiting) >= 2
    assert {brake.pk, fire.pk} <= {row["complaint_id"] for row in waiting}
    returned = ApprovalRequest.objects.get(complaint=brake)
    assert returned.remedies == ["return"] and list(returned.steps.values_list("role", flat=True)) == [
        "general_manager",
        "region_manager",
    ]
    inbox = as_user("gm1").get("/approvals/").content.decode()
    assert brake.number in inbox and fire.number in inbox and "¥868,000.00" in inbox
    assert Repair.objects.filter(vehicle__customer=brake.customer).count() == 4
    rights = {r["right"]: r for r in api_get("agent1", f"/api/v1/complaints/{brake.pk}/sanbao")["rights"]}
    assert rights["return"]["may_apply"] == "yes" and rights["return"]["reasons"]
    panel = as_user("agent1").get(f"/sanbao/complaints/{brake.pk}/panel/").content.decode()
    assert "第二十三条" in panel
    # 2. the storm wiper: fixed within the agent's own limit, closed, its care calls due
    assert wiper.status == "closed" and wiper.satisfaction == "very_satisfied"
    quick = Option.objects.get(complaint=wiper)
    assert quick.proposed_by == User.objects.get(username="agent1") and quick.approved_at is None
    assert not ApprovalRequest.objects.filter(complaint=wiper, status="pending").exists()
    assert list(PaymentTask.objects.filter(complaint=wiper).values_list("kind", "status")) == [
        ("gift", "done")
    ]
    calls = set(FollowUp.objects.filter(customer=wiper.customer).values_list("kind", flat=True))
    assert calls == {"revisit", "service_3d"}
    # 3. the motorway stall: the towing fee for finance to pay
    assert stall.status == "follow_up"
    towing = PaymentTask.objects.get(complaint=stall)
    assert (towing.kind, str(towing.amount), towing.status) == ("payment", "650.00", "open")
    payments = as_user("manager1").get("/approvals/").content.decode()
    assert stall.number in payments and "¥650.00" in payments
    # 4. the fuel-display part: asked of a dealer in another region, accepted
    asked = HelpRequest.objects.get(complaint=display)
    assert asked.to_dealer.code == "D3" and asked.status == "accepted"
    incoming = api_get("gm3", "/api/v1/help-requests?direction=incoming")
    assert [r["part_number"] for r in incoming] == ["CD132-IP-05"] and "陈女士" not in str(incoming)
    # 5. the car fire: PR in charge, the same-day incident report
    assert fire.severity == "crisis" and PrTakeover.objects.filter(complaint=fire).exists()
    assert is_same_day(IncidentReport.objects.get(complaint=fire))
    pdf = as_user("pr1").get(f"/carmaker/complaints/{fire.pk}/incident-report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # every page of the five renders for the desk and the general manager
    for complaint in (brake, wiper, stall, display, fire):
        for username in ("agent1", "gm1"):
            page = as_user(username).get(f"/complaints/{complaint.pk}/")
            assert page.status_code == 200, (complaint.number, username)
    # running it again adds nothing
    counts = (Complaint.objects.count(), ApprovalRequest.objects.count(), PaymentTask.objects.count())
    call_command("demo", verbosity=0)
    assert (Complaint.objects.count(), ApprovalRequest.objects.count(), PaymentTask.objects.count()) == counts
