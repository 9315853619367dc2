"""Near-identical complaints about one model and fault at several dealers reach the carmaker's
quality engineers through the outbox — once when the signal opens, again when another dealer joins."""

import pytest

from kesu.insights.models import QualitySignal
from kesu.insights.recurrence import link_pending
from kesu.notifications.choices import Kind
from kesu.notifications.models import Notification

from .conftest import customer
from .conftest import make_complaint as register

pytestmark = pytest.mark.django_db

WORDS = "车辆行驶中仪表盘突然黑屏，导航和倒车影像都无法使用，重启后依然黑屏，已经出现多次。"


def make_complaint(*args, **kwargs):
    """Register a complaint, then do what the worker does next: link and index it."""
    complaint = register(*args, **kwargs)
    link_pending()
    return complaint


def quality_titles() -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(kind=Kind.QUALITY_SIGNAL)
        .order_by("pk")
        .values_list("recipient__username", "title")
    )


def test_quality_engineers_hear_of_a_signal_when_it_opens_and_grows(demo):
    make_complaint(demo, 1, verbatim=WORDS, customer=customer(demo, 1, 1))
    assert not QualitySignal.objects.exists() and not quality_titles()

    make_complaint(demo, 2, verbatim=WORDS.replace("多次", "三次"), customer=customer(demo, 2, 2))
    signal = QualitySignal.objects.get()
    assert signal.dealer_count == 2
    told = quality_titles()
    assert {name for name, _ in told} == {"quality1", "crc1"}
    assert all("2" in title for _, title in told)
    assert not Notification.objects.filter(kind=Kind.QUALITY_SIGNAL, recipient__username="agent1").exists()

    make_complaint(demo, 3, verbatim=WORDS, customer=customer(demo, 3, 3))
    signal.refresh_from_db()
    assert signal.dealer_count == 3
    assert len(quality_titles()) == 4  # two people, told twice: at 2 dealers, then at 3


def test_a_second_complaint_at_the_same_dealer_is_not_a_quality_signal(demo):
    make_complaint(demo, 1, verbatim=WORDS, customer=customer(demo, 1, 1))
    make_complaint(demo, 1, verbatim=WORDS, customer=customer(demo, 1, 2))
    assert not QualitySignal.objects.exists() and not quality_titles()


def test_complaints_linked_in_one_worker_batch_are_counted_and_told_once(demo):
    for dealer in (1, 2, 3):  # registered before the worker's next run
        register(demo, dealer, verbatim=WORDS, customer=customer(demo, dealer, dealer))
    assert not QualitySignal.objects.exists()
    assert link_pending() == 3
    signal = QualitySignal.objects.get()
    assert (signal.complaint_count, signal.dealer_count) == (3, 3)
    told = quality_titles()
    assert sorted(name for name, _ in told) == ["crc1", "quality1"]  # once each, at 3 dealers
    assert all("3" in title for _, title in told)
