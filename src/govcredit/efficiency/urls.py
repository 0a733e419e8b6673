from django.urls import path

from . import views

app_name = "efficiency"

urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("items/", views.item_list, name="items"),
    path("cases/", views.case_list, name="cases"),
    path("awards/", views.award_list, name="awards"),
]
