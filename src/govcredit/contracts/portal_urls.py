from django.urls import path

from . import portal_views

urlpatterns = [
    path("contracts/", portal_views.contract_list, name="contracts"),
    path("contracts/<int:pk>/", portal_views.contract_detail, name="contract"),
    path("arrears-disclosure/", portal_views.arrears_disclosure, name="arrears_disclosure"),
    path("arrears-complaints/new/", portal_views.complaint_new, name="arrears_complaint_new"),
    path("arrears-complaints/<str:code>/", portal_views.complaint_status, name="arrears_complaint"),
]
