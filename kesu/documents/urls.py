from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("complaints/<int:complaint_id>/panel/", views.panel, name="panel"),
    path("complaints/<int:complaint_id>/written-answer/", views.send, name="send"),
    path("complaints/<int:complaint_id>/registration.pdf", views.registration_pdf, name="registration_pdf"),
    path("complaints/<int:complaint_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("letter-template/", views.letter_template, name="letter_template"),
]
