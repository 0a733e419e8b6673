from django.urls import path

from . import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("system/tokens/", views.tokens, name="tokens"),
    path("system/tokens/create/", views.token_create, name="token_create"),
    path("system/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/captcha.png", views.captcha_image, name="captcha"),
    path("accounts/users/", admin_views.user_list, name="users"),
    path("accounts/users/new/", admin_views.user_create, name="user_create"),
    path("accounts/users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("accounts/users/<int:pk>/edit/", admin_views.user_edit, name="user_edit"),
    path("accounts/users/<int:pk>/memberships/add/", admin_views.user_membership_add, name="membership_add"),
    path(
        "accounts/users/<int:pk>/memberships/<int:membership_pk>/remove/",
        admin_views.user_membership_remove,
        name="membership_remove",
    ),
    path("accounts/users/<int:pk>/<str:action>/", admin_views.user_action, name="user_action"),
    path("accounts/units/", admin_views.unit_list, name="units"),
    path("accounts/units/new/", admin_views.unit_create, name="unit_create"),
    path("accounts/units/<int:pk>/edit/", admin_views.unit_edit, name="unit_edit"),
]
