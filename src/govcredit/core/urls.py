from django.urls import path

from govcredit.accounts import views as account_views

from . import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.logout_view, name="logout"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("system/", views.system_home, name="system"),
    path("system/calendar/add/", views.calendar_add, name="calendar_add"),
    path("system/calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("system/calendar/complete/", views.calendar_complete, name="calendar_complete"),
    path("system/tokens/", views.tokens, name="tokens"),
    path("system/tokens/create/", views.token_create, name="token_create"),
    path("system/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
