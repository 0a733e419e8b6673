"""Login security (等保 2.0 身份鉴别, issue 13 point 3).

- After ``GOVCREDIT_LOGIN_MAX_FAILURES`` (5) failed logins in a row an account is locked for
  ``GOVCREDIT_LOGIN_LOCK_MINUTES`` (15); the user is told until when, the audit log records it.
- After ``GOVCREDIT_LOGIN_CAPTCHA_AFTER`` (3) failures — of the account, or from the address — the
  login form asks for a captcha drawn here with Pillow (no outside service).
- Sessions end after ``GOVCREDIT_SESSION_IDLE_MINUTES`` (30) without a request (``IdleTimeoutMiddleware``).
- Every failed login and every lockout is in the audit ledger.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govcredit.core.ledger import log_action, register_action

from .models import User

register_action("govcredit.user.login", "登录")
register_action("govcredit.user.login_failed", "登录失败")
register_action("govcredit.user.locked", "账号锁定")
register_action("govcredit.user.logout", "退出登录")
register_action("govcredit.user.session_expired", "会话超时退出")

CAPTCHA_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B
CAPTCHA_SESSION_KEY = "govcredit_captcha"
IP_WINDOW_SECONDS = 15 * 60


def max_failures() -> int:
    return settings.GOVCREDIT_LOGIN_MAX_FAILURES


def lock_minutes() -> int:
    return settings.GOVCREDIT_LOGIN_LOCK_MINUTES


def captcha_after() -> int:
    return settings.GOVCREDIT_LOGIN_CAPTCHA_AFTER


def _ip_key(ip: str) -> str:
    return f"govcredit:login-failures:{ip}"


def ip_failures(ip: str) -> int:
    return int(cache.get(_ip_key(ip), 0) or 0)


def captcha_required(username: str, ip: str) -> bool:
    """A captcha once the account or the address has failed ``captcha_after()`` times."""
    if ip_failures(ip) >= captcha_after():
        return True
    user = User.objects.filter(username=(username or "").strip()).only("failed_logins").first()
    return user is not None and user.failed_logins >= captcha_after()


def locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return (
        f"该账号因连续 {max_failures()} 次登录失败已被锁定，请于 {until}（北京时间）后再试，"
        "或联系系统管理员解除锁定。"
    )


def record_failure(username: str, ip: str) -> User | None:
    """Count a failed login for the account (if it exists) and the address; lock the account at the
    limit. Audited. Returns the user, refreshed, or None for an unknown username."""
    username = (username or "").strip()[:150]
    try:
        cache.incr(_ip_key(ip))
    except ValueError:
        cache.set(_ip_key(ip), 1, IP_WINDOW_SECONDS)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            log_action(
                "govcredit.user.login_failed",
                actor=None,
                object_type="accounts.user",
                object_id="",
                summary=f"以不存在的用户名「{username}」登录失败",
                after={"username": username, "ip": ip},
            )
            return None
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        log_action(
            "govcredit.user.login_failed",
            actor=None,
            obj=user,
            summary=f"{user.username} 登录失败（连续第 {user.failed_logins} 次）",
            after={"username": user.username, "ip": ip, "failures": user.failed_logins},
        )
        if user.failed_logins >= max_failures():
            user.locked_until = timezone.now() + dt.timedelta(minutes=lock_minutes())
            user.save(update_fields=["locked_until"])
            log_action(
                "govcredit.user.locked",
                actor=None,
                obj=user,
                summary=f"{user.username} 连续 {user.failed_logins} 次登录失败，账号锁定 {lock_minutes()} 分钟",
                after={"locked_until": user.locked_until.isoformat(), "ip": ip},
            )
    return user


def record_success(user: User, ip: str) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        log_action(
            "govcredit.user.login",
            actor=user,
            obj=user,
            summary=f"{user.username} 登录管理后台",
            after={"ip": ip},
        )
    cache.delete(_ip_key(ip))


def new_captcha(session: SessionBase) -> str:
    code = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(5))
    session[CAPTCHA_SESSION_KEY] = code
    return code


def check_captcha(session: SessionBase, answer: str | None) -> bool:
    """One try per captcha: the code is dropped whatever the answer."""
    expected = session.pop(CAPTCHA_SESSION_KEY, None)
    return bool(expected) and secrets.compare_digest(expected, (answer or "").strip().upper())


def captcha_png(code: str) -> bytes:
    """The code drawn as a distorted PNG (Pillow, which weasyprint already needs)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = secrets.SystemRandom()
    width, height = 160, 56
    image = Image.new("RGB", (width, height), (246, 247, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):  # background noise lines
        draw.line(
            [
                (rng.randint(0, width), rng.randint(0, height)),
                (rng.randint(0, width), rng.randint(0, height)),
            ],
            fill=(rng.randint(150, 200), rng.randint(150, 200), rng.randint(150, 200)),
            width=1,
        )
    try:
        font = ImageFont.load_default(size=34)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    x = 10
    for char in code:
        glyph = Image.new("RGBA", (40, 50), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 4), char, font=font, fill=(rng.randint(10, 60), 40, rng.randint(80, 140))
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (x, rng.randint(0, 8)), glyph)
        x += 29
    for _ in range(120):  # speckles
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)), fill=(90, 90, 110))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
