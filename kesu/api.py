"""The REST API v1 root: one NinjaAPI with every app's router, bearer tokens on every call.

At the top of the project (only ``kesu/urls.py`` imports it): the apps' ``api.py`` modules
never know about one another, and ``core`` knows none of them.
"""

from kesu.administration.api import router as administration_router
from kesu.appointments.api import router as appointments_router
from kesu.approvals.api import router as approvals_router
from kesu.assistant.api import router as assistant_router
from kesu.calls.api import router as calls_router
from kesu.care.api import router as care_router
from kesu.carmaker.api import router as carmaker_router
from kesu.complaints.api import router as complaints_router
from kesu.complaints.api import rules_router as assignment_rules_router
from kesu.core.api import api_not_found, new_api
from kesu.customers.api import router as customers_router
from kesu.customers.imports_api import router as imports_router
from kesu.documents.api import router as documents_router
from kesu.documents.api import template_router as letter_template_router
from kesu.exports.api import router as exports_router
from kesu.followups.api import router as followups_router
from kesu.improvements.api import router as improvements_router
from kesu.insights.api import router as insights_router
from kesu.language.api import router as language_router
from kesu.notifications.api import router as notifications_router
from kesu.organizations.api import BearerToken
from kesu.organizations.api import router as auth_router
from kesu.reports.api import router as reports_router
from kesu.resolutions.api import (
    accountability_router,
    investigation_router,
    options_router,
    routing_router,
    sheets_router,
)
from kesu.sanbao.api import router as sanbao_router
from kesu.sla.api import router as sla_router
from kesu.worklist.api import router as worklist_router

api = new_api(auth=BearerToken())
api.add_router("/v1/auth", auth_router)
api.add_router("/v1", administration_router)
api.add_router("/v1", approvals_router)  # /approvals, /authority-limits, /payments
api.add_router("/v1", exports_router)  # before customers: /customers/export is not an id
api.add_router("/v1", customers_router)
api.add_router("/v1", followups_router)
api.add_router("/v1", sanbao_router)  # /vehicles/{id}/repairs, /complaints/{id}/sanbao, /imports/repairs
api.add_router("/v1/imports", imports_router)
api.add_router("/v1/complaints", complaints_router)
api.add_router("/v1", carmaker_router)  # /complaints/{id}/instructions…, /help-requests…
api.add_router("/v1/assignment-rules", assignment_rules_router)
api.add_router("/v1/complaints", sla_router)
api.add_router("/v1/worklist", worklist_router)
api.add_router("/v1/complaints", documents_router)
api.add_router("/v1/documents", letter_template_router)
api.add_router("/v1/notifications", notifications_router)
api.add_router("/v1/language", language_router)
api.add_router("/v1", reports_router)  # /insights/dashboard, /reports/monthly, /jobs…
api.add_router("/v1/insights", insights_router)
api.add_router("/v1/assistant", assistant_router)  # the optional AI assistant
api.add_router("/v1", care_router)
api.add_router("/v1", calls_router)  # /calls…, /call-audits…
api.add_router("/v1", improvements_router)  # /improvements…, /cases…
api.add_router("/v1", appointments_router)  # /appointment-slots, /appointments…, /appointment-report
api.add_router("/v1/routing-rules", routing_router)  # resolutions (R1): routing, 联络单, accountability
api.add_router("/v1/complaints", investigation_router)
api.add_router("/v1/contact-sheets", sheets_router)
api.add_router("/v1", accountability_router)
api.add_router("/v1", options_router)  # resolutions (R2): /complaints/{id}/options…, 处理协议

__all__ = ["api", "api_not_found"]
