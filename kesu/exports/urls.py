from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("complaints.<str:fmt>", views.export_complaints, name="complaints"),
    path("customers.<str:fmt>", views.export_customers, name="customers"),
    path("logs/", views.export_logs, name="logs"),
]
