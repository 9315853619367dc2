"""Every helper of ``kesu.core.pg`` (the application's hand-written SQL) against its ORM equivalent:
the rows it writes or reads must be the ones the ORM would write or read.

On PostgreSQL each helper runs its own SQL; on SQLite the helpers with a fallback run that
fallback (the same assertions hold), the others are skipped.
"""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from kesu.complaints.choices import EventKind, Status
from kesu.complaints.models import Complaint, NumberCounter, TimelineEntry
from kesu.complaints.numbering import POSTGRES_SEQUENCE
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core import pg
from kesu.core.fields import VECTOR_COLUMN
from kesu.core.search import document_tokens, tsquery_for
from kesu.insights.models import Suggestion
from kesu.notifications.models import Notification
from kesu.sla.choices import ClockState
from kesu.sla.models import Breach, Clock, EscalationStep
from kesu.worklist.models import WorkItem

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (no fallback)")

AUTO_TIMES = {"created_at", "updated_at", "at"}  # set at write time, checked separately


def _row(obj: models.Model, skip: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in skip}


def _db_row(obj: models.Model) -> dict[str, Any]:
    return _row(type(obj)._default_manager.get(pk=obj.pk))


def _same(obj: models.Model) -> None:
    stored, held = _db_row(obj), _row(obj)
    assert {k: v for k, v in stored.items() if k not in AUTO_TIMES} == {
        k: v for k, v in held.items() if k not in AUTO_TIMES
    }, type(obj).__name__
    for name in AUTO_TIMES & stored.keys():
        assert stored[name] is not None and abs(stored[name] - timezone.now()) < timedelta(minutes=1)


# --- insert_with_children (the intake's one-statement write) ------------------------------------


def test_an_intake_stores_every_field_the_instances_hold(demo):
    """Complaint, clocks, first timeline entry and suggestion, as read back from the database."""
    complaint = make_complaint(
        demo, demands=["return", "compensation"], facts="三次维修记录", severity="serious"
    )
    clocks = list(Clock.objects.filter(complaint=complaint))
    assert {c.kind for c in clocks} == {"first_reply", "decision", "resolution"}
    _same(complaint)
    assert complaint.demands == ["compensation", "return"]
    for clock in clocks:
        _same(clock)
    entry = TimelineEntry.objects.get(complaint=complaint, kind="created")
    assert (entry.kind, entry.to_status, entry.actor_id) == ("created", "received", demo.users["agent1"].pk)
    suggestion = Suggestion.objects.get(complaint=complaint)
    assert suggestion.links_pending and suggestion.analysis and suggestion.fault_area == "brakes"


def _unsaved_complaint(demo: Any, number: str, verbatim: str, received_at: Any = None) -> Complaint:
    customer = make_customer(demo)
    return Complaint(
        number=number,
        dealer_id=customer.dealer_id,
        channel="phone",
        received_at=received_at or timezone.now(),
        customer=customer,
        received_by=demo.users["agent1"],
        verbatim=verbatim,
    )


def test_insert_with_children_writes_what_save_writes(demo):
    """The same complaint and entry written by the helper and by ``save()``: equal rows."""
    received_at = timezone.now() - timedelta(minutes=5)
    helper = _unsaved_complaint(demo, "KS-TEST-000001", "空调不制冷", received_at)
    helper_entry = TimelineEntry(complaint=helper, kind="created", to_status="received", note="空调不制冷")
    pg.insert_with_children(helper, [("complaint", helper_entry)])
    assert helper.pk and helper_entry.pk and helper_entry.complaint_id == helper.pk
    assert not helper._state.adding and not helper_entry._state.adding
    _same(helper)
    _same(helper_entry)

    orm = _unsaved_complaint(demo, "KS-TEST-000002", "空调不制冷", received_at)
    orm.save(force_insert=True)
    orm_entry = TimelineEntry.objects.create(
        complaint=orm, kind="created", to_status="received", note="空调不制冷"
    )
    varying = {"id", "number", "customer_id", "complaint_id", *AUTO_TIMES}
    assert _row(Complaint.objects.get(pk=helper.pk), varying) == _row(
        Complaint.objects.get(pk=orm.pk), varying
    )
    assert _row(TimelineEntry.objects.get(pk=helper_entry.pk), varying) == _row(
        TimelineEntry.objects.get(pk=orm_entry.pk), varying
    )


def test_insert_with_children_writes_nothing_when_one_row_fails(demo):
    """Two suggestions for one complaint break its one-to-one: the complaint is not written."""
    complaint = _unsaved_complaint(demo, "KS-TEST-000003", "变速箱异响")
    twice = [("complaint", Suggestion(complaint=complaint)), ("complaint", Suggestion(complaint=complaint))]
    with pytest.raises(IntegrityError), transaction.atomic():
        pg.insert_with_children(complaint, twice)
    assert not Complaint.objects.filter(number="KS-TEST-000003").exists()
    assert not Suggestion.objects.filter(complaint__number="KS-TEST-000003").exists()


# --- insert_rows (INSERT … SELECT FROM unnest) -------------------------------------------------


def _timeline_rows(complaint: Complaint, actor_id: int) -> list[dict[str, Any]]:
    """Rows with every kind of value: choices members, JSON of each shape, NULL, missing
    columns (their defaults), text with any character."""
    return [
        {"complaint_id": complaint.pk, "kind": EventKind.CREATED, "to_status": Status.RECEIVED},
        {
            "complaint_id": complaint.pk,
            "actor_id": actor_id,
            "kind": "transition",
            "action": "start",
            "from_status": "received",
            "to_status": "investigating",
            "changes": {"due_at": "2026-01-01T08:30:00+08:00", "list": [1, "二", None], "n": 3},
            "note": "客户“很不满意”\n'引号' \\ 反斜杠 😀",
        },
        {"complaint_id": complaint.pk, "kind": "edited", "changes": ["a", "b"], "note": ""},
        {"complaint_id": complaint.pk, "kind": "edited", "changes": "text", "actor_id": None},
        {"complaint_id": complaint.pk, "kind": "edited", "changes": 7},
    ]


def test_insert_rows_writes_what_bulk_create_writes(demo):
    helper, orm = make_complaint(demo), make_complaint(demo)
    actor = demo.users["agent1"].pk
    before = set(TimelineEntry.objects.values_list("pk", flat=True))
    assert pg.insert_rows(TimelineEntry, _timeline_rows(helper, actor)) == []
    TimelineEntry.objects.bulk_create([TimelineEntry(**row) for row in _timeline_rows(orm, actor)])
    skip = {"id", "complaint_id", "at"}
    written = TimelineEntry.objects.exclude(pk__in=before).order_by("pk")
    by_helper = [_row(e, skip) for e in written if e.complaint_id == helper.pk]
    by_orm = [_row(e, skip) for e in written if e.complaint_id == orm.pk]
    assert len(by_helper) == 5 and by_helper == by_orm
    assert by_helper[0]["changes"] == {} and by_helper[2]["changes"] == ["a", "b"]
    assert by_helper[3]["changes"] == "text" and by_helper[4]["changes"] == 7
    for entry in written:  # a missing auto_now_add column: the time of the write
        assert abs(entry.at - timezone.now()) < timedelta(minutes=1)


def test_insert_rows_skips_conflicts_and_returns_the_new_rows(demo):
    recipient = demo.users["agent1"]
    rows = [
        {"recipient_id": recipient.pk, "kind": "sla_warning", "title": f"标题{i}", "dedupe_key": f"k{i}"}
        for i in range(3)
    ]
    first = pg.insert_rows(Notification, rows[:2], ignore_conflicts=True, returning=("id", "dedupe_key"))
    again = pg.insert_rows(Notification, rows, ignore_conflicts=True, returning=("id", "dedupe_key"))
    stored = dict(
        Notification.objects.filter(dedupe_key__in=["k0", "k1", "k2"]).values_list("dedupe_key", "pk")
    )
    assert set(stored) == {"k0", "k1", "k2"}  # each once: the conflicting rows were skipped
    if connection.vendor == "postgresql":
        assert sorted((key, pk) for pk, key in first) == sorted((k, stored[k]) for k in ("k0", "k1"))
        assert [(key, pk) for pk, key in again] == [("k2", stored["k2"])]  # only the new row
    else:
        assert first == again == []  # bulk_create returns nothing to the caller
    with pytest.raises(IntegrityError), transaction.atomic():
        pg.insert_rows(Notification, rows[:1])  # without ignore_conflicts the statement fails


def test_insert_unless_taken_writes_what_save_writes_or_nothing(demo):
    """The booking's insert: the row save() would write and its key, or False and nothing when a
    unique constraint refuses it — with the transaction still usable afterwards."""
    dealer, agent, due = demo.dealers["D1"], demo.users["agent1"], timezone.now()

    def item(ref_id: int, subject: str) -> WorkItem:
        return WorkItem(
            dealer=dealer,
            assignee=agent,
            kind="callback",
            due_at=due,
            subject=subject,
            ref_model="calls.call",
            ref_id=ref_id,
        )

    with transaction.atomic():
        by_helper, by_orm = item(1, "回电"), item(2, "回电")
        assert pg.insert_unless_taken(by_helper) is True
        by_orm.save()
        assert by_helper.pk is not None and not by_helper._state.adding
        skip = {"id", "ref_id", "created_at"}
        assert _row(WorkItem.objects.get(pk=by_helper.pk), skip) == _row(by_orm, skip)
        assert _row(by_helper, skip) == _row(by_orm, skip)
        assert WorkItem.objects.get(pk=by_helper.pk).created_at is not None

        twice = item(1, "第二次")
        assert pg.insert_unless_taken(twice) is False  # one open item per record and kind
        assert twice.pk is None
        assert list(WorkItem.objects.filter(ref_id=1).values_list("subject", flat=True)) == ["回电"]
        assert WorkItem.objects.count() >= 2  # the transaction goes on


def test_insert_into_free_place_fills_each_place_once_then_writes_nothing(demo):
    """The booking's place: a free number of the group, each once, nothing when all are held;
    a row no longer holding its place (cancelled) frees it."""
    from kesu.appointments.models import Appointment

    dealer, agent = demo.dealers["D1"], demo.users["agent1"]
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    holding = ("state", ("booked", "arrived", "no_show"))

    def booking(plate: str) -> Appointment:
        return Appointment(
            dealer=dealer,
            slot_start=start,
            seat_no=99,
            plate=plate,
            name="李女士",
            mobile="13800000000",
            work_items=["maintenance"],
            created_by=agent,
        )

    with transaction.atomic():
        made = [booking(f"粤A1000{i}") for i in range(3)]
        for one in made:
            assert pg.insert_into_free_place(
                one, place="seat_no", places=3, group=("dealer", "slot_start"), holding=holding
            )
        assert sorted(a.seat_no for a in made) == [0, 1, 2] and all(a.pk for a in made)
        stored = Appointment.objects.get(pk=made[0].pk)
        assert (stored.plate, stored.seat_no, stored.created_at is not None) == (
            "粤A10000",
            made[0].seat_no,
            True,
        )
        full = booking("粤A99999")
        assert not pg.insert_into_free_place(
            full, place="seat_no", places=3, group=("dealer", "slot_start"), holding=holding
        )
        assert full.pk is None and Appointment.objects.filter(slot_start=start).count() == 3
        Appointment.objects.filter(pk=made[1].pk).update(state="cancelled")
        assert pg.insert_into_free_place(
            full, place="seat_no", places=3, group=("dealer", "slot_start"), holding=holding
        )
        assert full.seat_no == made[1].seat_no  # the cancelled one's place, the only one free


def test_insert_columns_writes_what_insert_rows_writes(demo):
    """Column-wise: the same rows as the dicts (defaults, NULL, JSON, choices), the same
    conflicts skipped and the same rows returned."""
    helper, orm = make_complaint(demo), make_complaint(demo)
    actor = demo.users["agent1"].pk
    before = set(TimelineEntry.objects.values_list("pk", flat=True))
    rows = _timeline_rows(helper, actor)
    fields = {f.attname: f for f in TimelineEntry._meta.concrete_fields}
    names = sorted(set().union(*rows))  # a row without a column: that field's default
    columns = {name: [row.get(name, fields[name].get_default()) for row in rows] for name in names}
    assert pg.insert_columns(TimelineEntry, columns) == []
    pg.insert_rows(TimelineEntry, _timeline_rows(orm, actor))
    skip = {"id", "complaint_id", "at"}
    written = TimelineEntry.objects.exclude(pk__in=before).order_by("pk")
    by_columns = [_row(e, skip) for e in written if e.complaint_id == helper.pk]
    by_rows = [_row(e, skip) for e in written if e.complaint_id == orm.pk]
    assert len(by_columns) == 5 and by_columns == by_rows
    recipient = demo.users["agent1"].pk
    keys = {"recipient_id": [recipient] * 2, "title": ["一", "二"]}
    same = {"kind": "sla_warning"}  # one value for every row
    first = pg.insert_columns(
        Notification, {**keys, "dedupe_key": ["c0", "c1"]}, same=same, returning=("id",)
    )
    again = pg.insert_columns(
        Notification,
        {**keys, "dedupe_key": ["c1", "c2"]},
        same=same,
        ignore_conflicts=True,
        returning=("id",),
    )
    assert set(Notification.objects.filter(dedupe_key__startswith="c").values_list("kind", flat=True)) == {
        "sla_warning"
    }
    stored = dict(Notification.objects.filter(dedupe_key__startswith="c").values_list("dedupe_key", "pk"))
    assert set(stored) == {"c0", "c1", "c2"}
    if connection.vendor == "postgresql":
        assert sorted(first) == [(stored["c0"],), (stored["c1"],)] and again == [(stored["c2"],)]
    assert pg.insert_columns(Notification, {"title": []}) == []
    with pytest.raises(ValueError):
        pg.insert_columns(Notification, {"title": ["a"], "dedupe_key": []})


def test_insert_rows_of_the_sweep_match_the_orm(demo):
    complaint = make_complaint(demo)
    clock = Clock.objects.filter(complaint=complaint).first()
    assert clock is not None
    now = timezone.now()
    breach = {
        "clock_id": clock.pk,
        "complaint_id": complaint.pk,
        "kind": clock.kind,
        "policy_id": clock.policy_id,
        "due_at": clock.due_at,
        "detected_at": now,
        "overdue_seconds_at_detection": 61,
    }
    steps = [
        {"clock_id": clock.pk, "level": level, "role": "service_manager", "notified_at": now}
        for level in (1, 2)
    ]
    pg.insert_rows(Breach, [breach], ignore_conflicts=True)
    pg.insert_rows(Breach, [breach], ignore_conflicts=True)
    pg.insert_rows(EscalationStep, steps, ignore_conflicts=True)
    stored = Breach.objects.get(clock=clock)
    assert _row(stored, {"id"}) == _row(Breach(**breach, final_overdue_seconds=None), {"id"})
    assert [_row(s, {"id"}) for s in EscalationStep.objects.filter(clock=clock).order_by("level")] == [
        _row(EscalationStep(**step), {"id"}) for step in steps
    ]


# --- update_rows (UPDATE … FROM unnest) --------------------------------------------------------


SWEPT = ("state", "next_check_at", "ladder_level")


def _moves(later: Any) -> list[dict[str, Any]]:
    """New values for the sweep's fields: choices members and plain strings, NULL, times."""
    return [
        {"state": ClockState.WARNING, "next_check_at": later, "ladder_level": 0},
        {"state": ClockState.BREACHED, "next_check_at": None, "ladder_level": 2},
        {"state": "running", "next_check_at": later + timedelta(days=1), "ladder_level": 1},
    ]


def _clocks(complaint: Complaint) -> list[Clock]:
    return list(Clock.objects.filter(complaint=complaint).order_by("kind"))


def test_update_rows_writes_what_bulk_update_writes(demo):
    helper, orm = make_complaint(demo), make_complaint(demo)
    helper_clocks, orm_clocks = _clocks(helper), _clocks(orm)
    assert len(helper_clocks) == len(orm_clocks) == 3
    moves = _moves(timezone.now() + timedelta(hours=3, microseconds=17))
    before = {c.pk: _row(c, set(SWEPT)) for c in helper_clocks}
    # the sweep passes light records, not model instances
    pg.update_rows(
        Clock, [SimpleNamespace(pk=c.pk, **m) for c, m in zip(helper_clocks, moves, strict=True)], SWEPT
    )
    for clock, move in zip(orm_clocks, moves, strict=True):
        for name, value in move.items():
            setattr(clock, name, value)
    Clock.objects.bulk_update(orm_clocks, SWEPT)
    for mine, theirs, move in zip(_clocks(helper), _clocks(orm), moves, strict=True):
        assert _row(mine, {"id", "complaint_id"} | set(_row(mine)) - set(SWEPT)) == _row(
            theirs, {"id", "complaint_id"} | set(_row(theirs)) - set(SWEPT)
        )
        assert {name: getattr(mine, name) for name in SWEPT} == move
        assert _row(mine, set(SWEPT)) == before[mine.pk]  # the other fields kept their values


def test_update_rows_takes_model_instances_and_nothing(demo):
    complaint = make_complaint(demo)
    clocks = _clocks(complaint)
    for clock in clocks:
        clock.ladder_level = 3
        clock.remaining_at_pause = 12.5
    pg.update_rows(Clock, [], SWEPT)  # no rows: no statement
    pg.update_rows(Clock, clocks, ("ladder_level", "remaining_at_pause"))
    assert {(c.ladder_level, c.remaining_at_pause) for c in _clocks(complaint)} == {(3, 12.5)}
    with pytest.raises(ValueError):
        pg.update_rows(Clock, clocks, ("id",))


# --- sequences ---------------------------------------------------------------------------------


def test_bump_counter_counts_as_an_orm_update(db):
    NumberCounter.objects.create(year=2031, last_value=41)
    NumberCounter.objects.create(year=2032, last_value=41)
    assert pg.bump_counter(NumberCounter, key="year", value=2031, counter="last_value") == 42
    NumberCounter.objects.filter(year=2032).update(last_value=F("last_value") + 1)
    assert NumberCounter.objects.get(year=2031).last_value == NumberCounter.objects.get(year=2032).last_value
    assert pg.bump_counter(NumberCounter, key="year", value=2033, counter="last_value") is None
    assert not NumberCounter.objects.filter(year=2033).exists()


@on_postgresql
def test_next_value_follows_the_sequence(db):
    first = pg.next_value(POSTGRES_SEQUENCE)
    second = pg.next_value(POSTGRES_SEQUENCE)
    assert second == first + 1
    with connection.cursor() as cursor:  # what the server says the sequence last gave
        cursor.execute(f"SELECT last_value FROM {connection.ops.quote_name(POSTGRES_SEQUENCE)}")
        assert cursor.fetchone()[0] == second


# --- search: the vector match, its statistics, custom plans ------------------------------------

TEXTS = ["刹车失灵，差点追尾", "高速上刹车失灵", "空调异味", "ABS 灯亮了", "刹车有异响", "车失控"]


@pytest.fixture
def searchable(demo: Any) -> list[Complaint]:
    customer = make_customer(demo)
    return [make_complaint(demo, verbatim=text, customer=customer) for text in TEXTS]


def _holding(complaints: list[Complaint], tokens: list[str]) -> set[int]:
    """The complaints whose stored tokens hold every one of ``tokens`` (Python, no SQL)."""
    found = set()
    for complaint in complaints:
        held = set(Complaint.objects.get(pk=complaint.pk).search_tokens.split())
        if all(token in held for token in tokens):
            found.add(complaint.pk)
    return found


@on_postgresql
@pytest.mark.parametrize("word", ["刹车失灵", "刹车", "abs", "车失", "空调", "没有的词"])
def test_the_vector_match_and_its_scan_find_the_tokens(searchable, word):
    tsquery = tsquery_for(word)
    tokens = tsquery.split(" & ")
    mine = Complaint.objects.filter(pk__in=[c.pk for c in searchable])
    by_index = set(mine.filter(search_tokens__contains_text=tsquery).values_list("pk", flat=True))
    by_scan = set(mine.filter(search_tokens__contains_text_scan=tsquery).values_list("pk", flat=True))
    assert by_index == by_scan == _holding(searchable, tokens)
    index_sql = str(mine.filter(search_tokens__contains_text=tsquery).query)
    scan_sql = str(mine.filter(search_tokens__contains_text_scan=tsquery).query)
    assert f"{VECTOR_COLUMN}\" @@ to_tsquery('simple'::regconfig," in index_sql  # the GIN index can answer
    assert f'ts_match_vq("complaints_complaint"."{VECTOR_COLUMN}", to_tsquery(' in scan_sql  # it cannot


def test_document_tokens_are_what_is_matched(searchable):
    for complaint in searchable:
        stored = Complaint.objects.get(pk=complaint.pk).search_tokens
        assert stored == document_tokens(complaint.verbatim, complaint.facts)


@on_postgresql
def test_common_elements_are_the_shares_the_orm_counts(searchable):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Complaint._meta.db_table}")
    shares = pg.common_elements(Complaint, VECTOR_COLUMN)
    total = Complaint.objects.count()
    assert "刹车" in shares and "空调" in shares
    for token, share in shares.items():
        counted = Complaint.objects.filter(search_tokens__contains_text=token).count()
        assert share == pytest.approx(counted / total, abs=1e-3), token
    assert pg.common_elements(Notification, "title") == {}  # not a tsvector: no element statistics


@on_postgresql
def test_custom_plans_hold_for_the_transaction_and_change_no_result(transactional_db, searchable):
    def mode() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return str(cursor.fetchone()[0])

    query = Complaint.objects.filter(search_tokens__contains_text=tsquery_for("刹车")).order_by("pk")
    before, outside = mode(), list(query.values_list("pk", flat=True))
    with pg.custom_plans():
        assert mode() == "force_custom_plan"
        inside = list(query.values_list("pk", flat=True))
    assert mode() == before  # SET LOCAL ended with the transaction
    assert inside == outside


@pytest.mark.django_db(transaction=True)
def test_without_jit_turns_jit_off_for_the_transaction_only():
    from django.db import connection

    from kesu.core.pg import without_jit

    if connection.vendor != "postgresql":
        with without_jit():
            pass  # only a transaction elsewhere
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        before = cursor.fetchone()[0]
    with without_jit(), connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == before
