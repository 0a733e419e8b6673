"""Account administration (issue 13 point 2): the system administrator creates users, assigns
units and roles, disables (never deletes), resets passwords and manages units; all audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from govcredit.accounts import services
from govcredit.accounts.models import Membership, Organisation, Role, User
from govcredit.core.models import AuditEntry


@pytest.fixture
def admin(personas):
    return services.create_user(
        "sysadmin",
        "pw-sysadmin-123",
        display_name="管理员",
        memberships=[(personas.unit("区发改局"), Role.ADMIN)],
    )


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.mark.parametrize("persona", ["office", "reviewer", "court", "dept", "auditor"])
def test_only_the_system_administrator_gets_the_pages(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for url in ("/office/accounts/users/", "/office/accounts/units/", "/office/accounts/users/new/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有系统管理员" in response.content.decode()
    assert "/office/accounts/users/" not in client.get("/office/").content.decode()


def test_create_a_user_shows_the_one_time_password_once(admin_client, personas):
    assert "/office/accounts/users/" in admin_client.get("/office/").content.decode()  # in the menu
    response = admin_client.post(
        "/office/accounts/users/new/",
        {
            "username": "liming",
            "display_name": "李明",
            "organisation": personas.unit("区法院").pk,
            "role": "clerk",
        },
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    user = User.objects.get(username="liming")
    plain = response.context["password"]
    assert plain in response.content.decode() and user.check_password(plain) and user.must_change_password
    assert list(user.memberships.values_list("organisation__short_name", "role")) == [("区法院", "clerk")]
    assert AuditEntry.objects.filter(action="govcredit.user.created", object_id=str(user.pk)).exists()

    again = admin_client.post(
        "/office/accounts/users/new/",
        {"username": "LiMing", "organisation": personas.unit("区法院").pk, "role": "clerk"},
    )
    assert again.status_code == 422 and "已被使用" in " ".join(again.context["form"].errors["username"])


def test_list_filters_and_export(admin_client, personas):
    page = admin_client.get(
        "/office/accounts/users/", {"organisation": personas.unit("区法院").pk}
    ).content.decode()
    assert "<code>court</code>" in page and "<code>hr</code>" not in page
    page = admin_client.get("/office/accounts/users/", {"role": "reviewer"}).content.decode()
    assert "<code>reviewer</code>" in page and "<code>court</code>" not in page
    response = admin_client.get("/office/accounts/users/", {"role": "reviewer", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "用户名" and sorted(r[0] for r in rows[1:]) == ["reviewer", "reviewer2"]


def test_disable_enable_reset_unlock_and_roles_are_audited(admin_client, personas, admin):
    court = personas.court
    base = f"/office/accounts/users/{court.pk}/"
    assert admin_client.get(base).status_code == 200

    admin_client.post(base + "disable/")
    court.refresh_from_db()
    assert not court.is_active and User.objects.filter(pk=court.pk).exists()  # never deleted
    admin_client.post(base + "enable/")
    court.refresh_from_db()
    assert court.is_active

    User.objects.filter(pk=court.pk).update(failed_logins=5)
    reset = admin_client.post(base + "reset/")
    court.refresh_from_db()
    assert court.check_password(reset.context["password"]) and court.must_change_password
    assert court.failed_logins == 0

    hr_unit = personas.unit("区人社局")
    admin_client.post(base + "memberships/add/", {"organisation": hr_unit.pk, "role": "clerk"})
    membership = Membership.objects.get(user=court, organisation=hr_unit)
    duplicate = admin_client.post(base + "memberships/add/", {"organisation": hr_unit.pk, "role": "clerk"})
    assert duplicate.status_code == 422
    admin_client.post(f"{base}memberships/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()

    actions = set(
        AuditEntry.objects.filter(object_id=str(court.pk), object_type="accounts.user").values_list(
            "action", flat=True
        )
    )
    assert {
        "govcredit.user.disabled",
        "govcredit.user.enabled",
        "govcredit.user.password_reset",
        "govcredit.membership.added",
        "govcredit.membership.removed",
    } <= actions
    added = AuditEntry.objects.get(action="govcredit.membership.added")
    assert "区人社局" in str(added.after) and added.actor == admin

    # the administrator cannot disable themselves
    admin_client.post(f"/office/accounts/users/{admin.pk}/disable/")
    admin.refresh_from_db()
    assert admin.is_active


def test_a_disabled_user_cannot_log_in(client, personas, admin):
    services.set_user_active(personas.access(admin), personas.court, active=False)
    response = client.post("/office/login/", {"username": "court", "password": "pw-court-123"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_units_create_edit_disable(admin_client, personas):
    response = admin_client.post(
        "/office/accounts/units/new/",
        {"name": "周村区审计局", "short_name": "区审计局", "is_source_unit": "on", "active": "on"},
    )
    assert response.status_code == 302
    unit = Organisation.objects.get(name="周村区审计局")
    assert unit.is_source_unit and unit.active
    clash = admin_client.post("/office/accounts/units/new/", {"name": "周村区审计局", "active": "on"})
    assert clash.status_code == 422 and "已存在" in clash.content.decode()
    admin_client.post(
        f"/office/accounts/units/{unit.pk}/edit/", {"name": "周村区审计局", "short_name": "区审计局"}
    )
    unit.refresh_from_db()
    assert not unit.active and not unit.is_source_unit
    entry = AuditEntry.objects.get(action="govcredit.organisation.updated")
    assert entry.before["active"] is True and entry.after["active"] is False
    page = admin_client.get("/office/accounts/units/", {"kind": "disabled"}).content.decode()
    assert "周村区审计局" in page and "周村区人民法院" not in page


def test_cli_user_create(personas, capsys):
    call_command(
        "user", "create", "--username", "wangwu", "--unit", "区法院", "--role", "clerk", "--name", "王五"
    )
    out = capsys.readouterr().out
    user = User.objects.get(username="wangwu")
    plain = out.strip().splitlines()[-1].split("：")[1]
    assert user.check_password(plain) and user.must_change_password and user.display_name == "王五"
    assert list(user.memberships.values_list("organisation__short_name", "role")) == [("区法院", "clerk")]
    call_command("user", "create", "--username", "zhaoliu", "--unit", "区法院", "--role", "报送单位经办人")
    assert User.objects.get(username="zhaoliu").memberships.get().role == "clerk"
    with pytest.raises(CommandError, match="角色"):
        call_command("user", "create", "--username", "x1", "--unit", "区法院", "--role", "boss")
    with pytest.raises(CommandError, match="单位"):
        call_command("user", "create", "--username", "x2", "--unit", "不存在的局", "--role", "clerk")
    with pytest.raises(CommandError, match="已被使用"):
        call_command("user", "create", "--username", "wangwu", "--unit", "区法院", "--role", "clerk")
