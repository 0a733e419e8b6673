"""Back-office plumbing shared by every office page, the 工作台 home, the audit ledger and system pages.

Views stay thin: they read ``request.access`` (one ``Access`` per request), call services, and let
``office_view`` turn domain errors into the 403/404 pages with their Chinese message.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.accounts.permissions import Access

from .errors import CreditError, NotFound, PermissionDenied, ValidationFailed
from .spreadsheets import formula_safe

PER_PAGE = 20
NO_MEMBERSHIP_MESSAGE = (
    "您的账号尚未分配单位和角色，暂时无法使用管理后台。请联系本单位的系统管理员或区信用办开通相应角色。"
)


# ---------------------------------------------------------------------------------------- errors
def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有访问该页面的权限"
    return render(request, "403.html", {"exception": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)


# ------------------------------------------------------------------------------------- decorators
def office_view(view: Callable | None = None, *, require_role: bool = True) -> Callable:
    """Login required, a membership required, ``request.access`` set, domain errors → 403 / 404.

    ``@office_view(require_role=False)``: users without a membership reach the view too (their
    ``Access`` sees nothing), for pages that must answer 404 for what is outside the scope whoever
    asks, so that its existence never shows."""
    if view is None:
        return functools.partial(office_view, require_role=require_role)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        access = Access.for_user(request.user)
        if require_role and not access.roles:
            return render(request, "403.html", {"exception": NO_MEMBERSHIP_MESSAGE}, status=403)
        request.access = access
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def require(allowed: bool, message: str) -> None:
    """Refuse with a 403 page naming what is not allowed."""
    if not allowed:
        raise DjangoPermissionDenied(message)


# ---------------------------------------------------------------------------------------- helpers
def paginate(request, queryset, per_page: int = PER_PAGE) -> dict:
    """``page_obj`` and ``query_string`` (the filters without ``page``) for core/_pagination.html."""
    paginator = Paginator(queryset, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "query_string": query_string(request, drop=("page",))}


def query_string(request, drop: Iterable[str] = ("page",), **extra) -> str:
    params = [(k, v) for k, values in request.GET.lists() if k not in drop for v in values if v != ""]
    params += [(k, v) for k, v in extra.items()]
    return urlencode(params)


def apply_form_errors(form, exc: CreditError, *, fallback: str | None = None) -> None:
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


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A real .xlsx (openpyxl) with a bold header row; cells starting with = + - @ are kept as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_excel_safe(v) for v in row])
    for idx, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = max(10, len(header) * 2 + 4)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    from urllib.parse import quote

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"export-{stamp}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _excel_safe(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else value
    if value is None:
        return ""
    return formula_safe(value)


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


# ------------------------------------------------------------------------------------ 工作台 home
def _tile(label: str, count: int, url: str, hint: str = "", tone: str = "") -> dict:
    return {"label": label, "count": count, "url": url, "hint": hint, "tone": tone if count else "zero"}


def dashboard_tiles(access: Access) -> list[dict]:
    """The user's work queues, counted in their scope with one aggregate query for records."""
    from django.db.models import Count, Q

    from govcredit.accounts.models import Role
    from govcredit.records.models import LIVE_STATUSES, Status
    from govcredit.records.selectors import records_for
    from govcredit.subjects.models import Subject

    today = timezone.localdate()
    soon = today + dt.timedelta(days=30)
    records = records_for(access).order_by()
    is_clerk = access.has_role(Role.CLERK)
    own_subjects = access.subject_ids_of_own_units()
    aggregates = {
        "submitted": Count("pk", filter=Q(status=Status.SUBMITTED)),
        "expiring": Count(
            "pk", filter=Q(status__in=LIVE_STATUSES, publish_until__gte=today, publish_until__lte=soon)
        ),
    }
    if is_clerk:
        aggregates["draft"] = Count("pk", filter=Q(status=Status.DRAFT))
        aggregates["rejected"] = Count("pk", filter=Q(status=Status.REJECTED))
    if own_subjects:
        own = Q(subject_id__in=own_subjects) | Q(subject__parent_id__in=own_subjects)
        for status in (Status.PUBLISHED, Status.UNDER_OBJECTION, Status.REPAIRED, Status.EXPIRED):
            aggregates[f"own_{status}"] = Count("pk", filter=own & Q(status=status))
    counts = records.aggregate(**aggregates)

    tiles = []
    if access.can_review():
        tiles.append(
            _tile(
                "待审核",
                counts["submitted"],
                "/office/records/review/",
                "报送单位已提交、等待审核的记录",
                "warning",
            )
        )
    if is_clerk:
        tiles += [
            _tile("我的草稿", counts["draft"], "/office/records/?status=draft", "尚未提交审核"),
            _tile(
                "已驳回",
                counts["rejected"],
                "/office/records/?status=rejected",
                "请按审核意见修改后重新提交",
                "danger",
            ),
        ]
        if not access.can_review():
            tiles.append(
                _tile(
                    "审核中",
                    counts["submitted"],
                    "/office/records/?status=submitted",
                    "已提交，等待信用办审核",
                )
            )
    if own_subjects:
        labels = {
            Status.PUBLISHED: ("本单位记录 · 已公示", "danger"),
            Status.UNDER_OBJECTION: ("本单位记录 · 异议处理中", "warning"),
            Status.REPAIRED: ("本单位记录 · 已修复", "ok"),
            Status.EXPIRED: ("本单位记录 · 已过期", ""),
        }
        for status, (label, tone) in labels.items():
            tiles.append(_tile(label, counts[f"own_{status}"], f"/office/records/?status={status}", "", tone))
    tiles.append(
        _tile(
            "即将到期",
            counts["expiring"],
            "/office/records/?expiring=30",
            "30 天内公示期届满的记录",
            "warning",
        )
    )
    tiles += _rectification_and_case_tiles(access, today)
    if access.can_manage_subjects():
        subject_counts = Subject.objects.order_by().aggregate(
            confirm=Count("pk", filter=Q(needs_confirmation=True)),
            placeholder=Count("pk", filter=Q(placeholder_code=True)),
        )
        tiles += [
            _tile(
                "待确认主体",
                subject_counts["confirm"],
                "/office/subjects/?needs_confirmation=1",
                "报送时新登记、需信用办核实的主体",
                "warning",
            ),
            _tile(
                "占位代码",
                subject_counts["placeholder"],
                "/office/subjects/?placeholder=1",
                "参考数据生成的代码，须替换为真实代码",
            ),
        ]
    return tiles


def _rectification_and_case_tiles(access: Access, today: dt.date) -> list[dict]:
    """Rectification tasks (the recorded unit's to do, the credit office's to accept) and open dispute cases."""
    from django.db.models import Count, Q

    from govcredit.disputes.models import OPEN_STATUSES
    from govcredit.disputes.services import cases_for
    from govcredit.sanctions.models import RectificationStatus as R
    from govcredit.sanctions.services import TODO_STATUSES as pending
    from govcredit.sanctions.services import can_manage, rectifications_for

    tiles = []
    counts = (
        rectifications_for(access)
        .order_by()
        .aggregate(
            todo=Count("pk", filter=Q(status__in=pending)),
            overdue=Count("pk", filter=Q(status__in=pending, deadline__lt=today)),
            to_accept=Count("pk", filter=Q(status=R.SUBMITTED)),
        )
    )
    if access.subject_ids_of_own_units():
        tiles.append(
            _tile(
                "待整改",
                counts["todo"],
                "/office/sanctions/rectifications/?status=open",
                "书面说明原因并限期整改",
                "danger",
            )
        )
    if can_manage(access):
        tiles.append(
            _tile(
                "整改待验收",
                counts["to_accept"],
                "/office/sanctions/rectifications/?status=submitted",
                "被记录单位已提交整改材料",
                "warning",
            )
        )
    if counts["overdue"] and (can_manage(access) or access.subject_ids_of_own_units()):
        tiles.append(
            _tile(
                "整改逾期",
                counts["overdue"],
                "/office/sanctions/rectifications/?overdue=1",
                "已过整改期限，已督办",
                "danger",
            )
        )
    open_cases = cases_for(access).filter(status__in=OPEN_STATUSES).count() if access.memberships else 0
    if open_cases:
        tiles.append(
            _tile("异议与修复待办", open_cases, "/office/disputes/", "按工作日计时的案件", "warning")
        )
    return tiles


def recent_activity(access: Access, limit: int = 10):
    """Latest audit entries the user may see: auditors and the credit office all, others their own."""
    from .ledger import action_label
    from .models import AuditEntry

    qs = AuditEntry.objects.only(
        "sequence", "at", "actor_name", "action", "summary", "object_type", "object_id"
    )
    if not access.can_read_audit():
        qs = qs.filter(actor=access.user)
    entries = list(qs.order_by("-sequence")[:limit])
    for entry in entries:
        entry.label = action_label(entry.action)
    return entries


@office_view
def dashboard(request):
    access = request.access
    context = {
        "nav": "home",
        "tiles": dashboard_tiles(access),
        "activity": recent_activity(access),
        "activity_all": access.can_read_audit(),
        "memberships": access.memberships,
    }
    return render(request, "core/dashboard.html", context)


# ------------------------------------------------------------------------------------ audit ledger
def _audit_queryset(form):
    from django.db.models import Q

    from .models import AuditEntry

    qs = AuditEntry.objects.all().order_by("-sequence")
    if not form.is_valid():
        return qs.none()
    data = form.cleaned_data
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("actor"):
        qs = qs.filter(Q(actor_name__icontains=data["actor"]) | Q(actor__username=data["actor"]))
    if data.get("object_type"):
        qs = qs.filter(object_type__icontains=data["object_type"].strip())
    if data.get("object_id"):
        qs = qs.filter(object_id=data["object_id"].strip())
    if data.get("date_from"):
        qs = qs.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return qs


OBJECT_LABELS = {
    "records.creditrecord": "信用记录",
    "subjects.subject": "主体",
    "subjects.tenure": "任职",
    "catalog.catalogitem": "目录事项",
    "accounts.user": "用户",
    "accounts.apitoken": "接口令牌",
    "core.holidayoverride": "节假日调整",
    "core.calendaryear": "工作日历年度",
}
OBJECT_URLS = {
    "records.creditrecord": "/office/records/{id}/",
    "subjects.subject": "/office/subjects/{id}/",
}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_changes(before, after) -> list[tuple[str, str, str]]:
    """(field, before, after) rows for display; non-dict payloads show as one row."""
    import json

    def text(value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    if isinstance(before, dict) or isinstance(after, dict):
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, text(before.get(k)), text(after.get(k))) for k in keys if before.get(k) != after.get(k)]
    if before is None and after is None:
        return []
    return [("", text(before), text(after))]


@office_view
def audit_list(request):
    from .forms import AuditFilterForm
    from .ledger import action_label

    require(request.access.can_read_audit(), "只有审计员、系统管理员和信用办可以查看审计日志")
    form = AuditFilterForm(request.GET or None)
    if not request.GET:
        form = AuditFilterForm({})
    qs = _audit_queryset(form)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                e.sequence,
                e.at,
                e.actor_name,
                action_label(e.action),
                e.action,
                e.object_type,
                e.object_id,
                e.summary,
                "；".join(
                    f"{k}: {b} → {a}" if k else f"{b} → {a}" for k, b, a in audit_changes(e.before, e.after)
                ),
                e.hash,
            )
            for e in qs.iterator(chunk_size=2000)
        )
        headers = [
            "序号",
            "时间",
            "操作人",
            "操作",
            "操作代码",
            "对象类型",
            "对象编号",
            "摘要",
            "变更（前 → 后）",
            "哈希",
        ]
        return xlsx_response("审计日志", "审计日志", headers, rows)
    context = paginate(request, qs)
    for entry in context["page_obj"].object_list:
        entry.label = action_label(entry.action)
        entry.object_label = OBJECT_LABELS.get(entry.object_type, entry.object_type)
        url = OBJECT_URLS.get(entry.object_type)
        entry.object_url = url.format(id=entry.object_id) if url and entry.object_id else ""
        entry.changes = audit_changes(entry.before, entry.after)
    export_qs = query_string(request, drop=("page", "export"), export="xlsx")
    return render(
        request, "core/audit_list.html", {"nav": "audit", "form": form, "export_qs": export_qs, **context}
    )


@office_view
@require_POST
def audit_verify(request):
    from .ledger import verify_audit_chain, verify_transparency_chain

    require(request.access.can_read_audit(), "只有审计员、系统管理员和信用办可以校验审计链")
    reports = [("审计日志链", verify_audit_chain()), ("公开日志链", verify_transparency_chain())]
    broken = any(not r.ok for _, r in reports)
    return render(request, "core/audit_verify.html", {"nav": "audit", "reports": reports, "broken": broken})


# ------------------------------------------------------------------------------------ system pages
def _calendar_context(request, **forms_):
    from .forms import CalendarYearForm, HolidayForm
    from .models import CalendarYear, HolidayOverride
    from .workdays import package_knows_year

    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    years_entered = {y.year: y for y in CalendarYear.objects.all()}
    years = []
    for y in range(today.year - 1, today.year + 3):
        years.append(
            {
                "year": y,
                "package": package_knows_year(y),
                "entered": years_entered.get(y),
                "estimated": not package_knows_year(y) and y not in years_entered,
            }
        )
    return {
        "year": year,
        "years": years,
        "overrides": HolidayOverride.objects.filter(date__year=year),
        "holiday_form": forms_.get("holiday_form") or HolidayForm(initial={"date": dt.date(year, 1, 1)}),
        "year_form": forms_.get("year_form") or CalendarYearForm(initial={"year": year}),
        "can_edit_calendar": request.access.can_manage_catalog(),
        "is_admin": request.user.is_superuser,
    }


@office_view
def system_home(request):
    return render(request, "core/system.html", {"nav": "system", **_calendar_context(request)})


def _require_calendar_editor(access: Access) -> None:
    require(access.can_manage_catalog(), "只有信用办和系统管理员可以维护工作日历")


@office_view
@require_POST
def calendar_add(request):
    from .calendar import add_holiday
    from .forms import HolidayForm

    _require_calendar_editor(request.access)
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
            return redirect(f"/office/system/?year={entry.date.year}")
    context = _calendar_context(request, holiday_form=form)
    return render(request, "core/system.html", {"nav": "system", **context}, status=422)


@office_view
@require_POST
def calendar_delete(request, pk: int):
    from .calendar import remove_holiday
    from .models import HolidayOverride

    _require_calendar_editor(request.access)
    entry = HolidayOverride.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("该节假日调整不存在")
    day = entry.date
    remove_holiday(entry, actor=request.user)
    messages.success(request, f"已删除 {day:%Y-%m-%d} 的节假日调整")
    return redirect(f"/office/system/?year={day.year}")


@office_view
@require_POST
def calendar_complete(request):
    from .calendar import mark_year_complete
    from .forms import CalendarYearForm

    _require_calendar_editor(request.access)
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = mark_year_complete(data["year"], source=data["source"], actor=request.user)
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{entry.year} 年工作日历已标记为录入完整，该年的办理时限不再是预估")
            return redirect(f"/office/system/?year={entry.year}")
    context = _calendar_context(request, year_form=form)
    return render(request, "core/system.html", {"nav": "system", **context}, status=422)


def _tokens_context(request, **extra):
    from govcredit.accounts.models import ApiToken

    from .forms import TokenForm

    qs = ApiToken.objects.select_related("user").order_by("-created_at")
    if not request.user.is_superuser:
        qs = qs.filter(user=request.user)
    context = {
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "all_users": request.user.is_superuser,
    }
    context.update(paginate(request, qs))
    context.update(extra)
    return context


@office_view
def tokens(request):
    return render(request, "core/system_tokens.html", {"nav": "system", **_tokens_context(request)})


@office_view
@require_POST
def token_create(request):
    from govcredit.accounts.services import create_token

    from .forms import TokenForm

    form = TokenForm(request.POST)
    if not form.is_valid():
        context = _tokens_context(request, token_form=form)
        return render(request, "core/system_tokens.html", {"nav": "system", **context}, status=422)
    token, plain = create_token(request.user, name=form.cleaned_data["name"], actor=request.user)
    context = _tokens_context(request, new_token=plain, new_token_row=token)
    response = render(request, "core/system_tokens.html", {"nav": "system", **context})
    response["Cache-Control"] = "no-store"
    return response


@office_view
@require_POST
def token_revoke(request, pk: int):
    from govcredit.accounts.models import ApiToken
    from govcredit.accounts.services import revoke_token

    qs = ApiToken.objects.all() if request.user.is_superuser else ApiToken.objects.filter(user=request.user)
    token = qs.filter(pk=pk).first()
    if token is None:
        raise Http404("接口令牌不存在")
    revoke_token(token, actor=request.user)
    messages.success(request, f"接口令牌「{token.prefix}…」已撤销，使用它的系统将无法再访问接口")
    return redirect("core:tokens")
