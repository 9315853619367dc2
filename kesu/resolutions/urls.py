from django.urls import path

from . import views

app_name = "resolutions"
urlpatterns = [
    # --- countermeasure options, the customer's answer, the 处理协议 (R2) ---
    path("complaints/<int:complaint_id>/options/", views.options_panel, name="options"),
    path("complaints/<int:complaint_id>/options/new/", views.option_create, name="option_create"),
    path(
        "complaints/<int:complaint_id>/options/<int:option_id>/propose/",
        views.option_propose,
        name="option_propose",
    ),
    path(
        "complaints/<int:complaint_id>/options/<int:option_id>/answer/",
        views.option_answer,
        name="option_answer",
    ),
    path(
        "complaints/<int:complaint_id>/options/<int:option_id>/agreement.pdf",
        views.agreement_pdf,
        name="agreement_pdf",
    ),
    # --- routing rules, contact sheets (联络单), the GM's findings, accountability (R1) ---
    path("routing/<int:dealer_id>/", views.routing_rules, name="routing"),
    path("complaints/<int:complaint_id>/investigation/", views.investigation_panel, name="investigation"),
    path("complaints/<int:complaint_id>/contact-sheets/", views.sheet_send, name="sheet_send"),
    path("contact-sheets/<int:sheet_id>/answer/", views.sheet_answer, name="sheet_answer"),
    path("contact-sheets/<int:sheet_id>/rework/", views.sheet_rework, name="sheet_rework"),
    path("complaints/<int:complaint_id>/findings-decision/", views.findings_decide, name="findings_decide"),
    path("complaints/<int:complaint_id>/responsibility/", views.responsibility_record, name="responsibility"),
    path("complaints/<int:complaint_id>/penalty-notices/", views.notice_propose, name="notice_propose"),
    path("penalty-notices/", views.notices_page, name="notices"),
    path("penalty-notices/<int:notice_id>/decide/", views.notice_decide, name="notice_decide"),
    path("penalty-notices/<int:notice_id>/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
]
