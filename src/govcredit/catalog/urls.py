from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("<slug:code>/", views.item_detail, name="detail"),
    path("<slug:code>/edit/", views.item_edit, name="edit"),
]
