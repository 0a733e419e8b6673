from django.urls import path

from . import portal_views

urlpatterns = [
    path("contracts/", portal_views.contract_list, name="contracts"),
    path("contracts/<int:pk>/", portal_views.contract_detail, name="contract"),
    path("arrears-disclosure/", portal_views.arrears_disclosure, name="arrears_disclosure"),
]
