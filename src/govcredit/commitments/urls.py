from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("new/", views.commitment_new, name="new"),
    path("import/", views.import_view, name="import"),
    path("board/", views.board_view, name="board"),
    path("board/<int:unit_id>/remind/", views.board_remind, name="remind"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
    path("<int:pk>/publish/", views.commitment_publish, name="publish"),
    path("<int:pk>/withdraw/", views.commitment_withdraw, name="withdraw"),
    path("<int:pk>/reports/", views.report_add, name="report_add"),
    path("<int:pk>/reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("<int:pk>/assess/", views.commitment_assess, name="assess"),
    path("<int:pk>/change/", views.commitment_change, name="change"),
    path("<int:pk>/pledge.pdf", views.commitment_pdf, name="pdf"),
]
