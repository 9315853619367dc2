from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("nav/", views.nav, name="nav"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path("payments/<int:task_id>/paid/", views.paid, name="paid"),
]
