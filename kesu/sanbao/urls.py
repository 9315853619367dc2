from django.urls import path

from . import views

app_name = "sanbao"
urlpatterns = [
    path("complaints/<int:complaint_id>/panel/", views.panel, name="panel"),
    path("complaints/<int:complaint_id>/repairs/", views.add_repair, name="add_repair"),
]
