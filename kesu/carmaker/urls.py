from django.urls import path

from . import views

app_name = "carmaker"
urlpatterns = [
    path("complaints/<int:complaint_id>/panel/", views.panel, name="panel"),
    path("complaints/<int:complaint_id>/instructions/", views.instruct, name="instruct"),
    path("complaints/<int:complaint_id>/help/", views.ask_help, name="ask_help"),
    path("complaints/<int:complaint_id>/takeover/", views.take_over, name="take_over"),
    path("complaints/<int:complaint_id>/media/", views.log_media, name="log_media"),
    path("complaints/<int:complaint_id>/statements/", views.draft_statement, name="draft_statement"),
    path("complaints/<int:complaint_id>/incident-report/", views.incident_report, name="incident_report"),
    path("complaints/<int:complaint_id>/incident-report.pdf", views.incident_pdf, name="incident_pdf"),
    path("instructions/<int:instruction_id>/answer/", views.instruction_answer, name="instruction_answer"),
    path("statements/<int:statement_id>/decide/", views.decide_statement, name="decide_statement"),
    path("help-requests/", views.help_requests, name="help_requests"),
    path("help-requests/<int:request_id>/answer/", views.help_answer, name="help_answer"),
]
