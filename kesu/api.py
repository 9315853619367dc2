"""The REST API v1 root: one NinjaAPI with every app's router, bearer tokens on every call.

At the top of the project (only ``kesu/urls.py`` imports it): the apps' ``api.py`` modules
never know about one another, and ``core`` knows none of them.
"""

from kesu.administration.api import router as administration_router
from kesu.complaints.api import router as complaints_router
from kesu.complaints.api import rules_router as assignment_rules_router
from kesu.core.api import api_not_found, new_api
from kesu.customers.api import router as customers_router
from kesu.customers.imports_api import router as imports_router
from kesu.documents.api import router as documents_router
from kesu.documents.api import template_router as letter_template_router
from kesu.exports.api import router as exports_router
from kesu.insights.api import router as insights_router
from kesu.language.api import router as language_router
from kesu.notifications.api import router as notifications_router
from kesu.organizations.api import BearerToken
from kesu.organizations.api import router as auth_router
from kesu.sla.api import router as sla_router

api = new_api(auth=BearerToken())
api.add_router("/v1/auth", auth_router)
api.add_router("/v1", administration_router)
api.add_router("/v1", exports_router)  # before customers: /customers/export is not an id
api.add_router("/v1", customers_router)
api.add_router("/v1/imports", imports_router)
api.add_router("/v1/complaints", complaints_router)
api.add_router("/v1/assignment-rules", assignment_rules_router)
api.add_router("/v1/complaints", sla_router)
api.add_router("/v1/complaints", documents_router)
api.add_router("/v1/documents", letter_template_router)
api.add_router("/v1/notifications", notifications_router)
api.add_router("/v1/language", language_router)
api.add_router("/v1/insights", insights_router)

__all__ = ["api", "api_not_found"]
