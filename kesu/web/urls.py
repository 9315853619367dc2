from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "web"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="web:queue"), name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("queue/", views.queue, name="queue"),
    path("complaints/new/", views.intake, name="intake"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path(
        "complaints/<int:complaint_id>/do/<slug:action>/",
        views.complaint_transition,
        name="transition",
    ),
    path("complaints/<int:complaint_id>/edit/", views.complaint_edit, name="edit"),
    path("complaints/<int:complaint_id>/attach/", views.complaint_attach, name="attach"),
    path("customers/lookup/", views.customer_lookup, name="customer_lookup"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer"),
    path(
        "customers/<int:customer_id>/reveal-phone/",
        views.customer_reveal_phone,
        name="reveal_phone",
    ),
]
