from django.urls import path

from . import views

app_name = "openinfo"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("items/", views.item_list, name="items"),
    path("catalog/", views.catalog_list, name="catalog"),
    path("new/", views.request_new, name="new"),
    path("annual-report/", views.annual_report, name="annual"),
    path("<int:pk>/<slug:action>/", views.request_action, name="action"),
    path("catalog/new/", views.catalog_new, name="catalog_new"),
    path("catalog/<int:pk>/revise/", views.catalog_revise, name="catalog_revise"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/publish/", views.item_publish, name="item_publish"),
]
