"""Pages of a search: whichever way the database finds them (the text index and a sort, or a
walk along the queue order for a word in 1-8 % of complaints), the pages and the count are the
same complaints, in queue order."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from kesu.complaints import queries
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer

WORD = "刹车失灵"


@pytest.fixture
def word_in_one_in_twenty(demo: Any) -> Iterator[list[int]]:
    """60 complaints, 3 of them (5 %) with WORD; statistics refreshed as ANALYZE would."""
    customer = make_customer(demo)
    texts = [f"第{i}次来店，空调异味{'一' * (i % 5)}" for i in range(57)]
    texts[10:10] = [f"{WORD}，差点追尾", f"高速上{WORD}", f"{WORD}{WORD}"]
    ids = [make_complaint(demo, verbatim=text, customer=customer).pk for text in texts]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Complaint._meta.db_table}")
    queries.TOKEN_FREQUENCIES.clear()  # read the new statistics now, not in ten minutes
    yield ids
    queries.TOKEN_FREQUENCIES.clear()


def _queue_order(demo: Any) -> list[int]:
    expected = queries.queue_for(demo.users["agent1"], queries.ComplaintFilters(), walk=False)
    return [c.pk for c in expected if WORD in c.verbatim]


def test_the_walk_is_chosen_on_postgresql_for_a_word_in_5_percent(word_in_one_in_twenty):
    filters = queries.ComplaintFilters(q=WORD)
    assert queries.walks_for_page(filters) == (connection.vendor == "postgresql")
    assert not queries.walks_for_page(queries.ComplaintFilters(q=WORD, category="product"))
    assert not queries.walks_for_page(filters, rows=100_000)  # deep pages: the index and a sort


@pytest.mark.parametrize("page_size", [1, 2, 25])
def test_every_page_and_the_count_as_the_index_gives_them(demo, api, word_in_one_in_twenty, page_size):
    order = _queue_order(demo)
    assert len(order) == 3
    seen: list[int] = []
    for page in range(1, 4):
        body = api("agent1").get(f"/api/v1/complaints?q={WORD}&page_size={page_size}&page={page}").json()
        assert body["count"] == 3 and body["count_capped"] is False
        seen += [row["id"] for row in body["results"]]
    assert seen == order  # each complaint once, in queue order; pages after the last are empty


def test_the_web_queue_shows_the_same_complaints(demo, client, word_in_one_in_twenty):
    client.force_login(demo.users["agent1"])
    page = client.get(f"/queue/?q={WORD}&status=all").content.decode()
    numbers = [c.number for c in Complaint.objects.filter(pk__in=_queue_order(demo))]
    assert all(number in page for number in numbers)
    assert page.count("KS-") >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: CI's PostgreSQL run")
def test_searches_are_planned_for_their_values_and_others_keep_prepared_plans(transactional_db):
    def mode() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return str(cursor.fetchone()[0])

    with queries.planned_for_their_values(queries.ComplaintFilters(q=WORD)):
        assert mode() == "force_custom_plan"
    assert mode() == "auto"
    with queries.planned_for_their_values(queries.ComplaintFilters(status=["received"])):
        assert mode() == "auto"  # the queue without a search keeps its prepared plans
