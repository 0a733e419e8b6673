from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("", views.file_list, name="list"),
    path("<int:pk>/", views.file_detail, name="detail"),
    path("import/", views.import_file, name="import"),
    path("training-deficits/", views.deficits, name="deficits"),
    path("training-deficits/remind/", views.remind, name="remind"),
    path("integrity-courses/", views.courses, name="courses"),
    path("rules/", views.rules, name="rules"),
]
