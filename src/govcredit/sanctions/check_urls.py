from django.urls import path

from . import views

app_name = "checks"
urlpatterns = [
    path("", views.check_list, name="list"),
    path("new/", views.check_new, name="new"),
    path("<str:serial>/", views.check_detail, name="detail"),
    path("<str:serial>/report.pdf", views.check_pdf, name="pdf"),
]
