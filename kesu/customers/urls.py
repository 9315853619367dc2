from django.urls import path

from . import imports_views, views

app_name = "customers"
urlpatterns = [
    path("lookup/", views.customer_lookup, name="lookup"),
    path("import/", imports_views.import_page, name="import"),
    path("import/confirm/", imports_views.import_confirm, name="import_confirm"),
    path("<int:customer_id>/", views.customer_detail, name="customer"),
    path("<int:customer_id>/reveal-phone/", views.customer_reveal_phone, name="reveal_phone"),
    path("<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<int:customer_id>/merge/", views.customer_merge, name="merge"),
    path("<int:customer_id>/erase/", views.customer_erase, name="erase"),
    path("vehicles/<int:vehicle_id>/edit/", views.vehicle_edit, name="vehicle_edit"),
]
