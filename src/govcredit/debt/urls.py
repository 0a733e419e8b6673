from django.urls import path

from . import views

app_name = "debt"
urlpatterns = [
    path("", views.home, name="home"),
    path("snapshots/new/", views.snapshot_new, name="snapshot_new"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("snapshots/<int:pk>/<str:action>/", views.snapshot_action, name="snapshot_action"),
    path("limits/", views.limits, name="limits"),
    path("bonds/", views.bonds, name="bonds"),
    path("bonds/new/", views.bond_new, name="bond_new"),
    path("warnings/<int:pk>/acknowledge/", views.warning_ack, name="warning_ack"),
    path("emergencies/<int:pk>/", views.emergency, name="emergency"),
    path("cases/new/", views.case_new, name="case_new"),
]
