"""The back-office shell: view plumbing every office page uses, the 工作台, the audit-log pages and
the working-day calendar page.

Views stay thin: they read ``request.access`` (one ``Access`` per request), call services, and let
``office_view`` turn domain errors into the 403/404 pages with their Chinese message. Domain apps
plug their menu entries, tiles and badges in through ``<app>/office.py`` (``registry``); this module
never names them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.accounts.permissions import Access
from govcredit.core.calendar import add_holiday, mark_year_complete, remove_holiday
from govcredit.core.errors import CreditError, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import action_label, log_action, verify_audit_chain, verify_transparency_chain
from govcredit.core.models import AuditEntry, CalendarYear, HolidayOverride
from govcredit.core.spreadsheets import xlsx_response
from govcredit.core.workdays import package_knows_year

from . import audit
from .forms import AuditFilterForm, CalendarYearForm, HolidayForm
from .registry import Tile, charts_for, tiles_for

__all__ = [
    "apply_form_errors",
    "office_view",
    "paginate",
    "query_string",
    "require",
    "xlsx_response",
]

PER_PAGE = 20
NO_MEMBERSHIP_MESSAGE = (
    "您的账号尚未分配单位和角色，暂时无法使用管理后台。请联系本单位的系统管理员或区信用办开通相应角色。"
)


# ------------------------------------------------------------------------------------- decorator
def office_view(
    view: Callable[..., HttpResponse] | None = None,
    *,
    require_role: bool = True,
    no_role_message: str = NO_MEMBERSHIP_MESSAGE,
    pass_access: bool = False,
    audit_refusal: str | None = None,
) -> Callable[..., Any]:
    """The one decorator of every back-office view: login required, ``request.access`` set, domain
    errors → the 403 / 404 pages with their Chinese message.

    - ``require_role=False``: users without a membership reach the view too (their ``Access`` sees
      nothing), for pages that answer 404 for what is outside the scope whoever asks, so that its
      existence never shows (404 before 403);
    - ``no_role_message``: the 403 text for users without a membership (when ``require_role``);
    - ``pass_access=True``: the view is called as ``view(request, access, *args, **kwargs)``;
    - ``audit_refusal="govcredit.<thing>.view_denied"``: a refusal (``PermissionDenied``) is written
      to the audit ledger under that action before the 403 page, for pages whose refused attempts
      must leave a trace (credit checks)."""
    if view is None:
        return functools.partial(
            office_view,
            require_role=require_role,
            no_role_message=no_role_message,
            pass_access=pass_access,
            audit_refusal=audit_refusal,
        )

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        access = Access.for_user(request.user)
        if require_role and not access.roles:
            return render(request, "403.html", {"exception": no_role_message}, status=403)
        request.access = access  # type: ignore[attr-defined]
        try:
            response: HttpResponse = (
                view(request, access, *args, **kwargs) if pass_access else view(request, *args, **kwargs)
            )
            return response
        except PermissionDenied as exc:
            if audit_refusal:
                log_action(audit_refusal, actor=request.user, summary=exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def require(allowed: bool, message: str) -> None:
    """Refuse with a 403 page naming what is not allowed."""
    if not allowed:
        raise DjangoPermissionDenied(message)


# ---------------------------------------------------------------------------------------- helpers
def paginate(request: HttpRequest, queryset: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    """``page_obj`` and ``query_string`` (the filters without ``page``) for core/_pagination.html."""
    paginator = Paginator(queryset, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "query_string": query_string(request, drop=("page",))}


def query_string(request: HttpRequest, drop: Iterable[str] = ("page",), **extra: Any) -> str:
    params = [(k, v) for k, values in request.GET.lists() if k not in drop for v in values if v != ""]
    params += [(k, v) for k, v in extra.items()]
    return urlencode(params)


def apply_form_errors(form: forms.BaseForm, exc: CreditError, *, fallback: str | None = None) -> None:
    """Put a service's field errors on the form's fields (unknown fields become non-field errors);
    an error naming no field goes on ``fallback`` (a field of the form) or on the whole form."""
    placed = False
    for field, errors in (exc.field_errors or {}).items():
        for error in errors:
            if error:
                form.add_error(field if field in form.fields else None, error)
                placed = True
    if not placed:
        form.add_error(fallback if fallback in form.fields else None, exc.message)


# ------------------------------------------------------------------------------------ 工作台 home
def action_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    nav: str,
    title: str,
    back_url: str,
    crumbs: list[tuple[str, str]],
    submit: str = "保存",
    subtitle: str = "",
    **extra: Any,
) -> HttpResponse:
    """An app's one-form action page (``office/action_form.html``)."""
    context = {"nav": nav, "form": form, "title": title, "subtitle": subtitle, "back_url": back_url}
    return render(
        request, "office/action_form.html", {**context, "crumbs": crumbs, "submit": submit, **extra}
    )


def call_service(form: forms.BaseForm, apply: Callable[[], Any], *, fallback: str | None = None) -> Any:
    """Call the service behind a form; its errors go on the form's fields. The result, or None."""
    try:
        return apply()
    except CreditError as exc:
        apply_form_errors(form, exc, fallback=fallback)
        return None


def recent_activity(access: Access, limit: int = 10) -> list[AuditEntry]:
    """Latest audit entries the user may see: auditors and the credit office all, others their own."""
    qs = AuditEntry.objects.only(
        "sequence", "at", "actor_name", "action", "summary", "object_type", "object_id"
    )
    if not access.can_read_audit():
        qs = qs.filter(actor=access.user)
    entries = list(qs.order_by("-sequence")[:limit])
    for entry in entries:
        entry.label = action_label(entry.action)  # type: ignore[attr-defined]
    return entries


def dashboard_tiles(access: Access) -> list[Tile]:
    """The user's work queues: every app's ``office.tiles(access)``, in ``order``."""
    return tiles_for(access)


@office_view
def dashboard(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    context = {
        "nav": "home",
        "tiles": dashboard_tiles(access),
        "charts": charts_for(access),
        "activity": recent_activity(access),
        "activity_all": access.can_read_audit(),
        "memberships": access.memberships,
    }
    return render(request, "office/dashboard.html", context)


# ------------------------------------------------------------------------------------ audit ledger
def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _audit_queryset(form: AuditFilterForm) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all().order_by("-sequence")
    if not form.is_valid():
        return qs.none()
    data = form.cleaned_data
    if data.get("kind"):
        qs = qs.filter(audit.kind_filter(data["kind"]))
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("actor"):
        qs = qs.filter(Q(actor_name__icontains=data["actor"]) | Q(actor__username=data["actor"]))
    if data.get("object_type"):
        qs = qs.filter(audit.object_type_filter(data["object_type"]))
    if data.get("object_id"):
        qs = qs.filter(object_id=data["object_id"].strip())
    if data.get("date_from"):
        qs = qs.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return qs


def _object_url(object_type: str, object_id: str) -> str:
    """The back-office page of the audited object, when its app names one (``office.audit_links``)."""
    from .registry import audit_links

    url_name = audit_links().get(object_type)
    if not url_name or not object_id:
        return ""
    try:
        return reverse(url_name, args=[object_id])
    except NoReverseMatch:
        return ""


def audit_changes(before: Any, after: Any, object_type: str = "") -> list[tuple[str, str, str]]:
    """(field's Chinese name, before, after) rows for display; non-dict payloads show as one row."""
    return [(c.label, c.before, c.after) for c in audit.changes(object_type, before, after)]


AUDIT_HEADERS = [
    "序号",
    "时间（北京时间）",
    "类别",
    "操作人",
    "操作",
    "操作代码",
    "对象类型",
    "对象类型代码",
    "对象编号",
    "摘要",
    "变更（字段：前 → 后）",
    "哈希",
]


def _audit_row(e: AuditEntry) -> tuple[Any, ...]:
    changes = "；\n".join(
        f"{label}：{b or '（空）'} → {a or '（空）'}" if label else f"{b or '（空）'} → {a or '（空）'}"
        for label, b, a in audit_changes(e.before, e.after, e.object_type)
    )
    return (
        e.sequence,
        timezone.localtime(e.at).replace(tzinfo=None),
        audit.KIND_LABELS[audit.kind_of(e.action)],
        e.actor_name,
        action_label(e.action),
        e.action,
        audit.object_label(e.object_type) if e.object_type else "",
        e.object_type,
        e.object_id,
        e.summary,
        changes,
        e.hash,
    )


@office_view
def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.access.can_read_audit(), "只有审计员、系统管理员和信用办可以查看审计日志")  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or {})
    qs = _audit_queryset(form)
    if request.GET.get("export") == "xlsx":
        rows = (_audit_row(e) for e in qs.iterator(chunk_size=2000))
        return xlsx_response("审计日志", "审计日志", AUDIT_HEADERS, rows)
    context = paginate(request, qs)
    for entry in context["page_obj"].object_list:
        entry.label = action_label(entry.action)
        entry.kind = audit.KIND_LABELS[audit.kind_of(entry.action)]
        entry.object_label = audit.object_label(entry.object_type) if entry.object_type else ""
        entry.object_url = _object_url(entry.object_type, entry.object_id)
        entry.changes = audit.changes(entry.object_type, entry.before, entry.after)
    export_qs = query_string(request, drop=("page", "export"), export="xlsx")
    current_kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    kinds = [
        {
            "key": "",
            "label": "全部",
            "hint": "全部日志",
            "qs": query_string(request, drop=("page", "kind", "export")),
        },
        *(
            {
                "key": k.key,
                "label": k.label,
                "hint": k.hint,
                "qs": query_string(request, drop=("page", "kind", "export"), kind=k.key),
            }
            for k in audit.KINDS
        ),
    ]
    context.update(
        nav="audit",
        form=form,
        export_qs=export_qs,
        kinds=kinds,
        current_kind=current_kind,
        object_types=audit.object_types(),
    )
    return render(request, "office/audit_list.html", context)


@office_view
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    require(request.access.can_read_audit(), "只有审计员、系统管理员和信用办可以校验审计链")  # type: ignore[attr-defined]
    reports = [("审计日志链", verify_audit_chain()), ("公开日志链", verify_transparency_chain())]
    broken = any(not r.ok for _, r in reports)
    return render(request, "office/audit_verify.html", {"nav": "audit", "reports": reports, "broken": broken})


# ------------------------------------------------------------------------- working-day calendar
def _calendar_context(request: HttpRequest, **forms_: forms.Form) -> dict[str, Any]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    years_entered = {y.year: y for y in CalendarYear.objects.all()}
    years = [
        {
            "year": y,
            "package": package_knows_year(y),
            "entered": years_entered.get(y),
            "estimated": not package_knows_year(y) and y not in years_entered,
        }
        for y in range(today.year - 1, today.year + 3)
    ]
    return {
        "nav": "system",
        "year": year,
        "years": years,
        "overrides": HolidayOverride.objects.filter(date__year=year),
        "holiday_form": forms_.get("holiday_form") or HolidayForm(initial={"date": dt.date(year, 1, 1)}),
        "year_form": forms_.get("year_form") or CalendarYearForm(initial={"year": year}),
        "can_edit_calendar": request.access.can_manage_catalog(),  # type: ignore[attr-defined]
        "is_admin": request.user.is_superuser,
    }


def _calendar_url(year: int) -> str:
    return f"{reverse('office:system')}?year={year}"


def _require_calendar_editor(access: Access) -> None:
    require(access.can_manage_catalog(), "只有信用办和系统管理员可以维护工作日历")


@office_view
def system_home(request: HttpRequest) -> HttpResponse:
    return render(request, "office/system.html", _calendar_context(request))


@office_view
@require_POST
def calendar_add(request: HttpRequest) -> HttpResponse:
    _require_calendar_editor(request.access)  # type: ignore[attr-defined]
    form = HolidayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = add_holiday(
                data["date"], is_workday=data["is_workday"], note=data["note"], actor=request.user
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            kind = "调休上班日" if entry.is_workday else "法定节假日"
            messages.success(request, f"已登记 {entry.date:%Y-%m-%d} 为{kind}")
            return redirect(_calendar_url(entry.date.year))
    return render(request, "office/system.html", _calendar_context(request, holiday_form=form), status=422)


@office_view
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_calendar_editor(request.access)  # type: ignore[attr-defined]
    entry = HolidayOverride.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("该节假日调整不存在")
    day = entry.date
    remove_holiday(entry, actor=request.user)
    messages.success(request, f"已删除 {day:%Y-%m-%d} 的节假日调整")
    return redirect(_calendar_url(day.year))


@office_view
@require_POST
def calendar_complete(request: HttpRequest) -> HttpResponse:
    _require_calendar_editor(request.access)  # type: ignore[attr-defined]
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = mark_year_complete(data["year"], source=data["source"], actor=request.user)
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{entry.year} 年工作日历已标记为录入完整，该年的办理时限不再是预估")
            return redirect(_calendar_url(entry.year))
    return render(request, "office/system.html", _calendar_context(request, year_form=form), status=422)
