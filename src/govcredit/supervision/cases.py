"""Typical cases 守信/失信 (policy （二十一）, WAVE2 §8): drafted by a unit, approved by the credit office
and then by the publicity department (区委宣传部), published on 信用周村 through the disclosure ledger.
A case is bound to its linked records: when one is repaired, revoked or expires, the case is withdrawn
at once (ledger ``withdraw``), so no shaming outlives the record."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.core import public_version
from govcredit.core.errors import Conflict, NotFound, PermissionDenied
from govcredit.core.ledger import log_action, register_action
from govcredit.duties import services as duty_services
from govcredit.duties.disclosure import disclose
from govcredit.records.models import CreditRecord
from govcredit.records.selectors import public_records

from .common import MODULE, PUBLICITY_UNIT, Problems, in_unit_named, is_office, text
from .models import CaseDomain, CaseKind, CaseStatus, TypicalCase

OBJECT_TYPE = "supervision.typicalcase"
TRUST_ITEMS = ("commendation", "trust_model")
EDITABLE = (CaseStatus.DRAFT, CaseStatus.RETURNED)

for _key, _label in {
    "govcredit.typical_case.drafted": "起草典型案例",
    "govcredit.typical_case.submitted": "典型案例提交审核",
    "govcredit.typical_case.office_approved": "信用办审核通过典型案例",
    "govcredit.typical_case.published": "发布典型案例",
    "govcredit.typical_case.returned": "退回典型案例",
    "govcredit.typical_case.withdrawn": "撤下典型案例",
}.items():
    register_action(_key, _label)


def may_draft(access: Access) -> bool:
    return access.has_role(Role.CREDIT_OFFICE, Role.CLERK, Role.SUBJECT_USER, Role.ADMIN)


def is_publicity(access: Access) -> bool:
    return in_unit_named(access, PUBLICITY_UNIT)


def cases_for(access: Access) -> QuerySet[TypicalCase]:
    qs = TypicalCase.objects.select_related("drafting_unit", "drafted_by")
    if not access.roles:
        return qs.none()
    if is_office(access) or access.sees_everything or is_publicity(access):
        return qs
    return qs.filter(drafting_unit_id__in=access.organisation_ids)


def get_case(access: Access, pk) -> TypicalCase:
    case = cases_for(access).filter(pk=pk).first()
    if case is None:
        raise NotFound("典型案例不存在或不在您的查看范围内")
    return case


def _records(kind: str, ids, problems: Problems) -> list[CreditRecord]:
    if isinstance(ids, (str, int)):
        ids = [p for p in str(ids).replace("，", ",").split(",") if p.strip()]
    wanted: list[int] = []
    for raw in ids or []:
        try:
            pk = int(str(raw).strip())
        except ValueError:
            pk = 0
        if 1 <= pk < 2**63:  # a bigint primary key; anything else names no record
            wanted.append(pk)
        else:
            problems.add("record_ids", f"记录编号「{str(raw)[:20]}」应为正整数")
    if not wanted and "record_ids" not in problems.errors:
        problems.add("record_ids", "请关联至少一条已公示的信用记录（典型案例须以公开记录为依据）")
        return []
    found = {r.pk: r for r in public_records().filter(pk__in=wanted)}
    out = []
    for pk in wanted:
        record = found.get(pk)
        if record is None:
            problems.add("record_ids", f"记录 {pk} 不存在或未在信用周村公示，不能作为典型案例依据")
        elif kind == CaseKind.DISHONEST and not record.item.negative:
            problems.add(
                "record_ids", f"记录 {pk}（{record.item.name}）不是失信记录，失信典型只能关联失信记录"
            )
        elif kind == CaseKind.TRUST and record.item.code not in TRUST_ITEMS:
            problems.add("record_ids", f"记录 {pk}（{record.item.name}）不是表彰奖励或守信典型记录")
        elif record not in out:
            out.append(record)
    return out


def _clean(data: dict, problems: Problems) -> dict:
    kind = data.get("kind")
    if kind not in CaseKind.values:
        problems.add("kind", "类型应为 trust（守信典型）或 dishonest（失信典型）")
    domain = data.get("domain") or CaseDomain.OTHER
    if domain not in CaseDomain.values:
        problems.add("domain", "领域应为：" + "、".join(f"{v}（{label}）" for v, label in CaseDomain.choices))
    return {
        "kind": kind,
        "domain": domain,
        "title": text(data.get("title"), "title", "标题", problems, max_len=200, required=True),
        "facts": text(data.get("facts"), "facts", "基本案情", problems, max_len=5000, required=True),
        "handling": text(data.get("handling"), "handling", "处理情况", problems, max_len=5000, required=True),
        "lessons": text(data.get("lessons"), "lessons", "警示启示", problems, max_len=5000),
        "records": _records(kind, data.get("record_ids"), problems) if kind in CaseKind.values else [],
    }


def draft_case(data: dict, *, access: Access) -> TypicalCase:
    access.require(may_draft(access), "只有本区单位的工作人员可以起草典型案例")
    problems = Problems()
    clean = _clean(data, problems)
    problems.raise_if_any("典型案例信息有误，未保存")
    records = clean.pop("records")
    with transaction.atomic():
        case = TypicalCase.objects.create(
            **clean, drafting_unit=access.primary.organisation, drafted_by=access.user
        )
        case.records.set(records)
        log_action("govcredit.typical_case.drafted", actor=access.user, obj=case, summary=case.title[:200])
    return case


def _move(case: TypicalCase, from_states, **changes) -> TypicalCase:
    changes["updated_at"] = timezone.now()
    if TypicalCase.objects.filter(pk=case.pk, status__in=from_states).update(**changes) != 1:
        current = TypicalCase.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        raise Conflict(f"典型案例当前状态为「{CaseStatus(current).label}」，不能执行此操作")
    case.refresh_from_db()
    return case


def submit_case(case: TypicalCase, *, access: Access) -> TypicalCase:
    if case.drafted_by_id != access.user.pk and not is_office(access):
        raise PermissionDenied("只有起草人可以提交审核")
    problems = Problems()
    _records(case.kind, list(case.records.values_list("pk", flat=True)), problems)
    problems.raise_if_any("不能提交审核")
    with transaction.atomic():
        case = _move(case, EDITABLE, status=CaseStatus.OFFICE_REVIEW, return_reason="")
        log_action("govcredit.typical_case.submitted", actor=access.user, obj=case, summary=case.title[:200])
    return case


def approve_case(case: TypicalCase, *, access: Access) -> TypicalCase:
    """Credit office first (never the drafter: four-eyes), then the publicity department publishes."""
    if case.status == CaseStatus.OFFICE_REVIEW:
        access.require(is_office(access), "只有信用办可以审核典型案例")
        if case.drafted_by_id == access.user.pk:
            raise PermissionDenied("不能审核自己起草的典型案例（须由信用办另一名工作人员审核）")
        with transaction.atomic():
            case = _move(
                case,
                (CaseStatus.OFFICE_REVIEW,),
                status=CaseStatus.PUBLICITY_REVIEW,
                office_approved_by=access.user,
            )
            log_action(
                "govcredit.typical_case.office_approved",
                actor=access.user,
                obj=case,
                summary=case.title[:200],
            )
        return case
    if case.status == CaseStatus.PUBLICITY_REVIEW:
        access.require(is_publicity(access), "信用办审核通过后，须由区委宣传部审核发布")
        return _publish(case, access=access)
    raise Conflict(f"典型案例当前状态为「{case.get_status_display()}」，不在审核中")


def _publish(case: TypicalCase, *, access: Access) -> TypicalCase:
    with transaction.atomic():
        records = list(case.records.select_related("item"))
        problems = Problems()
        _records(case.kind, [r.pk for r in records], problems)
        problems.raise_if_any("关联记录已不再公示，不能发布")
        ends = [r.publish_until for r in records if r.publish_until]
        now = timezone.now()
        case = _move(
            case,
            (CaseStatus.PUBLICITY_REVIEW,),
            status=CaseStatus.PUBLISHED,
            publicity_approved_by=access.user,
            published_at=now,
            unpublish_on=min(ends) if ends else None,
        )
        disclose("publish", object_type=OBJECT_TYPE, object_id=case.pk, version=case.version)
        public_version.bump()
        subject = case.drafting_unit.subject
        if subject is not None:
            duty_services.record_event(
                subject=subject,
                dimension="政务信用管理",
                indicator="typical_case_published",
                polarity="+",
                value=1,
                occurred_on=timezone.localdate(),
                module=MODULE,
                obj=case,
            )
        log_action("govcredit.typical_case.published", actor=access.user, obj=case, summary=case.title[:200])
    return case


def return_case(case: TypicalCase, *, access: Access, reason: str) -> TypicalCase:
    allowed = (case.status == CaseStatus.OFFICE_REVIEW and is_office(access)) or (
        case.status == CaseStatus.PUBLICITY_REVIEW and is_publicity(access)
    )
    if case.status not in (CaseStatus.OFFICE_REVIEW, CaseStatus.PUBLICITY_REVIEW):
        raise Conflict(f"典型案例当前状态为「{case.get_status_display()}」，不在审核中")
    access.require(allowed, "只有当前环节的审核单位可以退回")
    problems = Problems()
    reason = text(reason, "reason", "退回理由", problems, max_len=500, required=True)
    problems.raise_if_any("请说明退回理由")
    with transaction.atomic():
        case = _move(case, (case.status,), status=CaseStatus.RETURNED, return_reason=reason)
        log_action(
            "govcredit.typical_case.returned",
            actor=access.user,
            obj=case,
            summary=f"{case.title[:100]}：{reason[:100]}",
        )
    return case


def withdraw_case(case: TypicalCase, *, reason: str, access: Access | None = None) -> TypicalCase:
    """Take a published case off the portal (a ledger ``withdraw`` entry). ``access`` None: automatic."""
    if access is not None:
        access.require(is_office(access), "只有信用办可以撤下典型案例")
    problems = Problems()
    reason = text(reason, "reason", "撤下原因", problems, max_len=300, required=True)
    problems.raise_if_any("请说明撤下原因")
    with transaction.atomic():
        case = _move(
            case,
            (CaseStatus.PUBLISHED,),
            status=CaseStatus.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdraw_reason=reason,
        )
        disclose("withdraw", object_type=OBJECT_TYPE, object_id=case.pk, version=case.version)
        public_version.bump()
        log_action(
            "govcredit.typical_case.withdrawn",
            actor=access.user if access else None,
            obj=case,
            summary=f"{case.title[:100]}：{reason[:150]}",
        )
    return case


def withdraw_for_record(record: CreditRecord, event_label: str) -> int:
    """Called inside the record's transaction when it stops being public."""
    n = 0
    for case in TypicalCase.objects.filter(status=CaseStatus.PUBLISHED, records=record).select_for_update():
        withdraw_case(case, reason=f"关联记录「{record.document_no}」{event_label}，案例自动撤下")
        n += 1
    return n


def withdraw_expired(as_of) -> int:
    """Safety net of the nightly scan: a case past its last linked record's display window."""
    n = 0
    for case in TypicalCase.objects.filter(status=CaseStatus.PUBLISHED, unpublish_on__lt=as_of):
        withdraw_case(case, reason=f"关联记录公示期已于 {case.unpublish_on:%Y-%m-%d} 届满，案例自动撤下")
        n += 1
    return n


def public_cases() -> QuerySet[TypicalCase]:
    return (
        TypicalCase.objects.filter(status=CaseStatus.PUBLISHED)
        .select_related("drafting_unit")
        .order_by("-published_at", "-pk")
    )


def public_view(case: TypicalCase, *, full: bool = False) -> dict:
    out = {
        "id": case.pk,
        "title": case.title,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "domain": case.domain,
        "domain_label": case.get_domain_display(),
        "published_at": timezone.localtime(case.published_at).date().isoformat()
        if case.published_at
        else None,
        "unpublish_on": case.unpublish_on.isoformat() if case.unpublish_on else None,
        "unit": case.drafting_unit.name,
    }
    if full:
        out.update(
            {
                "facts": case.facts,
                "handling": case.handling,
                "lessons": case.lessons,
                "records": [
                    {
                        "id": r.pk,
                        "document_no": r.document_no,
                        "item": r.item.name,
                        "subject": r.subject.display_name,
                    }
                    for r in case.records.select_related("item", "subject")
                    if r.is_public
                ],
            }
        )
    return out
