from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("complaints/new/", views.intake, name="intake"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:complaint_id>/do/<slug:action>/", views.complaint_transition, name="transition"),
    path("complaints/<int:complaint_id>/edit/", views.complaint_edit, name="edit"),
    path("complaints/<int:complaint_id>/attach/", views.complaint_attach, name="attach"),
    path("complaints/<int:complaint_id>/assign/", views.complaint_assign, name="assign"),
    path("complaints/<int:complaint_id>/transfer/", views.complaint_transfer, name="transfer"),
]
