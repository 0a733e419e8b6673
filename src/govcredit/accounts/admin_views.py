"""The system administrator's pages: users, units and role memberships (issue 13 point 2).

Thin: parse, call ``accounts.services``, show errors at the fields. Every change is audited there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.core.errors import ValidationFailed
from govcredit.office.views import (
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import services
from .forms import (
    MembershipForm,
    OrganisationForm,
    UnitFilterForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    set_queryset,
)
from .models import Membership, Organisation, Role, User
from .permissions import Access

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ADMIN_ONLY = "只有系统管理员可以管理用户、单位和角色"


def _access(request: HttpRequest) -> Access:
    """The ``Access`` that ``office_view`` put on the request."""
    access = getattr(request, "access", None)
    assert isinstance(access, Access)
    return access


def _require_admin(request: HttpRequest) -> None:
    require(_access(request).can_manage_accounts(), ADMIN_ONLY)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# -- users ---------------------------------------------------------------------------------------


def _users(form: UserFilterForm) -> QuerySet[User]:
    qs = User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by("organisation__name"),
        )
    ).order_by("username")
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if data.get("organisation"):
        qs = qs.filter(memberships__organisation=data["organisation"])
    if data.get("role"):
        qs = qs.filter(memberships__role=data["role"])
    state = data.get("state")
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "disabled":
        qs = qs.filter(is_active=False)
    elif state == "locked":
        qs = qs.filter(locked_until__gt=timezone.now())
    elif state == "must_change":
        qs = qs.filter(must_change_password=True)
    return qs.distinct()


def _roles_text(user: User) -> str:
    return "；".join(f"{m.organisation} · {m.get_role_display()}" for m in user.memberships.all())


def _state_text(user: User) -> str:
    if not user.is_active:
        return "已停用"
    if user.is_locked:
        return "已锁定"
    if user.must_change_password:
        return "待修改初始密码"
    return "启用"


@office_view
def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserFilterForm(request.GET)
    qs = _users(form)
    if request.GET.get("export") == "xlsx":
        rows = (
            (u.username, u.display_name, u.phone, _roles_text(u), _state_text(u), u.last_login, u.date_joined)
            for u in qs
        )
        headers = ["用户名", "姓名", "手机号", "单位与角色", "状态", "最近登录", "创建时间"]
        return xlsx_response("用户", "用户", headers, rows)
    context = paginate(request, qs)
    for user in context["page_obj"].object_list:
        user.state = _state_text(user)
    return render(
        request,
        "accounts/user_list.html",
        {
            "nav": "accounts",
            "tab": "users",
            "form": form,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            **context,
        },
    )


@office_view
def user_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, plain = services.admin_create_user(_access(request), **data)
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"已新增用户「{user.username}」")
            return _no_store(
                render(
                    request,
                    "accounts/password_once.html",
                    {"nav": "accounts", "target": user, "password": plain, "created": True},
                )
            )
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/user_form.html", {"nav": "accounts", "form": form}, status=status)


def _user(pk: int) -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404("用户不存在")
    return user


@dataclass(frozen=True)
class _LogLine:
    """One line of a user's change log (an audit entry with its action's label)."""

    at: dt.datetime
    label: str
    actor_name: str
    summary: str


def _user_context(request: HttpRequest, user: User, **forms_: forms.Form) -> dict[str, Any]:
    from govcredit.core.ledger import action_label
    from govcredit.core.models import AuditEntry

    entries = [
        _LogLine(at=e.at, label=action_label(e.action), actor_name=e.actor_name, summary=e.summary)
        for e in AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .only("sequence", "at", "actor_name", "action", "summary")
        .order_by("-sequence")[:20]
    ]
    return {
        "nav": "accounts",
        "target": user,
        "state": _state_text(user),
        "memberships": user.memberships.select_related("organisation").order_by("organisation__name", "role"),
        "edit_form": forms_.get("edit_form")
        or UserEditForm(initial={"display_name": user.display_name, "phone": user.phone}),
        "membership_form": forms_.get("membership_form") or MembershipForm(),
        "entries": entries,
        "is_self": user.pk == request.user.pk,
    }


@office_view
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return render(request, "accounts/user_detail.html", _user_context(request, _user(pk)))


@office_view
@require_POST
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    user = _user(pk)
    form = UserEditForm(request.POST)
    if form.is_valid():
        services.update_user(_access(request), user, **form.cleaned_data)
        messages.success(request, f"已保存用户「{user.username}」的信息")
        return redirect("accounts:user_detail", user.pk)
    return render(
        request, "accounts/user_detail.html", _user_context(request, user, edit_form=form), status=422
    )


@office_view
@require_POST
def user_membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    user = _user(pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            membership = services.add_membership(_access(request), user, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request,
                f"已为「{user.username}」分配「{membership.organisation}」的{membership.get_role_display()}角色",
            )
            return redirect("accounts:user_detail", user.pk)
    return render(
        request, "accounts/user_detail.html", _user_context(request, user, membership_form=form), status=422
    )


@office_view
@require_POST
def user_membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    _require_admin(request)
    user = _user(pk)
    membership = user.memberships.select_related("organisation").filter(pk=membership_pk).first()
    if membership is None:
        raise Http404("该角色不存在")
    label = f"「{membership.organisation}」的{membership.get_role_display()}"
    try:
        services.remove_membership(_access(request), membership)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已取消「{user.username}」在{label}角色")
    return redirect("accounts:user_detail", user.pk)


@office_view
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """disable / enable / unlock / reset (the one-time password is shown once)."""
    _require_admin(request)
    user = _user(pk)
    try:
        if action == "reset":
            plain = services.reset_password(_access(request), user)
            return _no_store(
                render(
                    request,
                    "accounts/password_once.html",
                    {"nav": "accounts", "target": user, "password": plain},
                )
            )
        if action == "unlock":
            services.unlock_user(_access(request), user)
            messages.success(request, f"已解除「{user.username}」的锁定")
        elif action in ("disable", "enable"):
            services.set_user_active(_access(request), user, active=action == "enable")
            messages.success(request, f"已{'启用' if action == 'enable' else '停用'}用户「{user.username}」")
        else:
            raise Http404("不支持的操作")
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user_detail", user.pk)


# -- units ---------------------------------------------------------------------------------------


class _UnitCounts(TypedDict):
    users: int


def _units(form: UnitFilterForm) -> QuerySet[WithAnnotations[Organisation, _UnitCounts]]:
    qs = (
        Organisation.objects.select_related("parent", "subject")
        .annotate(users=Count("memberships__user", distinct=True))
        .order_by("name")
    )
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data.get("q"):
        qs = qs.filter(Q(name__icontains=data["q"].strip()) | Q(short_name__icontains=data["q"].strip()))
    kind = data.get("kind")
    if kind == "source":
        qs = qs.filter(is_source_unit=True, active=True)
    elif kind == "office":
        qs = qs.filter(is_credit_office=True)
    elif kind == "disabled":
        qs = qs.filter(active=False)
    return qs


@office_view
def unit_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UnitFilterForm(request.GET)
    qs = _units(form)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                o.name,
                o.short_name,
                str(o.parent or ""),
                o.subject.uscc if o.subject is not None else "",
                "是" if o.is_source_unit else "",
                "是" if o.is_credit_office else "",
                "启用" if o.active else "已停用",
                o.users,
            )
            for o in qs
        )
        headers = ["单位名称", "简称", "上级单位", "统一社会信用代码", "报送单位", "信用办", "状态", "用户数"]
        return xlsx_response("单位", "单位", headers, rows)
    return render(
        request,
        "accounts/unit_list.html",
        {
            "nav": "accounts",
            "tab": "units",
            "form": form,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            **paginate(request, qs),
        },
    )


def _unit_form(request: HttpRequest, org: Organisation | None) -> HttpResponse:
    _require_admin(request)
    initial: dict[str, Any]
    if org is None:
        initial = {"active": True}
    else:
        initial = {
            "name": org.name,
            "short_name": org.short_name,
            "parent": org.parent_id,
            "subject_uscc": org.subject.uscc if org.subject is not None else "",
            "is_credit_office": org.is_credit_office,
            "is_source_unit": org.is_source_unit,
            "active": org.active,
        }
    form = OrganisationForm(request.POST or None, initial=initial)
    if org is not None:
        set_queryset(form, "parent", Organisation.objects.exclude(pk=org.pk).order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["subject"] = data.pop("subject_uscc")
        try:
            saved = services.save_organisation(_access(request), org, **data)
        except ValidationFailed as exc:
            apply_form_errors(form, exc, fallback="name")
        else:
            messages.success(request, f"已{'新增' if org is None else '保存'}单位「{saved.name}」")
            return redirect("accounts:units")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "accounts/unit_form.html", {"nav": "accounts", "form": form, "unit": org}, status=status
    )


@office_view
def unit_create(request: HttpRequest) -> HttpResponse:
    return _unit_form(request, None)


@office_view
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = Organisation.objects.select_related("subject").filter(pk=pk).first()
    if org is None:
        raise Http404("单位不存在")
    return _unit_form(request, org)


ROLE_LABELS = dict(Role.choices)
