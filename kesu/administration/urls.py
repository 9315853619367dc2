from django.urls import path

from . import views

app_name = "administration"
urlpatterns = [
    path("", views.index, name="index"),
    path("organizations/<int:organization_id>/", views.organization, name="organization"),
    path("organizations/<int:organization_id>/hours/", views.hours, name="hours"),
    path("organizations/<int:organization_id>/robots/", views.robots, name="robots"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("log/", views.log, name="log"),
    path("privacy/", views.privacy, name="privacy"),
]
