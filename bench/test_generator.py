"""The benchmark generator, run small: its data must look to the app exactly like real data.

No timing is asserted here (timings are measured by bench/measure.py and never pass or fail).
"""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils.timezone import localtime

from bench.generate import Options, generate
from conftest import ApiClient
from kesu import flows
from kesu.complaints import queries, services
from kesu.complaints.models import Complaint
from kesu.core.search import document_tokens
from kesu.core.validators import normalize_mobile, normalize_plate, normalize_vin
from kesu.customers.models import Customer, Vehicle
from kesu.organizations.models import User

WORDS = ("刹车", "刹车失灵", "顿挫", "异响", "变速箱", "起火", "空调不制冷")


@pytest.fixture
def generated(db: None, tmp_path: Path):  # type: ignore[no-untyped-def]
    options = Options(
        complaints=400,
        regions=2,
        dealers_per_region=3,
        agents_per_dealer=1,
        years=1,
        seed=7,
        batch=150,
        tokens_out=tmp_path / "tokens.json",
        quiet=True,
    )
    result = generate(options)
    return options, result


def _ids(queryset) -> set[int]:  # type: ignore[no-untyped-def]
    return set(queryset.values_list("pk", flat=True))


def test_generated_complaints_are_findable_and_scoped(generated) -> None:  # type: ignore[no-untyped-def]
    options, result = generated
    ours = Complaint.objects.filter(pk__range=(result.first_complaint_id, result.last_complaint_id))
    assert result.complaints == options.complaints == ours.count()
    assert len(result.dealers) == 6
    assert result.timeline_entries > result.complaints

    # Derived fields exactly as the app derives them.
    numbers = set()
    for complaint in ours.select_related("customer", "vehicle"):
        assert complaint.search_tokens == document_tokens(complaint.verbatim, complaint.facts)
        assert re.fullmatch(r"KS-\d{4}-\d{6,}", complaint.number), complaint.number
        assert complaint.number[3:7] == str(localtime(complaint.received_at).year)
        assert complaint.customer.dealer_id == complaint.dealer_id
        assert complaint.vehicle is None or complaint.vehicle.customer_id == complaint.customer_id
        assert 40 <= len(complaint.verbatim) <= 150
        assert complaint.timeline.count() == complaint.version
        numbers.add(complaint.number)
    assert len(numbers) == result.complaints
    for vehicle in Vehicle.objects.filter(customer__dealer_id__in=result.dealers):
        assert normalize_plate(vehicle.plate) == vehicle.plate
        assert normalize_vin(vehicle.vin) == vehicle.vin
    for mobile in Customer.objects.filter(dealer_id__in=result.dealers).values_list("mobile", flat=True):
        assert normalize_mobile(mobile) == mobile

    # Scope: an agent sees exactly their dealer's complaints, a region manager their region's.
    tokens = json.loads(options.tokens_out.read_text())["users"]
    agent = User.objects.get(username="bench-d001-agent1")
    dealer_id = tokens["bench-d001-agent1"]["dealer_id"]
    assert dealer_id == result.dealers[0]
    assert _ids(Complaint.objects.visible_to(agent) & ours) == _ids(ours.filter(dealer_id=dealer_id))
    assert _ids(ours.filter(dealer_id=dealer_id))
    region = User.objects.get(username="bench-region1")
    assert _ids(Complaint.objects.visible_to(region) & ours) == _ids(
        ours.filter(dealer_id__in=result.dealers[:3])
    )

    # Search: every complaint containing the word is found, and only those (agent scope and all).
    admin = User.objects.get(username="bench-admin")
    found_any = False
    for word in WORDS:
        for user in (agent, admin):
            scoped = Complaint.objects.visible_to(user) & ours
            expected = {c.pk for c in scoped if word in c.verbatim or word in c.facts}
            assert _ids(queries.text_search(scoped, word)) == expected, (word, user.username)
            found_any = found_any or bool(expected)
    assert found_any

    # The same through the API with paging, with the token the generator wrote.
    client = ApiClient(None)
    client.headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens['bench-d001-agent1']['token']}"
    expected = {c.pk for c in ours.filter(dealer_id=dealer_id) if "刹车" in c.verbatim + "\n" + c.facts}
    seen: set[int] = set()
    page = 1
    while True:
        response = client.get(f"/api/v1/complaints?q=刹车&page_size=7&page={page}")
        assert response.status_code == 200, response.content
        rows = response.json()["results"]
        seen.update(r["id"] for r in rows if result.first_complaint_id <= r["id"])
        if len(rows) < 7:
            break
        page += 1
    assert seen == expected

    # The next intake gets a number past the generated ones.
    customer = Customer.objects.filter(dealer_id=dealer_id).first()
    assert customer is not None
    draft = services.ComplaintDraft(
        customer_id=customer.pk, channel="phone", verbatim="刹车有异响，修了三次还没有修好"
    )
    complaint = flows.create_complaint(actor=agent, draft=draft)
    assert complaint.number not in numbers
    if connection.vendor == "postgresql":
        generated_values = {int(n.rsplit("-", 1)[1]) for n in numbers}
        assert int(complaint.number.rsplit("-", 1)[1]) > max(generated_values)
    assert complaint.pk > result.last_complaint_id
