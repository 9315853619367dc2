"""Service-language rules, called alike by pages, the API and other apps.

The guard other apps call before any customer-facing text is sent or saved::

    from kesu.language.services import ForbiddenPhraseError, check_text, guard_customer_text
"""

from .common import ForbiddenPhraseError, clean_text
from .guard import (
    check_for,
    check_text,
    default_matcher,
    ensure_profile,
    guard_customer_text,
    matcher_for,
    override_report,
)
from .library import (
    PLACEHOLDERS,
    decide_template,
    fill,
    get_template,
    library,
    objection_ranking,
    placeholder_values,
    propose_template,
    render_template,
)
from .phrases import create_phrase, delete_phrase, get_phrase, list_phrases, update_phrase
from .replies import get_reply, list_replies, send_reply

__all__ = [
    "PLACEHOLDERS",
    "ForbiddenPhraseError",
    "check_for",
    "check_text",
    "clean_text",
    "create_phrase",
    "decide_template",
    "default_matcher",
    "delete_phrase",
    "ensure_profile",
    "fill",
    "get_phrase",
    "get_reply",
    "get_template",
    "guard_customer_text",
    "library",
    "list_phrases",
    "list_replies",
    "matcher_for",
    "objection_ranking",
    "override_report",
    "placeholder_values",
    "propose_template",
    "render_template",
    "send_reply",
    "update_phrase",
]
