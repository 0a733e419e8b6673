from django.urls import path

from . import views

app_name = "sanctions_portal"
urlpatterns = [
    path("", views.verify_report, name="verify_report"),
]
