from django.urls import path

from . import portal_views

app_name = "efficiency_portal"

urlpatterns = [
    path("", portal_views.ranking, name="ranking"),
    path("snail/", portal_views.awards, name="awards"),
]
