from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    path("template.<str:ext>", views.template, name="template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/report.csv", views.report, name="report"),
]
