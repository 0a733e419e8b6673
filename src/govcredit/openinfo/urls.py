from django.urls import path

from . import views

app_name = "openinfo"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("items/", views.item_list, name="items"),
    path("catalog/", views.catalog_list, name="catalog"),
]
