from django.urls import path

from . import portal_views

app_name = "bidding_portal"
urlpatterns = [
    path("blacklist/", portal_views.blacklist, name="blacklist"),
    path("blacklist/archive/", portal_views.blacklist_archive, name="archive"),
]
