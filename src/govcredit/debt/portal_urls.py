from django.urls import path

from . import portal_views

app_name = "debt_portal"
urlpatterns = [
    path("", portal_views.debt_home, name="home"),
    path("<int:year>/<str:table>.<str:fmt>", portal_views.download, name="download"),
]
