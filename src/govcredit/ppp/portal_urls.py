from django.urls import path

from . import portal_views

urlpatterns = [
    path("ppp/", portal_views.project_list, name="ppp"),
    path("ppp/<str:code>/", portal_views.project_detail, name="ppp_project"),
]
