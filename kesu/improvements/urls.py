from django.urls import path

from . import views

app_name = "improvements"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_new, name="new"),
    path("<int:action_id>/", views.action_detail, name="action"),
    path("<int:action_id>/edit/", views.action_edit, name="edit"),
    path("<int:action_id>/evidence/", views.action_evidence, name="evidence"),
    path("<int:action_id>/evidence/file/", views.evidence_file, name="evidence_file"),
    path("<int:action_id>/do/<slug:move>/", views.action_move, name="move"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/publish/", views.case_publish, name="publish"),
    path("cases/<int:case_id>/unpublish/", views.case_unpublish, name="unpublish"),
    path("complaints/<int:complaint_id>/new/", views.action_new, name="new_from_complaint"),
    path("complaints/<int:complaint_id>/case/", views.case_new, name="case_new"),
]
