from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_new, name="new"),
    path("lookup/", views.lookup, name="lookup"),
    path("<int:call_id>/", views.call_detail, name="call"),
    path("<int:call_id>/to-complaint/", views.call_to_complaint, name="to_complaint"),
    path("audits/", views.audits, name="audits"),
    path("audits/scores/", views.audit_scores, name="scores"),
    path("audits/<int:audit_id>/", views.audit_score, name="audit"),
]
