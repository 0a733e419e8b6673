"""Back office of 公务员信用档案: thin views over ``personnel.services`` and ``personnel.importer``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.core.errors import CreditError
from govcredit.office.views import office_view, paginate, query_string, require, xlsx_response
from govcredit.subjects.models import Subject, SubjectKind, Tenure
from govcredit.subjects.services import reveal_id_number

from . import importer, services
from .check_inputs import consult
from .models import RankLevel, RuleKind

NAV = "personnel"
DENIED = "只有区委组织部、区人社局、信用办和审计人员可以查看公务员信用档案"
FLAGS = [
    ("discipline", "处分期内"),
    ("review", "上年度考核基本称职或不称职"),
    ("deficit", "上年度培训学时不足"),
]
HEADERS = ["姓名", "身份证号", "所在单位", "职级层次", "职务职级", "标记"]


def _year(request, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else default


@office_view(audit_refusal="govcredit.personnel.view_denied")
def file_list(request):
    access = request.access
    access.require(services.may_view(access), DENIED)
    today = timezone.localdate()
    f = {k: request.GET.get(k, "") for k in ("q", "unit", "rank_level", "flag")}
    qs = services.filter_files(services.files_for(access), today=today, **f).order_by("subject__name", "pk")
    if request.GET.get("export") == "xlsx":

        def rows():
            batch = list(qs[:20000])
            flags = services.flags_for(batch, today)
            for p in batch:
                yield (
                    p.subject.display_name,
                    p.subject.id_masked,
                    p.subject.parent.name if p.subject.parent else "",
                    p.get_rank_level_display(),
                    p.rank,
                    "、".join(flags[p.pk]),
                )

        return xlsx_response("公务员信用档案", "公务员信用档案", HEADERS, rows())
    page = paginate(request, qs)
    flags = services.flags_for(list(page["page_obj"].object_list), today)
    for p in page["page_obj"].object_list:
        p.flags = flags[p.pk]
    units = Subject.objects.filter(
        kind__in=("government", "department"), children__kind=SubjectKind.CIVIL_SERVANT
    )
    return render(
        request,
        "personnel/list.html",
        {
            "nav": NAV,
            "f": f,
            "flags": FLAGS,
            "rank_levels": RankLevel.choices,
            "units": units.distinct().order_by("name").only("pk", "name"),
            "can_manage": services.may_manage(access),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            **page,
        },
    )


@office_view(audit_refusal="govcredit.personnel.view_denied")
def file_detail(request, pk: int):
    access = request.access
    access.require(services.may_view(access), DENIED)
    file = services.get_file(access, pk)
    today = timezone.localdate()
    subject = file.subject
    revealed = None
    if request.method == "POST" and request.POST.get("reveal"):
        try:
            revealed = {
                "id_number": reveal_id_number(subject, access=access, purpose="查看公务员信用档案"),
                "name": subject.name,
            }
        except CreditError as exc:
            require(False, exc.message)
    verdict = consult("appointment", [subject.pk], today).get(subject.pk)
    trainings = list(file.trainings.select_related("course"))
    years: dict[int, dict] = {}
    for t in trainings:
        y = years.setdefault(t.start.year, {"hours": Decimal("0"), "days": Decimal("0")})
        if t.attended:
            y["hours"] += t.hours
            y["days"] += t.days
    rule = services.training_rule(file.rank_level)
    for y in years.values():
        y["deficit"] = bool(rule) and y["hours"] < (rule.hours or 0) and y["days"] < (rule.days or 0)
    records = list(services.person_records(subject))
    periods = {
        p.record.pk: p
        for p in services.discipline_periods(
            records, {r.match: r for r in services.active_rules(RuleKind.DISCIPLINE)}
        )
    }
    for r in records:
        r.period = periods.get(r.pk)
        r.in_period = bool(r.period and r.period.active_on(today))
    return render(
        request,
        "personnel/detail.html",
        {
            "nav": NAV,
            "file": file,
            "subject": subject,
            "revealed": revealed,
            "can_unmask": access.can_unmask,
            "verdict": verdict,
            "tenures": Tenure.objects.filter(person=subject).select_related("unit"),
            "trainings": trainings,
            "years": sorted(years.items(), reverse=True),
            "rule": rule,
            "reviews": file.reviews.all(),
            "matters": file.matters.all(),
            "records": records,
            "today": today,
        },
    )


@office_view
def import_file(request):
    access = request.access
    require(services.may_manage(access), "只有区委组织部、区人社局或信用办可以导入公务员信用档案")
    result = None
    kind = request.POST.get("kind", "training")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的 XLSX 文件")
        elif upload.size > 20 * 1024 * 1024:
            messages.error(request, "文件不能超过 20 MB")
        else:
            unit = access.primary.organisation.short_name if access.primary else ""
            try:
                result = importer.import_xlsx(access, kind, upload.read(), source=unit)
            except CreditError as exc:
                messages.error(request, exc.message)
            else:
                (messages.error if result.problems else messages.success)(request, result.message)
    sheets = [(k, label, [*importer.COMMON, *cols]) for k, (label, cols, _req) in importer.SHEETS.items()]
    return render(
        request, "personnel/import.html", {"nav": NAV, "result": result, "kind": kind, "sheets": sheets}
    )


@office_view(audit_refusal="govcredit.personnel.view_denied")
def deficits(request):
    access = request.access
    access.require(services.may_view(access), DENIED)
    year = _year(request, timezone.localdate().year - 1)
    qs, rule = services.training_deficits(access, year)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                p.subject.display_name,
                p.subject.id_masked,
                p.subject.parent.name if p.subject.parent else "",
                p.year_hours,
                p.year_days,
            )
            for p in qs
        )
        return xlsx_response(
            f"{year}年度培训学时不足", "培训学时不足", ["姓名", "身份证号", "所在单位", "学时", "天数"], rows
        )
    page = paginate(request, qs)
    reminded = set(
        services.TrainingReminder.objects.filter(
            year=year, file__in=[p.pk for p in page["page_obj"].object_list]
        ).values_list("file_id", flat=True)
    )
    for p in page["page_obj"].object_list:
        p.reminded = p.pk in reminded
    return render(
        request,
        "personnel/deficits.html",
        {
            "nav": NAV,
            "year": year,
            "rule": rule,
            "can_manage": services.may_manage(access),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            **page,
        },
    )


@office_view
@require_POST
def remind(request):
    year = _year(request, timezone.localdate().year - 1)
    try:
        n = services.remind_deficits(request.access, year)
    except CreditError as exc:
        require(False, exc.message)
    messages.success(
        request, f"已向 {n} 人发送{year}年度培训学时不足提醒" if n else "没有需要新发送提醒的人员"
    )
    return redirect(f"{_url('personnel:deficits')}?year={year}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@office_view(audit_refusal="govcredit.personnel.view_denied")
def courses(request):
    access = request.access
    access.require(services.may_view(access), DENIED)
    qs = services.courses_with_attendance()
    page = paginate(request, qs)
    selected = request.GET.get("course", "")
    attendance = []
    if selected.isdigit():
        attendance = list(
            services.TrainingRecord.objects.filter(course_id=int(selected))
            .select_related("file__subject__parent")
            .order_by("-attended", "file__subject__name")
        )
    return render(
        request,
        "personnel/courses.html",
        {"nav": NAV, "selected": selected, "attendance": attendance, **page},
    )


@office_view(audit_refusal="govcredit.personnel.view_denied")
def rules(request):
    request.access.require(services.may_view(request.access), DENIED)
    return render(
        request, "personnel/rules.html", {"nav": NAV, "rules": services.PersonnelRule.objects.all()}
    )


_ = dt
