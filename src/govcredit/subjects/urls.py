from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("new/", views.subject_create, name="create"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("<int:pk>/reveal/", views.subject_reveal, name="reveal"),
    path("<int:pk>/rename/", views.subject_rename, name="rename"),
    path("<int:pk>/code/", views.subject_replace_code, name="replace_code"),
    path("<int:pk>/confirm/", views.subject_confirm, name="confirm"),
    path("<int:pk>/tenures/new/", views.subject_add_tenure, name="add_tenure"),
]
