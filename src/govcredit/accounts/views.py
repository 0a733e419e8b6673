"""Back-office login and logout, the captcha image, changing one's own password and the API-token pages.

Login security (lockout, captcha, audit of failures) is in ``accounts.security``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govcredit.office.views import office_view, paginate

from . import security
from .forms import TokenForm
from .models import ApiToken, User
from .services import create_token, revoke_token


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


class OfficeAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（密码区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }
    captcha = forms.CharField(
        label="验证码",
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text="请输入图中的 5 个字符（不区分大小写）",
    )

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名"
        self.fields["password"].error_messages["required"] = "请输入密码"
        username = self.data.get("username", "") if self.is_bound else ""
        self.needs_captcha = security.captcha_required(username, client_ip(request)) if request else False
        if not self.needs_captcha:
            del self.fields["captcha"]

    def clean(self) -> dict[str, Any]:
        # The login view always passes the request: failures are counted by address too.
        assert self.request is not None, "OfficeAuthenticationForm needs the request"
        request = self.request
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        ip = client_ip(request)
        if self.needs_captcha and not security.check_captcha(
            request.session, self.cleaned_data.get("captcha")
        ):
            raise forms.ValidationError("验证码不正确，请输入新图片中的字符。", code="captcha")
        user = User.objects.filter(username=username).first()
        if user is not None and user.is_locked:
            raise forms.ValidationError(security.locked_message(user), code="locked")
        if username and password:
            try:
                return super().clean()
            except forms.ValidationError:
                failed = security.record_failure(username, ip)
                if failed is not None and failed.is_locked:
                    raise forms.ValidationError(security.locked_message(failed), code="locked") from None
                left = security.max_failures() - failed.failed_logins if failed is not None else None
                if left is not None and left <= security.max_failures() - security.captcha_after():
                    raise forms.ValidationError(
                        f"{self.error_messages['invalid_login']}再失败 {left} 次账号将被锁定 "
                        f"{security.lock_minutes()} 分钟。",
                        code="invalid_login",
                    ) from None
                raise
        return self.cleaned_data


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
        form = context.get("form")
        if form is not None and not getattr(form, "needs_captcha", False) and self.request.method == "POST":
            # The failure just recorded may have crossed the captcha threshold: ask from now on.
            form.needs_captcha = security.captcha_required(
                form.data.get("username", ""), client_ip(self.request)
            )
            if form.needs_captcha:
                form.fields["captcha"] = OfficeAuthenticationForm.base_fields["captcha"]
        context["idle_minutes"] = settings.GOVCREDIT_SESSION_IDLE_MINUTES
        context["max_failures"] = security.max_failures()
        context["lock_minutes"] = security.lock_minutes()
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        security.record_success(user, client_ip(self.request))
        if user.must_change_password:
            return redirect("accounts:password_change")
        return response


@never_cache
def captcha_image(request: HttpRequest) -> HttpResponse:
    code = security.new_captcha(request.session)
    response = HttpResponse(security.captcha_png(code), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _user(request: HttpRequest) -> User:
    """The logged-in user of an ``office_view`` or ``login_required`` page (never anonymous there)."""
    assert isinstance(request.user, User)
    return request.user


class OwnPasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields[
            "new_password1"
        ].help_text = "至少 10 个字符；不能与用户名、姓名相近，不能是常见密码，不能全是数字"
        self.error_messages["password_incorrect"] = "当前密码不正确，请重新输入。"
        self.error_messages["password_mismatch"] = "两次输入的新密码不一致。"


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password here; a user who must change it is sent here first."""
    from .services import change_own_password

    user = _user(request)
    form = OwnPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_own_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改，下次登录请使用新密码。")
        return redirect(settings.LOGIN_REDIRECT_URL)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "nav": "password"},
        status=status,
    )


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
