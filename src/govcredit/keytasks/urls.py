from django.urls import path

from . import views

app_name = "keytasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:number>/", views.task_detail, name="detail"),
    path("<int:number>/report/", views.report_new, name="report"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
