from django.urls import path

from . import views

app_name = "worklist"
urlpatterns = [
    path("", views.home, name="home"),
    path("worklist/", views.day, name="day"),
]
