from django.urls import include, path, re_path

from kesu.api import api, api_not_found
from kesu.ops.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # anonymous: web, database, workers, backlogs
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sla/", include("kesu.sla.urls")),
    path("notifications/", include("kesu.notifications.urls")),
    path("language/", include("kesu.language.urls")),
    path("insights/", include("kesu.insights.urls")),
    path("customers/", include("kesu.customers.urls")),
    path("followups/", include("kesu.followups.urls")),
    path("manage/", include("kesu.administration.urls")),
    path("documents/", include("kesu.documents.urls")),
    path("resolutions/", include("kesu.resolutions.urls")),
    path("exports/", include("kesu.exports.urls")),
    path("sanbao/", include("kesu.sanbao.urls")),
    path("approvals/", include("kesu.approvals.urls")),
    path("care/", include("kesu.care.urls")),
    path("calls/", include("kesu.calls.urls")),
    path("appointments/", include("kesu.appointments.urls")),
    path("carmaker/", include("kesu.carmaker.urls")),
    path("assistant/", include("kesu.assistant.urls")),
    path("improvements/", include("kesu.improvements.urls")),
    path("reports/", include("kesu.reports.urls")),
    path("", include("kesu.worklist.urls")),  # the home page: an agent's day, or the queue
    path("", include("kesu.complaints.urls")),
    path("", include("kesu.web.urls")),
]

# the error pages in the UI's language, with the navigation (kesu/web/errors.py)
handler403 = "kesu.web.errors.forbidden"
handler404 = "kesu.web.errors.not_found"
handler500 = "kesu.web.errors.server_error"
