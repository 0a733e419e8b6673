"""信用周村 pages of supervision (included from govcredit/urls.py before the portal)."""

from django.urls import path

from . import portal_views

app_name = "supervision_portal"

urlpatterns = [
    path("complaints/new/", portal_views.complaint_new, name="complaint_new"),
    path("complaints/track/", portal_views.complaint_track, name="complaint_track"),
    path("complaints/<str:code>/", portal_views.complaint_status, name="complaint"),
    path("typical-cases/", portal_views.case_list, name="cases"),
    path("typical-cases/<int:pk>/", portal_views.case_detail, name="case"),
]
