from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="read_all"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("outbox/", views.outbox, name="outbox"),
]
