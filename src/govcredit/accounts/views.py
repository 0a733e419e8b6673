"""Back-office login and logout (logins are written to the audit ledger) and the API-token pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govcredit.core.ledger import log_action
from govcredit.office.views import office_view, paginate

from .forms import TokenForm
from .models import ApiToken, User
from .services import create_token, revoke_token


class OfficeAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（密码区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名"
        self.fields["password"].error_messages["required"] = "请输入密码"


def demo_logins() -> list[dict[str, str]]:
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins()
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
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
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _user(request: HttpRequest) -> User:
    """The logged-in user of an ``office_view`` page (never anonymous there)."""
    assert isinstance(request.user, User)
    return request.user


# -- API tokens (系统管理 › 接口令牌) -------------------------------------------------------------
def _tokens_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    qs = ApiToken.objects.select_related("user").order_by("-created_at")
    if not request.user.is_superuser:
        qs = qs.filter(user=_user(request))
    context = {
        "nav": "system",
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "all_users": request.user.is_superuser,
    }
    context.update(paginate(request, qs))
    context.update(extra)
    return context


@office_view
def tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/tokens.html", _tokens_context(request))


@office_view
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/tokens.html", _tokens_context(request, token_form=form), status=422)
    token, plain = create_token(_user(request), name=form.cleaned_data["name"], actor=request.user)
    response = render(
        request, "accounts/tokens.html", _tokens_context(request, new_token=plain, new_token_row=token)
    )
    response["Cache-Control"] = "no-store"
    return response


@office_view
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    qs = ApiToken.objects.all() if request.user.is_superuser else ApiToken.objects.filter(user=_user(request))
    token = qs.filter(pk=pk).first()
    if token is None:
        raise Http404("接口令牌不存在")
    revoke_token(token, actor=request.user)
    messages.success(request, f"接口令牌「{token.prefix}…」已撤销，使用它的系统将无法再访问接口")
    return redirect("accounts:tokens")
