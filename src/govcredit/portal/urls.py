from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("subjects/<str:code>/", views.subject_detail, name="subject"),
    path("subjects/<str:code>/print/", views.subject_print, name="subject_print"),
    path("subjects/<str:code>/report.pdf", views.subject_report, name="subject_report"),
    path("reports/verify/", views.report_verify, name="report_verify"),
    path("records/", views.record_list, name="records"),
    path("records/<str:record_id>/", views.record_detail, name="record"),
    path("honours/", views.honours, name="honours"),
    path("integrity/", views.integrity, name="integrity"),
    path("notices/", views.notices, name="notices"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/records.csv", views.export_csv, name="export_csv"),
    path("open-data/records.json", views.export_json, name="export_json"),
    path("feed.atom", views.feed, name="feed"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/transparency-log.json", views.ledger_download, name="ledger_download"),
    path("ledger/verify_ledger.py", views.verify_script, name="verify_script"),
    # Pages other apps own but the public reaches through the portal:
    path("verify-report/", include("govcredit.sanctions.portal_urls")),
    path("bidding/", include("govcredit.bidding.portal_urls")),
    path("debt/", include("govcredit.debt.portal_urls")),
    path("", include("govcredit.disputes.portal_urls")),  # objections/new/, repairs/new/, cases/
    path("", include("govcredit.contracts.portal_urls")),  # contracts/, arrears-disclosure/
    path("", include("govcredit.ppp.portal_urls")),  # ppp/
]
