from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("export/", views.record_export, name="export"),
    path("new/", views.record_create, name="create"),
    path("review/", views.review_queue, name="review"),
    path("review/approve/", views.review_batch_approve, name="review_batch_approve"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("<int:pk>/submit/", views.record_submit, name="submit"),
    path("<int:pk>/approve/", views.record_approve, name="approve"),
    path("<int:pk>/reject/", views.record_reject, name="reject"),
    path("<int:pk>/revoke/", views.record_revoke, name="revoke"),
    path("<int:pk>/correct/", views.record_correct, name="correct"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path("corrections/<int:pk>/approve/", views.correction_approve, name="correction_approve"),
    path("corrections/<int:pk>/reject/", views.correction_reject, name="correction_reject"),
]
