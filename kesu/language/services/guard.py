"""The forbidden-phrase guard: check a text, block it, or let it pass with a logged reason.

Other apps call :func:`guard_customer_text` before any customer-facing text is sent or saved
(replies, SMS, agreement text, call notes said to the customer)::

    from kesu.language.services import guard_customer_text

    guard_customer_text(actor=user, text=sms_body, override_reason=form_reason,
                        context="sms", complaint=complaint)

It raises :class:`ForbiddenPhraseError` (422, code ``forbidden_phrase``, fields ``{"text": …}``)
while the text contains a forbidden phrase and no override reason is given.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
from kesu.core.caches import ProcessCache
from kesu.core.errors import Forbidden, InvalidInput
from kesu.core.months import month_bounds
from kesu.core.validators import too_long
from kesu.language.access import can_manage, list_owner_id
from kesu.language.choices import GuardContext
from kesu.language.matcher import MAX_CHECK_CHARS, GuardResult, Matcher, PhraseEntry
from kesu.language.models import ForbiddenPhrase, GuardOverride, LanguageProfile, ReplyTemplate
from kesu.language.selectors import seed_entries
from kesu.organizations.models import User

from .common import ForbiddenPhraseError, clean_text, resolve_organization
from .seeding import seed_into

log = logging.getLogger(__name__)
MAX_REASON = 500

# organisation id → (profile stamp, compiled matcher). Every process keeps its own; the stamp,
# read from the database on each check (one indexed row), says when an edit made it stale.
_MATCHERS: ProcessCache[int, tuple[str, Matcher]] = ProcessCache("language.matchers", ttl=None)
_DEFAULT: ProcessCache[None, Matcher] = ProcessCache("language.default_matcher", ttl=None)


def default_matcher() -> Matcher:
    """The seed list, for checks made outside any organisation."""
    return _DEFAULT.get_or_set(None, lambda: Matcher(seed_entries(), learned=True))


def ensure_profile(organization_id: int) -> LanguageProfile:
    """The organisation's profile, loading the seed lists on first use."""
    profile = (
        LanguageProfile.objects.filter(organization_id=organization_id)
        .only("pk", "stamp", "phrases_seeded_at", "replies_seeded_at")
        .first()
    )
    if profile is None or profile.phrases_seeded_at is None or profile.replies_seeded_at is None:
        profile = seed_into(
            organization_id,
            profile_model=LanguageProfile,
            phrase_model=ForbiddenPhrase,
            template_model=ReplyTemplate,
        )
    return profile


def _compile(organization_id: int) -> Matcher:
    entries: list[PhraseEntry] = []
    rows = ForbiddenPhrase.objects.filter(organization_id=organization_id, is_active=True)
    for row in rows.order_by("pk"):
        entry = PhraseEntry(
            phrase=row.phrase,
            alternative=row.alternative,
            situation=row.situation,
            pattern=row.pattern,
            exceptions=row.exceptions,
            entry_id=row.pk,
            variants=row.variants,
            polite_before=row.polite_before,
            polite_after=row.polite_after,
        )
        entries.append(entry)
    matcher = Matcher(entries, skip_invalid=True, learned=True)
    for entry in matcher.skipped:  # saved through a path that did not validate: skip, do not crash
        log.warning("forbidden phrase %s of org %s does not compile", entry.entry_id, organization_id)
    return matcher


def matcher_for(organization_id: int | None) -> Matcher:
    if organization_id is None:
        return default_matcher()
    stamp = ensure_profile(organization_id).stamp
    cached = _MATCHERS.get(organization_id)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    matcher = _compile(organization_id)
    _MATCHERS.set(organization_id, (stamp, matcher))
    return matcher


def check_text(*, organization_id: int | None, text: str) -> GuardResult:
    """Forbidden phrases and advisories in ``text`` by the organisation's list (None: seeds).

    Texts longer than :data:`MAX_CHECK_CHARS` are checked up to that length and the result
    says ``truncated``. Never raises for odd input (empty, binary junk, emoji).
    """
    return matcher_for(organization_id).check(text)


def check_for(*, actor: User, text: str, organization_id: int | None = None) -> GuardResult:
    """The check as a user sees it: their own list, or one they may view."""
    if organization_id is None and list_owner_id(actor) is None:
        return check_text(organization_id=None, text=text)
    return check_text(organization_id=resolve_organization(actor, organization_id), text=text)


def describe_hits(result: GuardResult) -> str:
    parts = [
        _("“%(matched)s” (say: %(suggestion)s)") % {"matched": hit.matched, "suggestion": hit.suggestion}
        for hit in result.hits[:5]
    ]
    return _("Forbidden phrases: %(list)s. Rephrase, or give a reason to send it anyway.") % {
        "list": "; ".join(parts)
    }


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def guard_customer_text(
    *,
    actor: User,
    text: str,
    override_reason: str | None = None,
    context: str = GuardContext.OTHER,
    complaint: Complaint | None = None,
) -> GuardResult:
    """Check a customer-facing text before it is sent or saved.

    * no forbidden phrase: returns the result (advisories may be present; they never block);
    * forbidden phrases and no reason: raises :class:`ForbiddenPhraseError`;
    * forbidden phrases and a reason: logs a :class:`GuardOverride` and returns the result
      with ``result.override`` set (the caller may link it).

    The actor's list applies; an administrator without an organisation gets the complaint's
    dealer list (or the seed list). Texts too long to check are refused (422 ``text_too_long``).
    """
    organization_id = list_owner_id(actor)
    if organization_id is None and complaint is not None:
        organization_id = complaint.dealer_id
    result = check_text(organization_id=organization_id, text=text)
    if result.truncated:
        message = _("At most %(n)d characters can be checked and sent.") % {"n": MAX_CHECK_CHARS}
        raise InvalidInput(message, fields={"text": message}, code="text_too_long")
    if result.ok:
        return result
    reason = clean_text(override_reason or "")
    if not reason:
        message = describe_hits(result)
        raise ForbiddenPhraseError(message, fields={"text": message})
    if len(reason) > MAX_REASON:
        message = too_long(MAX_REASON)
        raise InvalidInput(message, fields={"override_reason": message})
    if context not in GuardContext.values:
        context = GuardContext.OTHER
    cleaned = clean_text(text)
    result.override = GuardOverride.objects.create(
        user=actor,
        organization_id=organization_id,
        complaint=complaint,
        context=context,
        text_hash=_text_hash(cleaned),
        excerpt=cleaned[:200],
        phrases=result.phrases,
        reason=reason,
    )
    return result


# --- the monthly review -------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideCount:
    user_id: int
    name: str
    count: int


@dataclass(frozen=True)
class OverrideReport:
    organization_id: int
    month: date
    total: int
    by_agent: list[OverrideCount]
    recent: list[GuardOverride]


def override_report(*, actor: User, month: date, organization_id: int | None = None) -> OverrideReport:
    """Overrides per agent in a month — for the DCRC monthly review (managers only)."""
    org_id = resolve_organization(actor, organization_id)
    if not can_manage(actor, org_id):
        raise Forbidden(_("Only managers see the override review."))
    start, end = month_bounds(month)
    rows = GuardOverride.objects.filter(organization_id=org_id, at__gte=start, at__lt=end)
    counts = rows.values("user_id").annotate(n=Count("pk")).order_by("-n", "user_id")
    users = {u.pk: u for u in User.objects.filter(pk__in=[c["user_id"] for c in counts])}
    by_agent = [
        OverrideCount(c["user_id"], str(users[c["user_id"]]), c["n"]) for c in counts if c["user_id"] in users
    ]
    return OverrideReport(
        organization_id=org_id,
        month=month.replace(day=1),
        total=sum(c.count for c in by_agent),
        by_agent=by_agent,
        recent=list(rows.select_related("user", "complaint")[:50]),
    )
