"""Recurrence and duplicates.

- Links: complaints of the same vehicle (VIN), the same customer, or the same fault area on the
  same model at the same dealer, within a window (KESU_INSIGHTS_LINK_WINDOW_DAYS, default 90).
- Repeat repairs: the same fault area on a vehicle after an earlier complaint about it reached
  implementing / follow-up / closed — :func:`repeat_repairs` feeds the 三包 check.
- Near-duplicates: complaint texts nearly identical (bigram Jaccard) for the same model and fault
  area at other dealers, found through MinHash bands stored per complaint (one indexed lookup,
  a capped number of candidates verified); enough dealers raise a QualitySignal.

Links are stored whatever the dealers; reading them always goes through
``Complaint.objects.visible_to(user)``, so a dealer never learns of another dealer's complaints.
"""

import hashlib
import logging
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.core.pg import insert_rows
from kesu.core.privacy import raw
from kesu.customers.models import Vehicle
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations import tree as orgs
from kesu.organizations.choices import Role
from kesu.organizations.models import User

from . import conf
from .choices import FaultArea, LinkReason, SignalStatus
from .keywords import shared_words
from .models import ComplaintLink, QualitySignal, Suggestion, TextBand
from .text import BRAND_PLACEHOLDER, NameMasker, prepare, shingles

# A complaint "reached a repair" once it was in one of these states.
REPAIRED_STATES = (Status.IMPLEMENTING, Status.FOLLOW_UP, Status.CLOSED)
LINKS_PER_REASON = 20  # at most this many links of one reason per complaint
DUPLICATE_CANDIDATES = 200  # band matches looked at
DUPLICATE_VERIFIED = 50  # texts compared
DUPLICATE_TEXT_CHARS = 300
MINHASH_BANDS = 16
MINHASH_ROWS = 2
_PRIME = (1 << 61) - 1
_rng = random.Random(20260501)
_PERMUTATIONS = [
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(MINHASH_BANDS * MINHASH_ROWS)
]
_MASKER = NameMasker()
log = logging.getLogger("kesu.insights")


def model_key(model_name: str) -> str:
    """ "轩逸 2023款" and "轩逸2022款" are the same model."""
    folded = prepare(model_name, 60)
    return re.sub(r"\s+|(?:19|20)\d{2}\s?款|款$", "", folded)


def _ordered(a: Complaint, b: Complaint) -> tuple[Complaint, Complaint]:
    """(newer, older): a link is stored once."""
    return (a, b) if (a.received_at, a.pk) >= (b.received_at, b.pk) else (b, a)


def _collect_links(
    links: list[dict[str, object]],
    complaint: Complaint,
    others: list[Complaint],
    reason: str,
    fault: str = "",
) -> None:
    for other in others:
        newer, older = _ordered(complaint, other)
        links.append(
            {
                "complaint_id": newer.pk,
                "other_id": older.pk,
                "reason": reason,
                "score": 1.0,
                "fault_area": fault,
            }
        )


def _repaired_at(complaint_ids: list[int]) -> dict[int, datetime]:
    rows = (
        TimelineEntry.objects.filter(complaint_id__in=complaint_ids, to_status__in=REPAIRED_STATES)
        .values("complaint_id")
        .annotate(first=Min("at"))
    )
    return {row["complaint_id"]: row["first"] for row in rows}


def link_complaint(
    complaint: Complaint,
    suggestion: Suggestion | None = None,
    *,
    fresh: bool = False,
    signals: dict[int, QualitySignal] | None = None,
) -> None:
    """Create the recurrence links of ``complaint`` and index it for near-duplicate search.

    ``fresh``: the complaint was never linked (the worker's first pass), so there are no links
    or signal memberships of an older fault area to drop. ``signals``: collect the quality
    signals it joins there instead of recounting each at once (see :func:`link_pending`)."""
    suggestion = suggestion or Suggestion.objects.filter(complaint=complaint).first()
    fault = suggestion.fault_area if suggestion else ""
    if not fresh:  # links that rest on a fault area hold only for the current one (an agent may correct it)
        ComplaintLink.objects.filter(
            Q(complaint=complaint) | Q(other=complaint),
            reason__in=(LinkReason.SAME_FAULT, LinkReason.NEAR_DUPLICATE),
        ).exclude(fault_area=fault).delete()
        _leave_signals_of_other_faults(complaint, fault)
    window = timedelta(days=conf.link_window_days())
    around = Q(received_at__gte=complaint.received_at - window) & Q(
        received_at__lte=complaint.received_at + window
    )
    # links need only who and when: full rows (the customer's words, the search tokens) would be
    # most of the linking's cost
    base = (
        Complaint.objects.exclude(pk=complaint.pk)
        .filter(around)
        .order_by("-received_at")
        .only("pk", "received_at", "dealer_id")
    )
    links: list[dict[str, object]] = []
    vehicle = Vehicle.objects.filter(pk=complaint.vehicle_id).first() if complaint.vehicle_id else None
    same_customer = list(base.filter(customer_id=complaint.customer_id)[:LINKS_PER_REASON])
    _collect_links(links, complaint, same_customer, LinkReason.SAME_CUSTOMER)
    same_vehicle_q = _vehicle_complaints(vehicle) if vehicle is not None else None
    if same_vehicle_q is not None:
        same_vehicle = list(base.filter(same_vehicle_q)[:LINKS_PER_REASON])
        _collect_links(links, complaint, same_vehicle, LinkReason.SAME_VEHICLE)
    if fault and vehicle is not None and vehicle.model_name:
        same_fault = list(
            base.filter(
                dealer_id=complaint.dealer_id,
                insight__fault_area=fault,
                vehicle__model_name=vehicle.model_name,
            )[:LINKS_PER_REASON]
        )
        _collect_links(links, complaint, same_fault, LinkReason.SAME_FAULT, fault)
    if fault and same_vehicle_q is not None and suggestion is not None:
        _flag_repeat_repair(complaint, suggestion, same_vehicle_q, fault, links)
    insert_rows(ComplaintLink, links, ignore_conflicts=True)  # every reason in one statement
    if fault and vehicle is not None and vehicle.model_name:
        find_near_duplicates(complaint, fault=fault, model_name=vehicle.model_name, signals=signals)


LINK_BATCH = 100


def link_pending(*, limit: int = 5_000, complaint_ids: list[int] | None = None) -> int:
    """Link and index the complaints registered since the last run (intake leaves it pending).

    Batches are locked with SKIP LOCKED, so several workers share the work and none links a
    complaint twice; each batch commits with its links and the cleared marks, so a crash redoes
    at most one batch (linking is idempotent). A complaint whose linking fails is logged and not
    retried forever. ``complaint_ids`` restricts the run (a page about to show the links)."""
    done = 0
    while done < limit:
        with transaction.atomic():
            pending = Suggestion.objects.filter(links_pending=True)
            if complaint_ids is not None:
                pending = pending.filter(complaint_id__in=complaint_ids)
            batch = list(
                pending.select_for_update(skip_locked=True, of=("self",))
                .select_related("complaint")
                .order_by("complaint_id")[: min(LINK_BATCH, limit - done)]
            )
            if not batch:
                break
            signals: dict[int, QualitySignal] = {}  # joined in this batch: recounted once
            for suggestion in batch:
                try:
                    with transaction.atomic():
                        link_complaint(suggestion.complaint, suggestion, fresh=True, signals=signals)
                except Exception:
                    log.exception("insights: linking complaint %s failed", suggestion.complaint_id)
            for signal in signals.values():
                _recount(signal)
                _tell_quality_staff(signal)
            Suggestion.objects.filter(pk__in=[s.pk for s in batch]).update(links_pending=False)
        done += len(batch)
    return done


def _vehicle_complaints(vehicle: Vehicle) -> Q:
    """Complaints about this vehicle, or any record of the same VIN (re-registered at another
    dealer, or entered twice). The VIN's vehicle ids are resolved first: an OR across the join
    would make PostgreSQL scan every complaint in the window."""
    ids = {vehicle.pk}
    vin = raw(vehicle, "vin")  # the stored VIN, also when a masked viewer asks
    if vin:
        ids.update(Vehicle.objects.filter(vin=vin).values_list("pk", flat=True)[:100])
    return Q(vehicle_id__in=sorted(ids))


def _flag_repeat_repair(
    complaint: Complaint, suggestion: Suggestion, same_vehicle: Q, fault: str, links: list[dict[str, object]]
) -> None:
    earlier = list(
        Complaint.objects.filter(same_vehicle, insight__fault_area=fault)
        .filter(received_at__lt=complaint.received_at)
        .exclude(pk=complaint.pk)
        .order_by("-received_at")
        .only("pk", "received_at", "dealer_id")[:LINKS_PER_REASON]
    )
    repaired = _repaired_at([c.pk for c in earlier])
    before = [c for c in earlier if c.pk in repaired and repaired[c.pk] < complaint.received_at]
    _collect_links(links, complaint, before, LinkReason.REPEAT_REPAIR, fault)
    if bool(before) != suggestion.repeat_repair:
        Suggestion.objects.filter(pk=suggestion.pk).update(repeat_repair=bool(before))
        suggestion.repeat_repair = bool(before)


# --- reading links, within scope ---------------------------------------------------------------


@dataclass
class RelatedComplaint:
    complaint: Complaint
    reasons: list[str]
    score: float


def related_complaints(*, actor: User, complaint: Complaint) -> list[RelatedComplaint]:
    """Linked complaints the actor may see, most recent first, with every reason that links them."""
    link_pending(complaint_ids=[complaint.pk])  # if the worker has not linked it yet (one query if it has)
    links = ComplaintLink.objects.filter(Q(complaint=complaint) | Q(other=complaint)).values_list(
        "complaint_id", "other_id", "reason", "score"
    )
    by_id: dict[int, tuple[list[str], float]] = {}
    for a, b, reason, score in links:
        other_id = b if a == complaint.pk else a
        reasons, best = by_id.get(other_id, ([], 0.0))
        if reason not in reasons:
            reasons.append(reason)
        by_id[other_id] = (reasons, max(best, score))
    visible = Complaint.objects.visible_to(actor).filter(pk__in=list(by_id)).order_by("-received_at")
    return [RelatedComplaint(c, by_id[c.pk][0], by_id[c.pk][1]) for c in visible]


# --- repeat repairs (三包) ----------------------------------------------------------------------


@dataclass
class RepeatRepair:
    fault_area: str
    complaint_ids: list[int]  # every complaint about this fault area the reader may see, oldest first
    repaired_ids: list[int]  # those that had reached a repair
    repeat_ids: list[int]  # those received after an earlier repair of the same fault area
    repairs_elsewhere: int = 0  # repairs of this fault on this VIN outside the reader's scope

    @property
    def repairs(self) -> int:
        """Every repair of this fault on this car, wherever it was done: 三包 counts them all."""
        return len(self.repaired_ids) + self.repairs_elsewhere


def repeat_repairs(vehicle: Vehicle, *, actor: User | None = None) -> list[RepeatRepair]:
    """Fault areas of ``vehicle`` that came back after a repair, for the 三包 check.

    Complaints of the vehicle (or of its VIN) whose fault area is known, grouped by fault area; a
    complaint is a repeat when an earlier complaint of the group had reached implementing,
    follow-up or closed before it was received. Repairs at any dealer count — the car's 三包
    rights do not depend on where it was repaired, and the complaint's own repeat flag is worked
    out the same way — but with ``actor`` only complaints in their scope are listed; the others
    are a bare count (``repairs_elsewhere``), so nothing of another dealer's customer is shown.
    """
    rows = list(
        Complaint.objects.filter(_vehicle_complaints(vehicle))
        .exclude(insight__fault_area="")
        .filter(insight__isnull=False)
        .order_by("received_at", "pk")
        .values_list("pk", "received_at", "insight__fault_area")
    )
    visible = _visible_ids(actor, [pk for pk, _, _ in rows])
    repaired = _repaired_at([pk for pk, _, _ in rows])
    groups: dict[str, list[tuple[int, datetime]]] = {}
    for pk, received_at, fault in rows:
        groups.setdefault(fault, []).append((pk, received_at))
    found = []
    for fault, items in groups.items():
        repeats = [
            pk
            for pk, received_at in items
            if any(other != pk and other in repaired and repaired[other] < received_at for other, _ in items)
        ]
        shown = [pk for pk, _ in items if pk in visible]
        shown_repeats = [pk for pk in repeats if pk in visible]
        if shown_repeats:  # a repeat the reader handles; others' repeats are theirs to see
            found.append(
                RepeatRepair(
                    fault_area=fault,
                    complaint_ids=shown,
                    repaired_ids=[pk for pk in shown if pk in repaired],
                    repeat_ids=shown_repeats,
                    repairs_elsewhere=sum(1 for pk, _ in items if pk in repaired and pk not in visible),
                )
            )
    return found


def _visible_ids(actor: User | None, ids: list[int]) -> set[int]:
    if actor is None:
        return set(ids)
    return set(Complaint.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))


# --- near-duplicates across dealers -----------------------------------------------------------


def duplicate_text(text: str) -> set[str]:
    """Bigrams of the text with brand and model names masked (campaign posts differ in those)."""
    return shingles(_MASKER(prepare(text, DUPLICATE_TEXT_CHARS))) - {BRAND_PLACEHOLDER}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def minhash(grams: set[str]) -> list[int]:
    hashed = [_hash64(g.encode("utf-8", "replace")) for g in grams]
    if not hashed:
        return []
    return [min((a * h + b) % _PRIME for h in hashed) for a, b in _PERMUTATIONS]


def bands(grams: set[str], key: str) -> list[int]:
    """One signed 64-bit key per band, prefixed by ``key`` (carmaker, model, fault area)."""
    signature = minhash(grams)
    if not signature:
        return []
    out = []
    for band in range(MINHASH_BANDS):
        rows = signature[band * MINHASH_ROWS : (band + 1) * MINHASH_ROWS]
        data = f"{key}|{band}|{','.join(map(str, rows))}".encode()
        out.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True))
    return out


def find_near_duplicates(
    complaint: Complaint, *, fault: str, model_name: str, signals: dict[int, QualitySignal] | None = None
) -> list[Complaint]:
    """Index ``complaint`` and return near-duplicates at other dealers (linked, and raising a
    quality signal once enough dealers are involved)."""
    manufacturer_id = orgs.manufacturer_of(complaint.dealer_id)
    grams = duplicate_text(complaint.verbatim)
    if manufacturer_id is None or len(grams) < 3:
        return []
    key = f"{manufacturer_id}|{model_key(model_name)}|{fault}"
    keys = bands(grams, key)
    TextBand.objects.filter(complaint=complaint).delete()  # re-indexing after a correction
    TextBand.objects.bulk_create(
        TextBand(
            complaint=complaint,
            band=band,
            dealer_id=complaint.dealer_id,
            received_at=complaint.received_at,
        )
        for band in keys
    )
    window = timedelta(days=conf.duplicate_window_days())
    candidate_ids = list(
        TextBand.objects.filter(
            band__in=keys,
            received_at__gte=complaint.received_at - window,
            received_at__lte=complaint.received_at + window,  # a late entry of an old complaint
        )
        .exclude(dealer_id=complaint.dealer_id)
        .values_list("complaint_id", flat=True)[:DUPLICATE_CANDIDATES]
    )
    counts = Counter(candidate_ids)  # more shared bands first: the likeliest duplicates
    ranked = [pk for pk, _ in counts.most_common(DUPLICATE_VERIFIED)]
    threshold = conf.duplicate_threshold_percent() / 100
    duplicates: list[tuple[Complaint, float]] = []
    for other in Complaint.objects.filter(pk__in=ranked).only("pk", "verbatim", "dealer_id", "received_at"):
        similarity = jaccard(grams, duplicate_text(other.verbatim))
        if similarity >= threshold:
            duplicates.append((other, similarity))
    for other, similarity in duplicates:
        newer, older = _ordered(complaint, other)
        ComplaintLink.objects.bulk_create(
            [
                ComplaintLink(
                    complaint=newer,
                    other=older,
                    reason=LinkReason.NEAR_DUPLICATE,
                    score=round(similarity, 3),
                    fault_area=fault,
                )
            ],
            ignore_conflicts=True,
        )
    found = [other for other, _ in duplicates]
    dealers = {complaint.dealer_id} | {other.dealer_id for other in found}
    if found and len(dealers) >= conf.duplicate_min_dealers():
        raise_quality_signal(
            manufacturer_id=manufacturer_id,
            model_name=model_key(model_name),
            fault=fault,
            complaints=[complaint, *found],
            later=signals,
        )
    return found


def _shared_terms(texts: list[str], limit: int = 8, *, model_name: str = "") -> list[str]:
    """Whole words several of the texts share (jieba + the lexicon), brand and model names
    masked — the signal's own model too, which every text names and the masker may not know
    (阿特兹 would leave 阿特): 突然 and 熄火, never the pair 然熄 that straddles them."""
    masked = [_MASKER(text) for text in texts]
    if len(model_name) >= 2:
        masked = [text.replace(model_name, BRAND_PLACEHOLDER) for text in masked]
    folded = re.sub(r"\s+", "", model_name)  # the texts may name a part: 昂克赛拉 of 马自达3昂克赛拉
    found = shared_words(masked, limit=limit + 8)
    return [word for word in found if word not in folded][:limit]


def raise_quality_signal(
    *,
    manufacturer_id: int,
    model_name: str,
    fault: str,
    complaints: list[Complaint],
    later: dict[int, QualitySignal] | None = None,
) -> QualitySignal:
    """Open (or grow) the quality signal for this model and fault area. With ``later``, the
    signal is put there to be recounted (and its people told) once for a whole batch."""
    received = [c.received_at for c in complaints]
    try:
        with transaction.atomic():
            signal, _ = QualitySignal.objects.get_or_create(
                manufacturer_id=manufacturer_id,
                model_name=model_name,
                fault_area=fault,
                status=SignalStatus.OPEN,
                defaults={"first_seen": min(received), "last_seen": max(received)},
            )
    except IntegrityError:  # opened concurrently by another intake
        signal = QualitySignal.objects.get(
            manufacturer_id=manufacturer_id,
            model_name=model_name,
            fault_area=fault,
            status=SignalStatus.OPEN,
        )
    signal.complaints.add(*complaints)
    if later is not None:
        later[signal.pk] = signal
        return signal
    _recount(signal)
    _tell_quality_staff(signal)
    return signal


def _recount(signal: QualitySignal) -> None:
    members = signal.complaints.all()
    stats = members.aggregate(first=Min("received_at"), last=Max("received_at"))
    signal.complaint_count = members.count()
    signal.dealer_count = members.values("dealer_id").distinct().count()
    signal.first_seen = stats["first"] or signal.first_seen
    signal.last_seen = stats["last"] or signal.last_seen
    recent = list(members.order_by("-received_at").values_list("verbatim", flat=True)[:20])
    signal.shared_terms = _shared_terms(recent, model_name=signal.model_name)
    signal.save()


def _leave_signals_of_other_faults(complaint: Complaint, fault: str) -> None:
    """An agent corrected the fault area: the complaint leaves the open signals of the old one
    (closed signals are history). A signal left with fewer dealers than it takes to open one
    is closed: what remains is no longer a pattern across dealers."""
    stale = QualitySignal.objects.filter(complaints=complaint, status=SignalStatus.OPEN).exclude(
        fault_area=fault
    )
    for signal in stale:
        signal.complaints.remove(complaint)
        _recount(signal)
        if signal.dealer_count < conf.duplicate_min_dealers():
            signal.status = SignalStatus.CLOSED
            signal.save(update_fields=["status", "updated_at"])


def _tell_quality_staff(signal: QualitySignal) -> None:
    """The carmaker's quality engineers (and CRC) hear of a signal when it opens and each time
    another dealer joins it — through the outbox, once per dealer count."""
    staff = User.objects.filter(
        is_active=True, organization_id=signal.manufacturer_id, role__in=[Role.QUALITY, Role.CRC_AGENT]
    )
    title = _("Possible quality issue: %(model)s, %(area)s — %(n)s complaints at %(d)s dealers") % {
        "model": signal.model_name,
        "area": FaultArea(signal.fault_area).label,
        "n": signal.complaint_count,
        "d": signal.dealer_count,
    }
    notify(
        recipients=staff,
        kind=Kind.QUALITY_SIGNAL,
        title=title,
        body="、".join(signal.shared_terms),
        key=f"quality:{signal.pk}:d{signal.dealer_count}",
    )
