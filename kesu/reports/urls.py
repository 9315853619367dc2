from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("packs/", views.jobs, name="jobs"),
    path("packs/new/", views.request_pack, name="request_pack"),
    path("packs/<int:job_id>/<str:name>", views.job_file, name="job_file"),
]
