from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/retry/", views.event_action, {"action": "retry"}, name="event_retry"),
    path("events/<int:pk>/park/", views.event_action, {"action": "park"}, name="event_park"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("inbound/", views.inbound_list, name="inbound"),
    path("inbound/<int:pk>/", views.inbound_detail, name="inbound_detail"),
    path(
        "inbound/entries/<int:pk>/confirm/", views.entry_action, {"action": "confirm"}, name="entry_confirm"
    ),
    path(
        "inbound/entries/<int:pk>/dismiss/", views.entry_action, {"action": "dismiss"}, name="entry_dismiss"
    ),
]
