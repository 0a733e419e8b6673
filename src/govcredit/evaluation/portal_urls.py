from django.urls import path

from . import portal_views

app_name = "evaluation_portal"
urlpatterns = [
    path("", portal_views.ranking, name="ranking"),
    path("methodology/", portal_views.methodology, name="methodology"),
    path("units/<str:public_id>/", portal_views.unit_page, name="unit"),
]
