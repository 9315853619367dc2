from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.care_lists, name="lists"),
    path("sms/", views.care_list_sms, name="list_sms"),
    path("letters.csv", views.care_letters, name="letters"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("items/<int:item_id>/", views.care_item, name="item"),
    path("items/<int:item_id>/outcome/", views.care_item_outcome, name="outcome"),
    path("items/<int:item_id>/sms/", views.care_item_sms, name="item_sms"),
]
