"""The per-organisation forbidden-phrase list: read by members, edited by managers."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden, NotFound, one_of
from kesu.core.validators import too_long
from kesu.language.access import can_manage
from kesu.language.choices import Situation
from kesu.language.matcher import PatternError, pattern_problems
from kesu.language.models import ForbiddenPhrase, LanguageProfile
from kesu.organizations.models import User

from .common import clean_text, invalid, resolve_organization
from .guard import ensure_profile
from .seeding import new_stamp

CONTEXT_FIELDS = ("variants", "polite_before", "polite_after")
EDITABLE = ("phrase", "pattern", "exceptions", *CONTEXT_FIELDS, "alternative", "situation", "is_active")
LIMITS = {
    "phrase": 100,
    "pattern": 500,
    "exceptions": 1000,
    "variants": 1000,
    "polite_before": 1000,
    "polite_after": 1000,
    "alternative": 300,
}


def _pattern_message(error: PatternError) -> str:
    if error.code == "single_character":
        return _(
            "“%(wording)s” is a single character and would match almost anything; add context or ^ / $."
        ) % {"wording": error.wording}
    return _("Nothing to match: write at least two characters.")


def _clean(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "is_active":
            if not isinstance(value, bool):
                errors[name] = _("Yes or no.")
            cleaned[name] = value
            continue
        if not isinstance(value, str):
            errors[name] = _("Text expected.")
            continue
        text = clean_text(value)
        if name in LIMITS and len(text) > LIMITS[name]:
            errors[name] = too_long(LIMITS[name])
        cleaned[name] = text
    if "phrase" in cleaned and not cleaned["phrase"]:
        errors["phrase"] = _("Write the forbidden phrase.")
    if "alternative" in cleaned and not cleaned["alternative"]:
        errors["alternative"] = _("Every forbidden phrase needs its polite alternative (服务用语).")
    if "situation" in cleaned and cleaned["situation"] not in Situation.values:
        errors["situation"] = one_of(Situation.values)
    return cleaned, errors


def _check_patterns(entry: ForbiddenPhrase, errors: dict[str, str]) -> None:
    if "phrase" in errors:
        return
    problems = pattern_problems(
        phrase=entry.phrase,
        pattern=entry.pattern,
        exceptions=entry.exceptions,
        variants=entry.variants,
        polite_before=entry.polite_before,
        polite_after=entry.polite_after,
    )
    for name, problem in problems.items():
        errors.setdefault(name, _pattern_message(problem))


def _touch(organization_id: int) -> None:
    """A new stamp: every process recompiles this organisation's matcher on its next check."""
    LanguageProfile.objects.filter(organization_id=organization_id).update(stamp=new_stamp())


def list_phrases(*, actor: User, organization_id: int | None = None) -> QuerySet[ForbiddenPhrase]:
    org_id = resolve_organization(actor, organization_id)
    ensure_profile(org_id)
    return ForbiddenPhrase.objects.filter(organization_id=org_id).order_by("situation", "phrase")


def get_phrase(*, actor: User, phrase_id: int) -> ForbiddenPhrase:
    entry = ForbiddenPhrase.objects.visible_to(actor).filter(pk=phrase_id).first()
    if entry is None:
        raise NotFound(_("No such phrase."))
    return entry  # type: ignore[no-any-return]


def _require_manager(actor: User, organization_id: int) -> None:
    if not can_manage(actor, organization_id):
        raise Forbidden(_("Only the service manager or general manager edits this list."))


def _save(entry: ForbiddenPhrase) -> ForbiddenPhrase:
    try:
        with transaction.atomic():
            entry.save()
            _touch(entry.organization_id)
    except IntegrityError as exc:
        message = _("This phrase is already in the list.")
        raise invalid({"phrase": message}) from exc
    return entry


def create_phrase(
    *,
    actor: User,
    phrase: str,
    alternative: str,
    situation: str = Situation.OTHER,
    pattern: str = "",
    exceptions: str = "",
    variants: str = "",
    polite_before: str = "",
    polite_after: str = "",
    is_active: bool = True,
    organization_id: int | None = None,
) -> ForbiddenPhrase:
    org_id = resolve_organization(actor, organization_id)
    _require_manager(actor, org_id)
    ensure_profile(org_id)
    cleaned, errors = _clean(
        {
            "phrase": phrase,
            "alternative": alternative,
            "situation": situation,
            "pattern": pattern,
            "exceptions": exceptions,
            "variants": variants,
            "polite_before": polite_before,
            "polite_after": polite_after,
            "is_active": is_active,
        }
    )
    entry = ForbiddenPhrase(organization_id=org_id, updated_by=actor, **cleaned)
    _check_patterns(entry, errors)
    if errors:
        raise invalid(errors)
    return _save(entry)


def update_phrase(*, actor: User, phrase_id: int, changes: dict[str, Any]) -> ForbiddenPhrase:
    entry = get_phrase(actor=actor, phrase_id=phrase_id)
    _require_manager(actor, entry.organization_id)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise invalid({name: _("Not editable.") for name in unknown})
    cleaned, errors = _clean(changes)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    _check_patterns(entry, errors)
    if errors:
        raise invalid(errors)
    entry.updated_by = actor
    return _save(entry)


def delete_phrase(*, actor: User, phrase_id: int) -> None:
    entry = get_phrase(actor=actor, phrase_id=phrase_id)
    _require_manager(actor, entry.organization_id)
    with transaction.atomic():
        entry.delete()
        _touch(entry.organization_id)
