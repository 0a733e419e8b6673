from django.urls import path

from . import portal_views

app_name = "keytasks_portal"
urlpatterns = [path("", portal_views.progress_table, name="table")]
