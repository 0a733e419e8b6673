from django.urls import path

from . import portal_views

app_name = "disputes_portal"
urlpatterns = [
    path("objections/new/", portal_views.objection_new, name="objection_new"),
    path("repairs/new/", portal_views.repair_new, name="repair_new"),
    path("cases/", portal_views.case_lookup, name="cases"),
    path("cases/answer/", portal_views.case_answer, name="answer"),
]
