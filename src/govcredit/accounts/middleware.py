"""Back-office session rules (issue 13 point 3): idle sessions end, and a user who must change the
password (first login, after a reset) is sent to the change page before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

if TYPE_CHECKING:
    from .models import User

LAST_SEEN = "govcredit_last_seen"
TOUCH_EVERY = 60  # seconds: the session row is written at most once a minute, not on every request
EXEMPT = ("/office/accounts/password/", "/office/logout/", "/office/login/", "/office/accounts/captcha.png")


class OfficeSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.path.startswith("/office/"):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            idle = settings.GOVCREDIT_SESSION_IDLE_MINUTES * 60
            if last is not None and now - int(last) > idle:
                from govcredit.core.ledger import log_action

                log_action(
                    "govcredit.user.session_expired",
                    actor=user,
                    obj=user,
                    summary=f"{user.username} {settings.GOVCREDIT_SESSION_IDLE_MINUTES} 分钟未操作，会话自动结束",
                )
                logout(request)
                messages.info(
                    request,
                    f"您已 {settings.GOVCREDIT_SESSION_IDLE_MINUTES} 分钟未操作，为保障安全已自动退出，请重新登录。",
                )
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if last is None or now - int(last) >= TOUCH_EVERY:
                request.session[LAST_SEEN] = now
            if user.must_change_password and not request.path.startswith(EXEMPT):
                return redirect("accounts:password_change")
        return self.get_response(request)


@receiver(user_logged_in)
def _start_idle_clock(sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The idle clock starts at login, so the first page after it writes no session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
