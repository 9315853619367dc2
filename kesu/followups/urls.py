from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("", views.followup_list, name="list"),
    path("<int:followup_id>/", views.detail, name="detail"),
    path("<int:followup_id>/outcome/", views.outcome, name="outcome"),
]
