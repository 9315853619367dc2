from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("policies/", views.policy_list, name="policies"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("complaints/<int:complaint_id>/pause/", views.pause, name="pause"),
    path("complaints/<int:complaint_id>/resume/", views.resume, name="resume"),
    path("complaints/<int:complaint_id>/revisit/", views.revisit, name="revisit"),
]
