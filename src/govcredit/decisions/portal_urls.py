from django.urls import path

from . import portal_views

app_name = "decisions_portal"

urlpatterns = [
    path("", portal_views.index, name="index"),
    path("consultations/<int:pk>/", portal_views.consultation, name="consultation"),
    path("<str:code>/", portal_views.decision, name="decision"),
]
