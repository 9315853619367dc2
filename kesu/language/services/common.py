"""Helpers shared by the language services: text hygiene, the list owner, the errors."""

import re

from django.utils.translation import gettext as _

from kesu.core.errors import DomainError, InvalidInput, NotFound
from kesu.language.access import can_view, list_owner_id
from kesu.organizations.models import Organization, User

# C0 controls other than tab and line breaks, and lone surrogates: PostgreSQL refuses NUL and
# UTF-8 cannot carry a surrogate, so neither is ever stored.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class ForbiddenPhraseError(DomainError):
    """The text contains forbidden phrases and no override reason was given."""

    status = 422
    code = "forbidden_phrase"


def clean_text(text: str) -> str:
    """The text as it may be stored: line breaks unified, unstorable characters removed."""
    return _UNSTORABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def invalid(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput(next(iter(fields.values())), fields=fields)


def resolve_organization(actor: User, organization_id: int | None) -> int:
    """The list an actor works on: the one asked for (if visible to them) or their own."""
    if organization_id is None:
        owner = list_owner_id(actor)
        if owner is None:
            raise InvalidInput(
                _("Choose the organisation whose list you mean."),
                fields={"organization_id": _("Required for users without an organisation.")},
            )
        return owner
    if not can_view(actor, organization_id) or not Organization.objects.filter(pk=organization_id).exists():
        raise NotFound(_("No such organisation."))
    return organization_id
