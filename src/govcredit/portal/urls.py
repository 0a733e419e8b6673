from django.urls import include, path

app_name = "portal"
urlpatterns: list = [
    # Pages other apps own but the public reaches through the portal:
    path("verify-report/", include("govcredit.sanctions.portal_urls")),
    path("", include("govcredit.disputes.portal_urls")),  # objections/new/, repairs/new/, cases/
]
