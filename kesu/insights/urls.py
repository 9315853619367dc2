from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("live/", views.live, name="live"),
    path("complaints/<int:complaint_id>/panel/", views.panel, name="panel"),
    path("complaints/<int:complaint_id>/decide/", views.decide, name="decide"),
    path("quality-signals/", views.quality_signals, name="quality_signals"),
]
