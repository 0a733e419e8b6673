from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("stats/", views.statistics, name="stats"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("<int:pk>/<slug:action>/", views.case_action, name="action"),
]
