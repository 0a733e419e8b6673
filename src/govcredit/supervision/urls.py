from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.complaint_list, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/import/", views.complaint_import, name="import"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/notice.pdf", views.complaint_pdf, name="complaint_pdf"),
    path("complaints/<int:pk>/<slug:action>/", views.complaint_action, name="complaint_action"),
    path("motions/", views.motion_list, name="motions"),
    path("motions/new/", views.motion_new, name="motion_new"),
    path("motions/<int:pk>/", views.motion_detail, name="motion"),
    path("motions/<int:pk>/<slug:action>/", views.motion_action, name="motion_action"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("statistics/", views.statistics, name="statistics"),
    path("overdue/", views.overdue, name="overdue"),
]
