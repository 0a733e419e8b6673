from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("catalog/", views.catalog_list, name="catalog"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("new/", views.decision_new, name="new"),
    path("catalog/new/", views.catalog_new, name="catalog_new"),
    path("catalog/publish/", views.catalog_publish, name="catalog_publish"),
    path("<int:pk>/<slug:action>/", views.decision_action, name="action"),
]
