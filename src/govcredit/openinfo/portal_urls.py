from django.urls import path

from . import portal_views

app_name = "openinfo_portal"

urlpatterns = [
    path("", portal_views.new_request, name="new"),
    path("track/", portal_views.track, name="track"),
]
