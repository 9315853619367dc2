from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("lookup/", views.customer_lookup, name="lookup"),
    path("<int:customer_id>/", views.customer_detail, name="customer"),
    path("<int:customer_id>/reveal-phone/", views.customer_reveal_phone, name="reveal_phone"),
]
