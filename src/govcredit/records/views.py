"""Back-office screens of the records lifecycle. Thin: read through ``selectors`` (scoped), write
through ``services``; domain errors become messages, field errors or a Chinese 403."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from govcredit.catalog.models import Disclosure, Severity
from govcredit.core.errors import CreditError, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.uploads import download_response, read_upload
from govcredit.office.views import apply_form_errors
from govcredit.office.views import office_view as shell_office_view
from govcredit.subjects.models import SubjectKind

from . import selectors, services
from .events import LABELS as EVENT_LABELS
from .exports import records_workbook
from .forms import CorrectionForm, ReasonForm, RecordFilterForm, RecordForm, ReviewFilterForm
from .models import (
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    CorrectionRequest,
    CorrectionStatus,
    NameMismatch,
    Status,
)
from .validation import clean_record

register_action("govcredit.record.evidence_viewed", "下载证据材料")

PAGE_SIZE = 20
REVOCABLE = (Status.PUBLISHED, Status.UNDER_OBJECTION, Status.SUBMITTED)


#: every record page: users without a role are let in (record pages answer 404 for records outside
#: the scope whoever asks, so their existence never shows), the ``Access`` passed as second argument
office_view = shell_office_view(require_role=False, pass_access=True)


def _query_string(params, *, drop=("page",), **replace) -> str:
    pairs = [
        (k, v) for k in params for v in params.getlist(k) if k not in drop and k not in replace and v != ""
    ]
    pairs += [(k, v) for k, v in replace.items() if v]
    return urlencode(pairs)


def _detail_url(record, **query) -> str:
    url = reverse("records:detail", args=[record.pk])
    return url + ("?" + urlencode(query) if query else "")


# -- list and export -----------------------------------------------------------------------------


def _filtered(request, access):
    if not access.roles:
        raise PermissionDenied("您的账号尚未分配角色，不能查看信用记录。请联系本单位系统管理员开通。")
    form = RecordFilterForm(request.GET)
    return form, form.filtered(selectors.records_for(access), user=request.user)


SORTABLE = (
    ("document_no", "决定文书号"),
    ("decided_on", "决定日期"),
    ("published_at", "公示时间"),
    ("publish_until", "公示截止"),
)


@office_view
def record_list(request, access):
    form, qs = _filtered(request, access)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    sort = form.sort_key
    columns = []
    for key, label in SORTABLE:
        nxt = f"-{key}" if sort == key else key
        css = "sort-asc" if sort == key else "sort-desc" if sort == f"-{key}" else ""
        columns.append({"label": label, "url": "?" + _query_string(request.GET, sort=nxt), "css": css})
    return render(
        request,
        "records/list.html",
        {
            "nav": "records",
            "form": form,
            "page_obj": page,
            "sort_columns": dict(zip([k for k, _ in SORTABLE], columns, strict=True)),
            "query_string": _query_string(request.GET),
            "export_query": _query_string(request.GET),
            "can_create": access.can_submit_records() and bool(access.source_unit_ids()),
            "today": timezone.localdate(),
        },
    )


@office_view
def record_export(request, access):
    form, qs = _filtered(request, access)
    content, count = records_workbook(qs)
    log_action(
        "govcredit.record.exported",
        actor=request.user,
        summary=f"导出信用记录 {count} 条",
        after={"filters": _query_string(request.GET), "rows": count},
    )
    filename = f"信用记录-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# -- create and edit -----------------------------------------------------------------------------


def _read_files(form) -> list[tuple[str, bytes]]:
    """Read and check every uploaded file first: one bad file and nothing is saved."""
    files = [(upload.name, read_upload(upload)) for upload in form.cleaned_data.get("evidence") or []]
    try:
        return services.check_evidence(files)
    except ValidationFailed as exc:
        for message in exc.field_errors.get("evidence", [exc.message]):
            form.add_error("evidence", message)
        return []


def _save_record(request, access, form, record):
    """The form through ``services.save_record``; returns the record, or None with the form's errors."""
    files = _read_files(form)
    data = form.record_data()
    unit = record.source_unit if record is not None else form.cleaned_data["source_unit"]
    if form.errors:
        # A bad file: nothing is saved, but say everything else that is wrong at once too.
        _clean, errors = clean_record(services.keep_id_number(data, record), source_unit=unit)
        if errors:
            apply_form_errors(form, ValidationFailed("记录信息有误", field_errors=errors))
        return None
    try:
        saved, created = services.save_record(
            data, source_unit=unit, access=access, files=files, submit="submit" in request.POST, record=record
        )
    except PermissionDenied:
        raise
    except CreditError as exc:
        apply_form_errors(form, exc)
        return None
    if record is None and not created:
        messages.info(request, f"文书号「{saved.document_no}」的记录已存在，已更新该记录而没有重复创建")
    verb = "已提交审核" if "submit" in request.POST else "已保存为草稿"
    messages.success(request, f"记录「{saved.document_no}」{verb}")
    mismatch = NameMismatch.objects.filter(record=saved, confirmed_at=None).first()
    if mismatch is not None:
        messages.warning(
            request,
            f"填写的主体名称「{mismatch.shown_submitted_name}」与登记名称「{saved.subject.display_name}」不一致，"
            "已标记，审核人须确认后才能通过",
        )
    return saved


def _record_form(request, access, record=None):
    access.require(access.can_submit_records(), "只有报送单位经办人或信用办可以报送信用记录")
    access.require(bool(access.source_unit_ids()), "您不是任何报送单位的经办人，不能报送信用记录")
    kwargs = {"access": access, "record": record, "max_bytes": settings.GOVCREDIT_EVIDENCE_MAX_BYTES}
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES, **kwargs)
        if record is not None:
            form.initial = RecordForm.initial_for(record)
        if form.is_valid() or not (set(form.errors) - {"__all__"}):
            saved = _save_record(request, access, form, record)
            if saved is not None:
                return redirect("records:detail", saved.pk)
        status = 422
    else:
        form = RecordForm(initial=RecordForm.initial_for(record) if record else None, **kwargs)
        status = 200
    item_meta = {i.code: {"legal_basis": i.legal_basis, "negative": i.negative} for i in form.items}
    return render(
        request,
        "records/form.html",
        {"nav": "records", "form": form, "record": record, "item_meta": item_meta},
        status=status,
    )


@office_view
def record_create(request, access):
    return _record_form(request, access)


@office_view
def record_edit(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    access.require(
        record.source_unit_id in access.source_unit_ids(),
        f"只有「{record.source_unit}」的经办人可以修改此记录",
    )
    if record.status not in EDITABLE_STATUSES:
        messages.error(
            request,
            f"记录「{record.document_no}」{record.get_status_display()}，只有草稿或已驳回的记录可以修改；"
            "已公示记录请使用「更正」",
        )
        return redirect("records:detail", record.pk)
    return _record_form(request, access, record)


# -- detail ------------------------------------------------------------------------------------

SNAPSHOT_LABELS = (
    ("subject_name", "主体名称"),
    ("subject_kind", "主体类型"),
    ("subject_code", "主体代码"),
    ("item_name", "信息类别"),
    ("severity", "严重程度"),
    ("facts", "事实"),
    ("document_no", "决定文书号"),
    ("decided_on", "决定日期"),
    ("decided_by", "决定机关"),
    ("outcome", "处理结果"),
    ("legal_basis", "法律依据"),
    ("source_unit", "报送单位"),
    ("disclosure", "公开方式"),
    ("status", "状态"),
    ("catalog_version", "目录版本"),
    ("repairable_from", "可申请修复日期"),
    ("publish_until", "公示截止日期"),
)
VALUE_LABELS = {
    "severity": dict(Severity.choices),
    "status": dict(Status.choices),
    "disclosure": dict(Disclosure.choices),
    "subject_kind": dict(SubjectKind.choices),
}
CORRECTION_LABELS = {
    "item_id": "信息类别",
    "severity": "严重程度",
    "decided_on": "决定日期",
    "decided_by": "决定机关",
    "facts": "事实",
    "outcome": "处理结果",
    "legal_basis": "法律依据",
    "disclosure": "公开方式",
}


def _show(key: str, value) -> str:
    if value in (None, ""):
        return "—"
    if key == "catalog_version":
        return f"第 {value} 版"
    return str(VALUE_LABELS.get(key, {}).get(value, value))


def _parse_diff(text: str, numbers: list[int]) -> tuple[int, int] | None:
    try:
        a, b = (int(x) for x in (text or "").split("..", 1))
    except ValueError:
        return None
    if a == b or a not in numbers or b not in numbers:
        return None
    return (min(a, b), max(a, b))


def version_diff(old: dict, new: dict) -> list[dict]:
    rows = []
    for key, label in SNAPSHOT_LABELS:
        before, after = old.get(key), new.get(key)
        rows.append(
            {"label": label, "old": _show(key, before), "new": _show(key, after), "changed": before != after}
        )
    return rows


def correction_rows(req: CorrectionRequest, record) -> list[dict]:
    from govcredit.catalog.models import CatalogItem

    current = services.correction_values(record)
    names = dict(
        CatalogItem.objects.filter(pk__in=[req.changes.get("item_id"), current["item_id"]]).values_list(
            "pk", "name"
        )
    )
    rows = []
    for key, new in req.changes.items():
        old = current.get(key)
        if key == "item_id":
            old, new = names.get(old, old), names.get(new, new)
        rows.append(
            {
                "label": CORRECTION_LABELS.get(key, key),
                "old": _show(key, old),
                "new": _show(key, new),
                "moved": req.original.get(key) != current.get(key),
            }
        )
    return rows


def _detail_context(request, access, record, **forms):
    user = request.user
    internals = selectors.may_see_internals(access, record)
    own_unit = record.source_unit_id in access.source_unit_ids()
    own_submission = user.pk in (record.submitted_by_id, record.created_by_id)
    pending = None
    corrections = []
    history, versions, evidence = [], [], []
    diff = diff_pair = None
    if internals:
        corrections = list(
            record.correction_requests.select_related("requested_by", "decided_by").order_by("-requested_at")
        )
        pending = next((c for c in corrections if c.status == CorrectionStatus.PENDING), None)
        history = list(record.status_changes.select_related("actor"))
        for change in history:
            change.label = EVENT_LABELS.get(change.event, change.event)
        versions = list(record.versions.select_related("created_by"))
        for version in versions:
            version.label = EVENT_LABELS.get(version.change, version.change)
        evidence = list(record.evidence.all())
        numbers = [v.number for v in versions]
        diff_text = request.GET.get("diff", "")
        if not diff_text and request.GET.get("diff_a"):
            diff_text = f"{request.GET.get('diff_a')}..{request.GET.get('diff_b', '')}"
        diff_pair = _parse_diff(diff_text, numbers)
        if diff_pair is None and diff_text:
            messages.warning(request, "版本对比参数有误，请在下方选择两个不同的版本")
        if diff_pair:
            by_number = {v.number: v for v in versions}
            diff = version_diff(by_number[diff_pair[0]].snapshot, by_number[diff_pair[1]].snapshot)
    can_review = access.can_review() and record.status == Status.SUBMITTED
    may_correct = own_unit or access.has_role("credit_office", "admin")
    context = {
        "nav": "records",
        "record": record,
        "subject": record.subject,
        "internals": internals,
        "history": history,
        "versions": versions,
        "evidence": evidence,
        "corrections": corrections,
        "pending": pending,
        "pending_rows": correction_rows(pending, record) if pending else [],
        "pending_is_mine": pending is not None and pending.requested_by_id == user.pk,
        "diff": diff,
        "diff_pair": diff_pair,
        "diff_changed": sum(1 for r in diff if r["changed"]) if diff else 0,
        "can_edit": internals and own_unit and record.status in EDITABLE_STATUSES,
        "can_review": can_review and not own_submission,
        "review_blocked_own": can_review and own_submission,
        "can_revoke": internals and record.status in REVOCABLE and (own_unit or access.can_review()),
        "can_correct": internals and record.status in LIVE_STATUSES and may_correct and pending is None,
        "can_decide_correction": pending is not None
        and access.can_review()
        and pending.requested_by_id != user.pk,
        "reject_form": forms.get("reject_form") or ReasonForm(label="驳回理由"),
        "correction_reject_form": forms.get("correction_reject_form") or ReasonForm(label="驳回理由"),
        "is_live": record.status in LIVE_STATUSES,
        "today": timezone.localdate(),
        "name_mismatch": NameMismatch.objects.filter(record=record).select_related("confirmed_by").first()
        if internals
        else None,
    }
    return context


@office_view
def record_detail(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    return render(request, "records/detail.html", _detail_context(request, access, record))


@office_view
def evidence_download(request, access, pk, evidence_pk):
    record, evidence = selectors.get_evidence_for_user(access, pk, evidence_pk)
    log_action(
        "govcredit.record.evidence_viewed",
        actor=request.user,
        obj=record,
        summary=f"{record.document_no} 下载证据 {evidence.original_name}",
    )
    return download_response(evidence)


# -- actions (all POST) ------------------------------------------------------------------------


def _stale(request, record) -> bool:
    """The page the user acted on showed an older version: someone else got there first."""
    expected = request.POST.get("expected_version", "")
    if expected.isdigit() and int(expected) != record.version:
        messages.error(
            request,
            f"记录「{record.document_no}」已被他人处理，当前状态为「{record.get_status_display()}」，"
            "请查看最新情况后再操作",
        )
        return True
    return False


def _act_on_form(request, record, form, action, success: str):
    """Run a service action: field errors go back on the form when there is one (returns None), any
    other refusal becomes a message, success a message; both redirect to the record."""
    try:
        action()
    except PermissionDenied:
        raise
    except ValidationFailed as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("records:detail", record.pk)
        apply_form_errors(form, exc)
        return None
    except CreditError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("records:detail", record.pk)


def _act(request, record, action, success: str):
    return _act_on_form(request, record, None, action, success)


@require_POST
@office_view
def record_submit(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    if _stale(request, record):
        return redirect("records:detail", record.pk)
    return _act(
        request,
        record,
        lambda: services.submit_record(record, access=access),
        f"记录「{record.document_no}」已提交审核",
    )


@require_POST
@office_view
def record_approve(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    access.require(access.can_review(), "只有信用办审核人可以审核记录")
    if _stale(request, record):
        return redirect("records:detail", record.pk)
    note = (request.POST.get("note") or "").strip()[:2000]
    confirm_name = request.POST.get("confirm_name") == "1"
    return _act(
        request,
        record,
        lambda: services.approve_record(record, access=access, note=note, confirm_name=confirm_name),
        f"记录「{record.document_no}」审核通过",
    )


@require_POST
@office_view
def record_reject(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    access.require(access.can_review(), "只有信用办审核人可以审核记录")
    if _stale(request, record):
        return redirect("records:detail", record.pk)
    form = ReasonForm(request.POST, label="驳回理由")
    if form.is_valid():
        done = _act_on_form(
            request,
            record,
            form,
            lambda: services.reject_record(record, access=access, reason=form.cleaned_data["reason"]),
            f"记录「{record.document_no}」已驳回，报送单位可修改后重新提交",
        )
        if done:
            return done
    context = _detail_context(request, access, record, reject_form=form)
    return render(request, "records/detail.html", context, status=422)


@office_view
def record_revoke(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    own_unit = record.source_unit_id in access.source_unit_ids()
    access.require(own_unit or access.can_review(), "只有报送单位或信用办可以撤销记录")
    if record.status not in REVOCABLE:
        messages.error(request, f"记录「{record.document_no}」{record.get_status_display()}，不能撤销")
        return redirect("records:detail", record.pk)
    form = ReasonForm(request.POST or None, label="撤销理由", initial={"expected_version": record.version})
    if request.method == "POST" and not _stale(request, record) and form.is_valid():
        done = _act_on_form(
            request,
            record,
            form,
            lambda: services.revoke_record(record, access=access, reason=form.cleaned_data["reason"]),
            f"记录「{record.document_no}」已撤销",
        )
        if done:
            return done
    elif request.method == "POST" and not form.errors:
        return redirect("records:detail", record.pk)  # stale: the message says why
    return render(
        request,
        "records/revoke.html",
        {"nav": "records", "record": record, "form": form},
        status=422 if form.errors else 200,
    )


@office_view
def record_correct(request, access, pk):
    record = selectors.get_record_for_user(access, pk)
    own_unit = record.source_unit_id in access.source_unit_ids()
    access.require(
        own_unit or access.has_role("credit_office", "admin"), "只有报送单位或信用办可以申请更正记录"
    )
    if record.status not in LIVE_STATUSES:
        messages.error(
            request, f"记录「{record.document_no}」{record.get_status_display()}，只有公示中的记录可以更正"
        )
        return redirect("records:detail", record.pk)
    pending = record.correction_requests.filter(status=CorrectionStatus.PENDING).first()
    if pending is not None:
        messages.info(request, f"该记录已有待审核的更正申请 #{pending.pk}，请等待审核结果后再提出")
        return redirect("records:detail", record.pk)
    form = CorrectionForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_correction(
                record, form.changes(), access=access, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        except CreditError as exc:
            messages.error(request, exc.message)
            return redirect("records:detail", record.pk)
        else:
            messages.success(request, f"更正申请 #{req.pk} 已提交，等待另一名审核人审核；通过后生成新版本")
            return redirect("records:detail", record.pk)
    return render(
        request,
        "records/correct.html",
        {"nav": "records", "record": record, "form": form},
        status=422 if form.errors else 200,
    )


def _correction(access, pk) -> CorrectionRequest:
    try:
        return selectors.correction_requests_for(access).get(pk=int(pk))
    except (CorrectionRequest.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("更正申请不存在或您无权查看") from exc


@require_POST
@office_view
def correction_approve(request, access, pk):
    req = _correction(access, pk)
    note = (request.POST.get("note") or "").strip()[:2000]
    return _act(
        request,
        req.record,
        lambda: services.approve_correction(req, access=access, note=note),
        f"更正申请 #{req.pk} 已通过，记录「{req.record.document_no}」已生成新版本",
    )


@require_POST
@office_view
def correction_reject(request, access, pk):
    req = _correction(access, pk)
    record = req.record
    form = ReasonForm(request.POST, label="驳回理由")
    if form.is_valid():
        return _act(
            request,
            record,
            lambda: services.reject_correction(req, access=access, reason=form.cleaned_data["reason"]),
            f"更正申请 #{req.pk} 已驳回",
        )
    record = selectors.get_record_for_user(access, record.pk)
    context = _detail_context(request, access, record, correction_reject_form=form)
    return render(request, "records/detail.html", context, status=422)


# -- review queue --------------------------------------------------------------------------------


@office_view
def review_queue(request, access):
    access.require(
        access.can_review(), "审核队列仅供信用办审核人使用；报送的记录可在「信用记录」中查看审核进度"
    )
    form = ReviewFilterForm(request.GET)
    qs = form.filtered(selectors.review_queue(access))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    unconfirmed = {
        m.record_id: m
        for m in NameMismatch.objects.filter(
            record__in=[r.pk for r in page.object_list], confirmed_at=None
        ).select_related("record__subject")
    }
    for record in page.object_list:
        record.is_own = request.user.pk in (record.submitted_by_id, record.created_by_id)
        mismatch = unconfirmed.get(record.pk)
        record.name_to_confirm = mismatch.shown_submitted_name if mismatch else ""
    corrections = list(
        selectors.correction_requests_for(access)
        .filter(status=CorrectionStatus.PENDING)
        .order_by("requested_at")
    )
    for req in corrections:
        req.is_own = req.requested_by_id == request.user.pk
    return render(
        request,
        "records/review.html",
        {
            "nav": "review",
            "form": form,
            "page_obj": page,
            "query_string": _query_string(request.GET),
            "corrections": corrections,
            "now": timezone.now(),
        },
    )


@require_POST
@office_view
def review_batch_approve(request, access):
    access.require(access.can_review(), "只有信用办审核人可以审核记录")
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()][: PAGE_SIZE * 5]
    if not ids:
        messages.warning(request, "请先勾选要通过的记录")
        return redirect("records:review")
    approved, failed = [], []
    for record in selectors.review_queue(access).filter(pk__in=ids):
        try:
            services.approve_record(record, access=access)
        except CreditError as exc:
            failed.append(exc.message)
        else:
            approved.append(record.document_no)
    missing = len(ids) - len(approved) - len(failed)
    if approved:
        messages.success(
            request,
            f"已通过 {len(approved)} 条：" + "、".join(approved[:10]) + ("等" if len(approved) > 10 else ""),
        )
    for message in failed[:10]:
        messages.error(request, message)
    if missing:
        messages.error(request, f"{missing} 条记录已被他人处理，不在待审核队列中")
    back = QueryDict(request.POST.get("next", "")).urlencode()
    return redirect(reverse("records:review") + ("?" + back if back else ""))
