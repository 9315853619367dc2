from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.appointment_list, name="list"),
    path("new/", views.book, name="new"),
    path("slots/", views.slots, name="slots"),
    path("slot-choices/", views.slot_choices, name="slot_choices"),
    path("report/", views.report, name="report"),
    path("board/", views.board, name="board"),
    path("board/rows/", views.board_rows, name="board_rows"),
    path("book-inline/", views.book_inline, name="book_inline"),
    path("<int:appointment_id>/", views.detail, name="detail"),
    path("<int:appointment_id>/confirm/", views.confirm, name="confirm"),
    path("<int:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("<int:appointment_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:appointment_id>/arrived/", views.arrived, name="arrived"),
    path("<int:appointment_id>/no-show/", views.no_show, name="no_show"),
]
