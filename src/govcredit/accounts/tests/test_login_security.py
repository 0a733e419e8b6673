"""Login security (issue 13 point 3): lockout, captcha, password rules, forced and own password
changes, idle sessions, and the audit of failures and lockouts."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import override_settings
from django.utils import timezone

from govcredit.accounts import security, services
from govcredit.accounts.middleware import LAST_SEEN
from govcredit.accounts.models import Role, User
from govcredit.core.errors import ValidationFailed
from govcredit.core.models import AuditEntry

LOGIN = "/office/login/"
GOOD = "pw-court-123"


def _login(client, username="court", password=GOOD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def _solve_captcha(client) -> str:
    """What a person reads off the image: the code the image was drawn from (kept in the session)."""
    image = client.get("/office/accounts/captcha.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    return client.session[security.CAPTCHA_SESSION_KEY]


def test_five_failures_lock_the_account_for_fifteen_minutes(client, personas):
    for n in range(1, 5):
        response = _login(client, password="wrong-password", captcha=_solve_captcha(client) if n > 3 else "")
        assert "用户名或密码不正确" in _errors(response)
    response = _login(client, password="wrong-password", captcha=_solve_captcha(client))
    assert "已被锁定" in _errors(response)
    user = User.objects.get(username="court")
    assert user.failed_logins == 5
    assert (
        timezone.now() + dt.timedelta(minutes=14)
        < user.locked_until
        <= timezone.now() + dt.timedelta(minutes=15)
    )

    # even the right password is refused while locked
    response = _login(client, captcha=_solve_captcha(client))
    assert "已被锁定" in _errors(response) and "_auth_user_id" not in client.session

    actions = list(AuditEntry.objects.filter(object_type="accounts.user").values_list("action", flat=True))
    assert actions.count("govcredit.user.login_failed") == 5
    assert actions.count("govcredit.user.locked") == 1

    # after the lock ends the right password works and resets the count
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    response = _login(client, captcha=_solve_captcha(client))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None


@override_settings(
    GOVCREDIT_LOGIN_MAX_FAILURES=2, GOVCREDIT_LOGIN_LOCK_MINUTES=60, GOVCREDIT_LOGIN_CAPTCHA_AFTER=10
)
def test_limits_are_configurable(client, personas):
    _login(client, password="wrong-password")
    _login(client, password="wrong-password")
    user = User.objects.get(username="court")
    assert user.is_locked and user.locked_until > timezone.now() + dt.timedelta(minutes=59)


def test_a_captcha_is_asked_after_three_failures(client, personas):
    page = client.get(LOGIN).content.decode()
    assert 'name="captcha"' not in page
    for _ in range(3):
        response = _login(client, password="wrong-password")
    assert 'name="captcha"' in response.content.decode()
    assert "再失败 2 次账号将被锁定" in _errors(response)

    # right password, no or wrong captcha: refused, and not counted as a password failure
    response = _login(client, captcha="XXXXX")
    assert "验证码不正确" in _errors(response)
    assert User.objects.get(username="court").failed_logins == 3
    response = _login(client, captcha=_solve_captcha(client).lower())
    assert response.status_code == 302


def test_unknown_usernames_count_by_address_and_are_audited(client, personas):
    for _ in range(3):
        _login(client, username="nobody", password="whatever-123")
    assert 'name="captcha"' in client.get(LOGIN).content.decode()
    entry = AuditEntry.objects.filter(action="govcredit.user.login_failed").last()
    assert "nobody" in entry.summary


def test_admin_created_user_must_change_password_at_first_login(client, personas):
    admin = services.create_user(
        "sysadmin", "pw-sysadmin-123", memberships=[(personas.unit("区发改局"), Role.ADMIN)]
    )
    user, plain = services.admin_create_user(
        personas.access(admin),
        username="zhangsan",
        display_name="张三",
        organisation=personas.unit("区法院"),
        role=Role.CLERK,
    )
    assert user.must_change_password
    response = _login(client, "zhangsan", plain)
    assert response["Location"] == "/office/accounts/password/"
    # every other back-office page leads there until the password is changed
    assert client.get("/office/records/")["Location"] == "/office/accounts/password/"

    refused = client.post(
        "/office/accounts/password/",
        {"old_password": plain, "new_password1": "zhangsan1", "new_password2": "zhangsan1"},
    )
    assert refused.status_code == 422
    errors = " ".join(refused.context["form"].errors["new_password2"])
    assert "密码太短：至少需要 10 个字符" in errors

    done = client.post(
        "/office/accounts/password/",
        {
            "old_password": plain,
            "new_password1": "Zhoucun-credit-2026",
            "new_password2": "Zhoucun-credit-2026",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Zhoucun-credit-2026")
    assert client.get("/office/records/").status_code == 200  # still logged in
    assert AuditEntry.objects.filter(
        action="govcredit.user.password_changed", object_id=str(user.pk)
    ).exists()


@pytest.mark.parametrize(
    "password, fragment",
    [("short-1", "太短"), ("reviewer2026", "相似"), ("password123", "常见"), ("20261203123456", "数字")],
)
def test_password_rules_are_djangos_validators_in_chinese(personas, password, fragment):
    with pytest.raises(ValidationFailed) as caught:
        services.check_password_rules(password, personas.reviewer2)
    assert fragment in " ".join(caught.value.field_errors["password"])


def test_every_user_can_change_their_own_password(client, personas):
    client.force_login(personas.dept)
    page = client.get("/office/").content.decode()
    assert 'href="/office/accounts/password/"' in page
    wrong = client.post(
        "/office/accounts/password/",
        {
            "old_password": "nope",
            "new_password1": "Zhoucun-credit-2026",
            "new_password2": "Zhoucun-credit-2026",
        },
    )
    assert "当前密码不正确" in " ".join(wrong.context["form"].errors["old_password"])


def test_an_idle_session_ends_after_thirty_minutes(client, personas):
    client.force_login(personas.court)
    assert client.get("/office/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/office/").status_code == 200  # 29 minutes: still in
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/office/records/")
    assert response.status_code == 302 and response["Location"].startswith("/office/login/")
    assert client.get("/office/").status_code == 302
    assert AuditEntry.objects.filter(action="govcredit.user.session_expired").exists()


@override_settings(GOVCREDIT_SESSION_IDLE_MINUTES=5)
def test_the_idle_limit_is_configurable(client, personas):
    client.force_login(personas.court)
    client.get("/office/")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 6 * 60
    session.save()
    assert client.get("/office/").status_code == 302
