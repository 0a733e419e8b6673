from django.urls import path

from . import views

app_name = "office"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("system/", views.system_home, name="system"),
    path("system/calendar/add/", views.calendar_add, name="calendar_add"),
    path("system/calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("system/calendar/complete/", views.calendar_complete, name="calendar_complete"),
]
