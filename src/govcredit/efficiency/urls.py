from django.urls import path

from . import views

app_name = "efficiency"

urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("cases/", views.case_list, name="cases"),
    path("cases/import/", views.case_import, name="case_import"),
    path("awards/", views.award_list, name="awards"),
    path("awards/decide/", views.award_decide, name="award_decide"),
    path("awards/<int:pk>/<slug:action>/", views.award_action, name="award_action"),
]
