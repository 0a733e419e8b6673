from django.urls import path

from . import portal_views

urlpatterns = [
    path("", portal_views.public_list, name="commitments_public"),
    path("<str:code>/", portal_views.public_detail, name="commitment_public"),
    path("<str:code>/evidence/<int:report_id>/", portal_views.public_evidence, name="commitment_evidence"),
]
