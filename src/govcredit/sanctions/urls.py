from django.urls import path

from . import views

app_name = "sanctions"
urlpatterns = [
    path("", views.sanction_list, name="list"),
    path("<int:pk>/", views.sanction_detail, name="sanction"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/new/", views.measure_edit, name="measure_new"),
    path("measures/<int:pk>/", views.measure_edit, name="measure_edit"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/preview/", views.rule_preview, name="rule_preview"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/attachments/<int:attachment_pk>/",
        views.rectification_attachment,
        name="rectification_attachment",
    ),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("inbox/", views.inbox, name="inbox"),
]
