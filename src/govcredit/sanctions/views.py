"""Back-office pages (惩戒措施 /office/sanctions/, 信用核查 /office/checks/) and the public 报告核验 page.

Thin: forms parse input, services decide; CreditError becomes a field error, a message or a 403/404.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from govcredit.catalog.models import CatalogItem, Severity
from govcredit.core.errors import CreditError, NotFound, ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.core.uploads import download_response, read_upload
from govcredit.office.views import apply_form_errors, office_view, paginate, query_string, xlsx_response
from govcredit.records.selectors import get_record_for_user
from govcredit.subjects.models import SubjectKind

from . import checks, services
from .forms import (
    AdjustForm,
    CheckForm,
    DecisionForm,
    LiftForm,
    MeasureForm,
    NoticeForm,
    RectificationForm,
    ReferralForm,
    RuleForm,
)
from .models import (
    Measure,
    MeasureKind,
    NoticeStatus,
    Purpose,
    RectificationStatus,
    ReferralStatus,
    Rule,
    SanctionStatus,
)

#: an export larger than this asks the user to narrow the filters (openpyxl builds it in memory)
MAX_EXPORT_ROWS = 50_000


#: every sanctions page (the services decide who sees what; users of no unit see empty lists)
office = office_view(require_role=False)


def _list_page(request, template: str, qs, *, nav: str = "sanctions", export: bool = False, **extra):
    """A filtered list: one page of ``qs``, the filters as ``f`` and, for exportable lists, the
    query of the 导出 link."""
    context = {"nav": nav, **paginate(request, qs), "f": request.GET, **extra}
    if export:
        context["export_query"] = query_string(request, drop=("page", "export"), export="xlsx")
    return render(request, template, context)


def _wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def _export(request, qs, *, filename: str, headers: list[str], row):
    """The filtered list (every page) as .xlsx; text cells are formula-safe (core xlsx_response)."""
    if qs.count() > MAX_EXPORT_ROWS:
        messages.error(request, f"筛选结果超过 {MAX_EXPORT_ROWS:,} 条，请缩小筛选范围后再导出")
        return redirect(f"{request.path}?{query_string(request, drop=('export',))}")
    return xlsx_response(filename, filename, headers, (row(obj) for obj in qs.iterator(chunk_size=2000)))


def _date(value) -> str:
    return value.isoformat() if value else ""


def _yes(value: bool) -> str:
    return "是" if value else "否"


# -- sanctions ------------------------------------------------------------------------------------


@office
def sanction_list(request):
    access = request.access
    qs = services.sanctions_for(access)
    f = request.GET
    if f.get("q"):
        qs = qs.filter(subject__name__contains=f["q"].strip()) | qs.filter(
            record__document_no__contains=f["q"].strip()
        )
    if f.get("measure"):
        qs = qs.filter(measure__code=f["measure"])
    if f.get("status") in SanctionStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("disputed") == "1":
        qs = qs.filter(disputed=True)
    if f.get("kind") in MeasureKind.values:
        qs = qs.filter(measure__kind=f["kind"])
    order = "start" if f.get("sort") == "start" else "-start"
    qs = qs.order_by(order, "-pk")
    if _wants_export(request):
        return _export(
            request,
            qs,
            filename="奖惩实施",
            headers=[
                "主体",
                "主体类型",
                "主体代码",
                "措施",
                "措施类别",
                "文书号",
                "信息类别",
                "严重程度",
                "开始日期",
                "结束日期",
                "规则版本",
                "状态",
                "异议处理中",
                "从轻",
                "依据说明",
            ],
            row=lambda s: (
                s.subject.display_name,
                s.subject.get_kind_display(),
                s.subject.code_display,
                s.measure.name,
                s.measure.get_kind_display(),
                s.record.document_no,
                s.record.item.name,
                s.record.get_severity_display(),
                _date(s.start),
                _date(s.end) or "随记录公示期",
                f"v{s.rule_version}" if s.rule_id else "",
                s.get_status_display(),
                _yes(s.disputed),
                _yes(s.mitigated),
                s.reason,
            ),
        )
    return _list_page(
        request,
        "sanctions/sanction_list.html",
        qs,
        export=True,
        measures=Measure.objects.all(),
        statuses=SanctionStatus.choices,
        kinds=MeasureKind.choices,
        tiles=services.sanction_tiles(access),
        can_manage=services.can_manage(access),
        unread=request.user.sanction_notices.filter(read_at__isnull=True).count(),
    )


@office
def sanction_detail(request, pk):
    access = request.access
    sanction = services.get_visible(services.sanctions_for(access), pk, "奖惩实施")
    adjust, lift = AdjustForm(prefix="adj"), LiftForm(prefix="lift")
    if request.method == "POST":
        action = request.POST.get("action")
        form = (
            AdjustForm(request.POST, prefix="adj")
            if action == "adjust"
            else LiftForm(request.POST, prefix="lift")
        )
        if form.is_valid():
            try:
                if action == "adjust":
                    services.adjust_sanction(
                        sanction,
                        end=form.cleaned_data["end"],
                        reason=form.cleaned_data["reason"],
                        access=access,
                    )
                    messages.success(request, "已调整措施期限，变更已记入历史")
                else:
                    services.lift_sanction(sanction, reason=form.cleaned_data["reason"], access=access)
                    messages.success(request, f"已解除措施「{sanction.measure.name}」")
                return redirect("sanctions:sanction", pk=sanction.pk)
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except CreditError as exc:
                messages.error(request, exc.message)
        if action == "adjust":
            adjust = form
        else:
            lift = form
    return render(
        request,
        "sanctions/sanction_detail.html",
        {
            "nav": "sanctions",
            "s": sanction,
            "history": sanction.history.select_related("actor"),
            "adjust": adjust,
            "lift": lift,
            "can_manage": services.can_manage(access) and sanction.status == SanctionStatus.ACTIVE,
        },
    )


# -- measures -------------------------------------------------------------------------------------


@office
def measure_list(request):
    qs = Measure.objects.all()
    f = request.GET
    if f.get("kind") in MeasureKind.values:
        qs = qs.filter(kind=f["kind"])
    if f.get("q"):
        qs = qs.filter(name__contains=f["q"].strip())
    if f.get("purpose") in Purpose.values:
        qs = [m for m in qs if f["purpose"] in m.purposes]
    return _list_page(
        request,
        "sanctions/measure_list.html",
        qs,
        kinds=MeasureKind.choices,
        purposes=Purpose.choices,
        can_manage=services.can_manage(request.access),
    )


@office
def measure_edit(request, pk=None):
    access = request.access
    access.require(services.can_manage(access), "只有信用办可以维护措施清单")
    measure = services.get_visible(Measure.objects.all(), pk, "措施") if pk else None
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:  # is_valid() wrote the input onto ``measure``: the service logs the stored row as "before"
            saved = services.save_measure(
                data, access=access, measure=Measure.objects.get(pk=measure.pk) if measure else None
            )
            messages.success(request, f"已保存措施「{saved.name}」")
            return redirect("sanctions:measures")
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
    return render(
        request,
        "sanctions/form.html",
        {
            "nav": "sanctions",
            "form": form,
            "page_title": f"编辑措施「{measure.name}」" if measure else "新增措施",
            "submit": "保存措施",
            "back": "/office/sanctions/measures/",
        },
    )


# -- rules ----------------------------------------------------------------------------------------


@office
def rule_list(request):
    qs = Rule.objects.select_related("item").prefetch_related("lines__measure")
    f = request.GET
    if f.get("item"):
        qs = qs.filter(item__code=f["item"])
    if f.get("subject_kind") in SubjectKind.values:
        qs = qs.filter(subject_kind=f["subject_kind"])
    if f.get("severity") in Severity.values:
        qs = qs.filter(severity=f["severity"])
    if f.get("active", "1") == "1":
        qs = qs.filter(active=True)
    return _list_page(
        request,
        "sanctions/rule_list.html",
        qs,
        items=CatalogItem.objects.all(),
        kinds=SubjectKind.choices,
        severities=Severity.choices,
        can_manage=services.can_manage(request.access),
    )


@office
def rule_edit(request, pk=None):
    access = request.access
    access.require(services.can_manage(access), "只有信用办可以维护联合奖惩规则")
    rule = services.get_visible(Rule.objects.all(), pk, "规则") if pk else None
    initial = {}
    if rule:
        initial = {
            "item": rule.item,
            "severity": rule.severity,
            "subject_kind": rule.subject_kind,
            "measures": [ln.measure for ln in rule.lines.all()],
            "months": ",".join(str(ln.months or 0) for ln in rule.lines.all()),
            "note": rule.note,
        }
    form = RuleForm(request.POST or None, initial=initial)
    if rule:
        for name in ("item", "severity", "subject_kind"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if rule:
                new = services.revise_rule(
                    rule, lines=form.lines(), note=form.cleaned_data["note"], access=access
                )
                messages.success(request, f"已保存为规则第 {new.version} 版，旧版本保留")
            else:
                services.create_rule(
                    item=form.cleaned_data["item"],
                    severity=form.cleaned_data["severity"],
                    subject_kind=form.cleaned_data["subject_kind"],
                    lines=form.lines(),
                    note=form.cleaned_data["note"],
                    access=access,
                )
                messages.success(request, "已新增规则")
            return redirect("sanctions:rules")
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        except CreditError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "sanctions/form.html",
        {
            "nav": "sanctions",
            "form": form,
            "page_title": f"修改规则「{rule}」（将生成新版本）" if rule else "新增联合奖惩规则",
            "submit": "保存规则",
            "back": "/office/sanctions/rules/",
            "help": "同一事项可有多条规则重叠（如“任意程度”与“严重”）：同一措施出现在多条规则中时，按从严原则取期限最长者；"
            "规则只指向措施、不互相引用，因此不会形成循环。相同条件只能有一条生效规则，修改即生成新版本。",
        },
    )


@office
def rule_preview(request):
    """Which measures a given record would trigger under the active rules."""
    record, plan, error = None, [], ""
    ref = (request.GET.get("record") or "").strip()
    if ref:
        try:
            record = get_record_for_user(request.access, ref)
            plan = services.plan_for(record)
        except NotFound as exc:
            error = exc.message
    return render(
        request,
        "sanctions/rule_preview.html",
        {"nav": "sanctions", "record": record, "plan": plan, "error": error, "ref": ref},
    )


# -- rectification --------------------------------------------------------------------------------


@office
def rectification_list(request):
    access = request.access
    qs = services.rectifications_for(access)
    f = request.GET
    today = timezone.localdate()
    if f.get("status") in RectificationStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("overdue") == "1":
        qs = services.overdue_rectifications(today, qs=qs)
    if f.get("q"):
        qs = qs.filter(subject__name__contains=f["q"].strip())
    order = "-deadline" if f.get("sort") == "-deadline" else "deadline"
    qs = qs.order_by(order, "pk")
    if _wants_export(request):
        return _export(
            request,
            qs,
            filename="限期整改",
            headers=[
                "被记录单位",
                "主体代码",
                "信用记录",
                "措施",
                "整改期限",
                "期限计算说明",
                "状态",
                "逾期",
                "已督办",
                "提交时间",
                "验收时间",
                "验收意见",
            ],
            row=lambda t: (
                t.subject.display_name,
                t.subject.code_display,
                t.record.document_no,
                t.sanction.measure.name,
                _date(t.deadline),
                t.deadline_note,
                t.get_status_display(),
                _yes(t.is_overdue(today)),
                _yes(t.escalated_at is not None),
                t.submitted_at,
                t.decided_at,
                t.decision_note,
            ),
        )
    return _list_page(
        request,
        "sanctions/rectification_list.html",
        qs,
        export=True,
        statuses=RectificationStatus.choices,
        today=today,
    )


@office
def rectification_attachment(request, pk, attachment_pk):
    """An attachment of a rectification task, to whoever sees the task (the unit that submitted it,
    the credit office that accepts it); every download is audited."""
    task = services.get_visible(services.rectifications_for(request.access), pk, "整改任务")
    attachment = task.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise NotFound("附件不存在")
    log_action(
        "govcredit.rectification.attachment_viewed",
        actor=request.user,
        obj=task,
        summary=f"下载整改附件 {attachment.original_name}",
    )
    return download_response(attachment)


@office
def rectification_detail(request, pk):
    access = request.access
    task = services.get_visible(services.rectifications_for(access), pk, "整改任务")
    form, decision = RectificationForm(), DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                form = RectificationForm(request.POST, request.FILES)
                form.is_valid()
                files = [(f.name, read_upload(f)) for f in request.FILES.getlist("attachments")]
                services.submit_rectification(
                    task,
                    explanation=form.cleaned_data.get("explanation", ""),
                    report=form.cleaned_data.get("report", ""),
                    files=files,
                    access=access,
                )
                messages.success(request, "已提交整改材料，等待信用办验收")
            elif action in ("accept", "return"):
                decision = DecisionForm(request.POST)
                decision.is_valid()
                note = decision.cleaned_data.get("note", "")
                if action == "accept":
                    services.accept_rectification(task, note=note, access=access)
                    messages.success(request, "已验收通过")
                else:
                    services.return_rectification(task, note=note, access=access)
                    messages.success(request, "已退回整改材料")
            return redirect("sanctions:rectification", pk=task.pk)
        except ValidationFailed as exc:
            if action == "submit":
                apply_form_errors(form, exc)
            else:
                decision.add_error("note", exc.field_errors.get("reason", [exc.message])[0])
        except CreditError as exc:
            messages.error(request, exc.message)
    today = timezone.localdate()
    return render(
        request,
        "sanctions/rectification_detail.html",
        {
            "nav": "sanctions",
            "t": task,
            "form": form,
            "decision": decision,
            "overdue": task.is_overdue(today),
            "events": task.events.select_related("actor"),
            "can_submit": services.may_submit_rectification(access, task)
            and task.status in services.TODO_STATUSES,
            "can_decide": services.may_decide_rectification(access)
            and task.status == RectificationStatus.SUBMITTED,
        },
    )


# -- criticism notices ----------------------------------------------------------------------------


@office
def notice_list(request):
    qs = services.notices_for(request.access)
    f = request.GET
    if f.get("status") in NoticeStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("q"):
        qs = qs.filter(title__contains=f["q"].strip())
    return _list_page(request, "sanctions/notice_list.html", qs, statuses=NoticeStatus.choices)


@office
def notice_detail(request, pk):
    access = request.access
    notice = services.get_visible(services.notices_for(access), pk, "通报")
    form = NoticeForm(initial={"title": notice.title, "body": notice.body})
    withdraw = LiftForm(prefix="w")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                form = NoticeForm(request.POST)
                if form.is_valid():
                    services.update_notice(notice, access=access, **form.cleaned_data)
                    messages.success(request, "已保存通报草稿")
                    return redirect("sanctions:notice", pk=notice.pk)
            elif action == "publish":
                services.publish_notice(notice, access=access)
                messages.success(request, "已在信用周村发布通报")
                return redirect("sanctions:notice", pk=notice.pk)
            elif action == "withdraw":
                withdraw = LiftForm(request.POST, prefix="w")
                if withdraw.is_valid():
                    services.withdraw_notice(notice, reason=withdraw.cleaned_data["reason"], access=access)
                    messages.success(request, "已撤回通报")
                    return redirect("sanctions:notice", pk=notice.pk)
        except ValidationFailed as exc:
            apply_form_errors(form if action == "save" else withdraw, exc)
        except CreditError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "sanctions/notice_detail.html",
        {
            "nav": "sanctions",
            "n": notice,
            "form": form,
            "withdraw": withdraw,
            "can_manage": services.can_manage(access),
        },
    )


# -- referrals ------------------------------------------------------------------------------------


@office
def referral_list(request):
    qs = services.referrals_for(request.access)
    f = request.GET
    if f.get("status") in ReferralStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("q"):
        qs = qs.filter(unit__name__contains=f["q"].strip())
    if _wants_export(request):
        return _export(
            request,
            qs,
            filename="责任追究移送",
            headers=[
                "被记录单位",
                "主要负责人",
                "职务",
                "信用记录",
                "认定任职的日期",
                "移送单位",
                "状态",
                "处理结果",
                "移送时间",
                "办结时间",
            ],
            row=lambda r: (
                r.unit.display_name,
                r.person.display_name if r.person else "任职数据缺失，须人工认定",
                r.position,
                r.reference,
                _date(r.on_date),
                r.to_unit.name if r.to_unit else "",
                r.get_status_display(),
                r.outcome,
                r.created_at,
                r.concluded_at,
            ),
        )
    return _list_page(
        request, "sanctions/referral_list.html", qs, export=True, statuses=ReferralStatus.choices
    )


@office
def referral_detail(request, pk):
    access = request.access
    referral = services.get_visible(services.referrals_for(access), pk, "移送")
    form = ReferralForm(initial={"status": referral.status, "outcome": referral.outcome})
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            try:
                services.update_referral(referral, access=access, **form.cleaned_data)
                messages.success(request, "已更新办理情况")
                return redirect("sanctions:referral", pk=referral.pk)
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except CreditError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "sanctions/referral_detail.html",
        {
            "nav": "sanctions",
            "r": referral,
            "form": form,
            "can_update": services.can_handle_referrals(access)
            and referral.status != ReferralStatus.CONCLUDED,
        },
    )


@office
def inbox(request):
    context = paginate(request, request.user.sanction_notices.all())
    response = render(request, "sanctions/inbox.html", {"nav": "sanctions", **context})
    services.mark_notices_read(request.access)
    return response


# -- credit checks ---------------------------------------------------------------------------------


def _require_check_pages(access) -> None:
    """Stored checks are for the users who may run them (and auditors): others get a 403, logged."""
    if not checks.may_view_checks(access):
        checks.deny_pages(access)


@office
def check_list(request):
    access = request.access
    _require_check_pages(access)
    qs = checks.checks_for(access)
    f = request.GET
    if f.get("purpose") in Purpose.values:
        qs = qs.filter(purpose=f["purpose"])
    if f.get("q"):
        qs = qs.filter(serial__icontains=f["q"].strip()) | qs.filter(reason__contains=f["q"].strip())
    if f.get("date"):
        try:
            day = dt.date.fromisoformat(f["date"])
            qs = qs.filter(issued_at__date=day)
        except ValueError:
            messages.error(request, "日期格式应为 2026-11-25")
    if _wants_export(request):
        return _export(
            request,
            qs,
            filename="信用核查记录",
            headers=[
                "核查编号",
                "核查用途",
                "核查事由",
                "核查人",
                "核查单位",
                "方式",
                "出具时间",
                "主体数",
                "无限制",
                "受限",
                "需关注",
                "无法核查",
                "报告摘要（SM3）",
            ],
            row=lambda c: (
                c.serial,
                c.get_purpose_display(),
                c.reason,
                c.requested_by.display_name or c.requested_by.username,
                c.organisation.name if c.organisation else "",
                "接口" if c.channel == "api" else "页面",
                c.issued_at,
                c.total,
                c.clear_count,
                c.blocked_count,
                c.attention_count,
                c.error_count,
                c.digest,
            ),
        )
    return _list_page(
        request,
        "sanctions/check_list.html",
        qs,
        nav="checks",
        export=True,
        purposes=Purpose.choices,
        can_check=services.can_run_checks(access),
    )


@office
def check_new(request):
    access = request.access
    if not services.can_run_checks(access):  # logs the refused attempt in the audit ledger, then 403
        checks.run_check([], request.POST.get("purpose", "page"), access=access)
    form = CheckForm(
        request.POST or None, request.FILES or None, initial={"purpose": request.GET.get("purpose", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            codes = checks.codes_from_text(form.cleaned_data["codes"])
            upload = form.cleaned_data.get("file")
            if upload:
                codes += checks.codes_from_upload(upload.name, upload.read())
            if not codes:
                raise ValidationFailed(
                    "请填写或上传代码", field_errors={"codes": ["请填写至少一个代码，或上传名单文件"]}
                )
            check, _ = checks.run_check(
                codes, form.cleaned_data["purpose"], access=access, reason=form.cleaned_data["reason"]
            )
            return redirect("checks:detail", serial=check.serial)
        except ValidationFailed as exc:
            errors = dict(exc.field_errors)
            if "subjects" in errors:
                errors["codes"] = errors.pop("subjects")
            apply_form_errors(form, ValidationFailed(exc.message, field_errors=errors))
    return render(request, "sanctions/check_new.html", {"nav": "checks", "form": form})


@office
def check_detail(request, serial):
    _require_check_pages(request.access)
    check = checks.get_check(request.access, serial)
    status = request.GET.get("status")
    if status not in ("clear", "blocked", "attention", "error"):
        status = None
    page = Paginator(checks.ResultPages(check, status), 50).get_page(request.GET.get("page"))
    query = urlencode({"status": status}) if status else ""
    return render(
        request,
        "sanctions/check_detail.html",
        {
            "nav": "checks",
            "check": check,
            "page_obj": page,
            "query_string": query,
            "status": status,
            "verify_url": checks.verify_url(check, request),
        },
    )


@office
def check_pdf(request, serial):
    _require_check_pages(request.access)
    check = checks.get_check(request.access, serial)
    pdf = checks.render_report_pdf(check, access=request.access, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="credit-check-{check.serial}.pdf"'
    return response


# -- public: 报告核验 -------------------------------------------------------------------------------


def verify_report(request):
    serial = (request.GET.get("serial") or "").strip()[:40]
    digest = (request.GET.get("digest") or "").strip()[:100]
    from govcredit.portal.reports import is_report_serial

    if is_report_serial(serial):  # a subject's 信用报告 from the portal: its own verify page
        return redirect(f"/reports/verify/?{request.GET.urlencode()}")
    result = checks.verify_report(serial, digest) if serial else None
    rows = result.check.stored_rows(limit=200) if result and result.found and result.intact else []
    return render(
        request,
        "sanctions/verify_report.html",
        {
            "serial": serial,
            "digest": digest,
            "result": result,
            "rows": rows,
            "more": result and result.found and result.check.total > 200,
        },
    )
