from django.urls import path

from . import views

app_name = "bidding"
urlpatterns = [
    path("", views.home, name="home"),
    path("violations/new/", views.violation_new, name="violation_new"),
    path("roles/", views.roles, name="roles"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/verify/", views.report_verify, name="report_verify"),
    path("checks/", views.bid_checks, name="bid_checks"),
    path("checks/<int:pk>/", views.bid_check_detail, name="bid_check"),
    path("checks/<int:pk>/<int:position>.pdf", views.bidder_pdf, name="bidder_pdf"),
]
