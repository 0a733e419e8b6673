"""Back-office login and logout. Logins are written to the audit ledger."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from govcredit.core.ledger import log_action


class OfficeAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（密码区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名"
        self.fields["password"].error_messages["required"] = "请输入密码"


def demo_logins() -> list[dict]:
    """The demo accounts, shown on the login page only in the demo or in DEBUG."""
    if not (settings.DEBUG or getattr(settings, "GOVCREDIT_DEMO", False)):
        return []
    from .setup import ADVERTISED, DEMO_PASSWORD, DEMO_USERS

    by_name = {u[0]: u for u in DEMO_USERS}
    return [
        {
            "username": name,
            "password": DEMO_PASSWORD,
            "label": by_name[name][3].label,
            "organisation": by_name[name][2],
        }
        for name in ADVERTISED
    ]


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = OfficeAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        log_action(
            "govcredit.user.login",
            actor=user,
            obj=user,
            summary=f"{user.username} 登录管理后台",
            after={"ip": self.request.META.get("REMOTE_ADDR", "")},
        )
        return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
