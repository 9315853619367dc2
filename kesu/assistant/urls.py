from django.urls import path

from . import views

app_name = "assistant"
urlpatterns = [
    path("complaints/<int:complaint_id>/panel/", views.panel, name="panel"),
    path("complaints/<int:complaint_id>/summary/", views.summary, name="summary"),
    path("complaints/<int:complaint_id>/draft/", views.draft, name="draft"),
    path("settings/", views.settings_page, name="settings"),
    path("exchanges/", views.exchanges_page, name="exchanges"),
]
