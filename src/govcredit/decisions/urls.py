from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("catalog/", views.catalog_list, name="catalog"),
    path("<int:pk>/", views.decision_detail, name="detail"),
]
