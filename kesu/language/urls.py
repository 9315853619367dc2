from django.urls import path

from . import views

app_name = "language"
urlpatterns = [
    path("check/", views.check, name="check"),
    path("complaints/<int:complaint_id>/composer/", views.composer, name="composer"),
    path("complaints/<int:complaint_id>/insert/", views.insert, name="insert"),
    path("complaints/<int:complaint_id>/reply/", views.send, name="send"),
    path("phrases/", views.phrases, name="phrases"),
    path("phrases/<int:phrase_id>/", views.phrase_edit, name="phrase_edit"),
    path("phrases/<int:phrase_id>/delete/", views.phrase_delete, name="phrase_delete"),
    path("replies/", views.replies, name="replies"),
    path(
        "replies/<int:template_id>/approve/",
        views.reply_decide,
        {"decision": "approve"},
        name="reply_approve",
    ),
    path(
        "replies/<int:template_id>/reject/",
        views.reply_decide,
        {"decision": "reject"},
        name="reply_reject",
    ),
    path("overrides/", views.overrides, name="overrides"),
]
