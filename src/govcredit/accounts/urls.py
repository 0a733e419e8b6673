from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("system/tokens/", views.tokens, name="tokens"),
    path("system/tokens/create/", views.token_create, name="token_create"),
    path("system/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
