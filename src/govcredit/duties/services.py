"""Duties, findings (失信线索) and integrity events: the services every wave-2 module calls
(KERNEL_CONTRACT §2–§4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.catalog.models import Severity
from govcredit.core.errors import CreditError, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.subjects.models import PEOPLE_KINDS, Subject

from .clock import Due
from .models import Duty, DutyStatus, Finding, FindingStatus, IntegrityEvent, Polarity

register_action("govcredit.duty.registered", "登记履职事项")
register_action("govcredit.duty.fulfilled", "履职事项已履行")
register_action("govcredit.duty.cancelled", "取消履职事项")
register_action("govcredit.finding.opened", "生成失信线索")
register_action("govcredit.finding.proposed", "失信线索提交信用办审核")
register_action("govcredit.finding.status", "失信线索状态变化")

DIMENSIONS = ("守信践诺", "依法行政", "政务公开", "勤政高效", "政务信用管理")
_SEVERITY_IN = {"一般": Severity.GENERAL, "较重": Severity.MAJOR, "严重": Severity.SERIOUS}


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def _source(obj: models.Model) -> tuple[str, int]:
    if obj is None or obj.pk is None:
        raise ValueError("来源对象须已保存")
    return object_type_of(obj), int(obj.pk)


# -- duties ---------------------------------------------------------------------------------------
def register_duty(
    *,
    module: str,
    kind: str,
    obj: models.Model,
    due: Due,
    title: str,
    unit: Organisation | None = None,
    subject: Subject | None = None,
    key: str = "",
) -> Duty:
    """Upsert by (module, kind, object, key): updates due_on/explain/title (a moved due date restarts the
    reminder ladder); reopening a cancelled duty is the caller's explicit act (register again)."""
    object_type, object_id = _source(obj)
    if due.due is None:
        raise ValidationFailed("期限暂停中，尚无到期日", field_errors={"due_on": ["期限暂停中，尚无到期日"]})
    values = {
        "due_on": due.due,
        "explain": due.explain(),
        "title": title[:300],
        "unit": unit,
        "subject": subject,
    }
    with transaction.atomic():
        duty = (
            Duty.objects.select_for_update()
            .filter(module=module, kind=kind, object_type=object_type, object_id=object_id, key=key)
            .first()
        )
        if duty is None:
            try:
                with transaction.atomic():
                    duty = Duty.objects.create(
                        module=module,
                        kind=kind,
                        object_type=object_type,
                        object_id=object_id,
                        key=key,
                        **values,
                    )
            except IntegrityError:
                duty = Duty.objects.select_for_update().get(
                    module=module, kind=kind, object_type=object_type, object_id=object_id, key=key
                )
            else:
                log_action(
                    "govcredit.duty.registered",
                    obj=duty,
                    summary=f"{title[:200]}，到期日 {due.due:%Y-%m-%d}",
                    after={"module": module, "kind": kind, "due_on": due.due, "key": key},
                )
                return duty
        changed = [f for f, v in values.items() if getattr(duty, f) != v]
        if duty.due_on != values["due_on"]:
            duty.stage, duty.stage_on = "", None
            changed += ["stage", "stage_on"]
        if duty.status == DutyStatus.CANCELLED:
            duty.status, duty.cancel_reason = DutyStatus.OPEN, ""
            changed += ["status", "cancel_reason"]
        if changed:
            for f, v in values.items():
                setattr(duty, f, v)
            duty.save(update_fields=sorted(set(changed)) + ["updated_at"])
    return duty


def _duties_of(duty_or_obj, kind: str | None, key: str) -> QuerySet[Duty]:
    if isinstance(duty_or_obj, Duty):
        return Duty.objects.filter(pk=duty_or_obj.pk)
    object_type, object_id = _source(duty_or_obj)
    qs = Duty.objects.filter(object_type=object_type, object_id=object_id, key=key)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs


def fulfil_duty(duty_or_obj, *, on: dt.date, kind: str | None = None, key: str = "") -> None:
    """Close the open duty (or the object's open duties of ``kind``/``key``) as fulfilled on ``on``."""
    with transaction.atomic():
        for duty in _duties_of(duty_or_obj, kind, key).select_for_update().filter(status=DutyStatus.OPEN):
            Duty.objects.filter(pk=duty.pk).update(
                status=DutyStatus.FULFILLED, fulfilled_on=on, updated_at=timezone.now()
            )
            log_action(
                "govcredit.duty.fulfilled",
                obj=duty,
                summary=f"{duty.title[:200]}，{on:%Y-%m-%d} 履行" + ("（逾期）" if on > duty.due_on else ""),
                after={"fulfilled_on": on, "due_on": duty.due_on},
            )


def cancel_duty(duty_or_obj, *, reason: str, kind: str | None = None, key: str = "") -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写取消原因", field_errors={"reason": ["请填写取消原因"]})
    with transaction.atomic():
        for duty in _duties_of(duty_or_obj, kind, key).select_for_update().filter(status=DutyStatus.OPEN):
            Duty.objects.filter(pk=duty.pk).update(
                status=DutyStatus.CANCELLED, cancel_reason=reason[:300], updated_at=timezone.now()
            )
            log_action("govcredit.duty.cancelled", obj=duty, summary=f"{duty.title[:200]}：{reason[:200]}")


def duties_for(access) -> QuerySet[Duty]:
    """Credit office (and the other staff-wide roles) all; everyone else their own units' duties."""
    qs = Duty.objects.all()
    if access is None or not access.roles:
        return qs.none()
    if access.sees_everything:
        return qs
    return qs.filter(unit_id__in=access.organisation_ids)


# -- findings -------------------------------------------------------------------------------------
def finding_document_no(prefix: str, object_id: int, seq: int, year: int | None = None) -> str:
    year = year or timezone.localdate().year
    return f"周信〔{year}〕{prefix}-{object_id:06d}-F{seq}"


def _severity(value: str) -> str:
    value = (value or "").strip()
    if value in Severity.values:
        return value
    if value in _SEVERITY_IN:
        return _SEVERITY_IN[value]
    raise ValidationFailed(
        "严重程度应为 general、major 或 serious", field_errors={"severity": ["严重程度有误"]}
    )


def open_finding(
    *,
    module: str,
    rule: str,
    obj: models.Model,
    subject: Subject,
    source_unit: Organisation,
    item: str,
    severity: str,
    facts: str,
    legal_basis: str,
    evidence: dict,
    prefix: str,
    seq: int = 1,
    decided_by: str | None = None,
    propose: bool = True,
    actor=None,
) -> Finding:
    """Idempotent: the same (module, rule, obj, seq) returns the existing finding unchanged.

    With ``propose`` the record is proposed at once; if the record service refuses it (e.g. the catalog
    does not allow the source unit), the finding stays ``open`` with the refusal in ``problem`` and the
    credit office sees it in the 失信线索 list — a scan never fails on one bad finding.
    """
    object_type, object_id = _source(obj)
    existing = Finding.objects.filter(
        module=module, rule=rule, object_type=object_type, object_id=object_id, seq=seq
    ).first()
    if existing is not None:
        return existing
    severity = _severity(severity)
    facts = (facts or "").strip()
    if not facts:
        raise ValidationFailed("请填写失信事实", field_errors={"facts": ["请填写失信事实"]})
    try:
        with transaction.atomic():
            finding = Finding.objects.create(
                module=module,
                rule=rule,
                object_type=object_type,
                object_id=object_id,
                seq=seq,
                subject=subject,
                source_unit=source_unit,
                item=item,
                severity=severity,
                facts=facts[:2000],
                legal_basis=(legal_basis or "").strip()[:2000],
                evidence=_jsonable(evidence or {}),
                document_no=finding_document_no(prefix, object_id, seq),
                decided_by=(decided_by or source_unit.name)[:200],
            )
            log_action(
                "govcredit.finding.opened",
                actor=actor,
                obj=finding,
                summary=f"{finding.document_no}：{subject.name}，{facts[:150]}",
                after={"module": module, "rule": rule, "object": f"{object_type}:{object_id}", "item": item},
            )
    except IntegrityError:
        return Finding.objects.get(
            module=module, rule=rule, object_type=object_type, object_id=object_id, seq=seq
        )
    if propose:
        try:
            with transaction.atomic():
                propose_finding(finding, actor=actor)
        except CreditError as exc:
            detail = exc.message
            if exc.field_errors:
                detail += "：" + "；".join(m for msgs in exc.field_errors.values() for m in msgs)
            Finding.objects.filter(pk=finding.pk).update(problem=detail[:500])
            finding.problem = detail[:500]
    return finding


def _jsonable(value: Any) -> Any:
    import json

    from govcredit.core.ledger import canonical_json

    return json.loads(canonical_json(value))


def record_data_of(finding: Finding) -> dict:
    """The exchange-format fields (DESIGN §5) of the record a finding proposes."""
    subject = finding.subject
    data = {
        "subject_name": subject.name,
        "subject_kind": subject.kind,
        "item": finding.item,
        "severity": finding.severity,
        "document_no": finding.document_no,
        "decided_on": timezone.localtime(finding.created_at).date()
        if finding.created_at
        else timezone.localdate(),
        "decided_by": finding.decided_by or finding.source_unit.name,
        "facts": finding.facts,
        "outcome": "",
        "legal_basis": finding.legal_basis,
    }
    if subject.kind in PEOPLE_KINDS:
        from govcredit.core.crypto import get_pii_cipher

        data["id_number"] = get_pii_cipher().decrypt(subject.id_cipher) if subject.id_cipher else ""
        data["unit_uscc"] = subject.parent.uscc if subject.parent_id and subject.parent.uscc else ""
    else:
        data["uscc"] = subject.uscc or ""
    return data


def propose_finding(finding: Finding, *, actor=None):
    """Propose the finding's record into the normal four-eyes review (lands ``submitted``)."""
    from govcredit.records.services import propose_record

    with transaction.atomic():
        locked = (
            Finding.objects.select_for_update().select_related("subject", "source_unit").get(pk=finding.pk)
        )
        if locked.status not in (FindingStatus.OPEN,) and locked.record_id:
            finding.status, finding.record_id = locked.status, locked.record_id
            return locked.record
        record = propose_record(
            record_data_of(locked), source_unit=locked.source_unit, proposed_by=locked.module
        )
        Finding.objects.filter(pk=locked.pk).update(
            status=FindingStatus.PROPOSED, record=record, problem="", updated_at=timezone.now()
        )
        log_action(
            "govcredit.finding.proposed",
            actor=actor,
            obj=locked,
            summary=f"{locked.document_no} 已提交信用办审核（记录 {record.pk}）",
            after={"record_id": record.pk},
        )
    finding.status, finding.record, finding.problem = FindingStatus.PROPOSED, record, ""
    return record


def findings_for(access) -> QuerySet[Finding]:
    """Credit office all; others the findings proposed in their units' name or about their units."""
    qs = Finding.objects.all()
    if access is None or not access.roles:
        return qs.none()
    if access.sees_everything:
        return qs
    return qs.filter(
        Q(source_unit_id__in=access.organisation_ids) | Q(subject_id__in=access.subject_ids_of_own_units())
    )


def get_finding(access, pk) -> Finding:
    finding = findings_for(access).select_related("subject", "source_unit", "record").filter(pk=pk).first()
    if finding is None:
        raise NotFound("失信线索不存在或不在您的查看范围内")
    return finding


# -- integrity events -----------------------------------------------------------------------------
def record_event(
    *,
    subject: Subject,
    dimension: str,
    indicator: str,
    polarity: str,
    value,
    occurred_on: dt.date,
    module: str,
    obj: models.Model,
    key: str = "",
) -> IntegrityEvent:
    """Append one event; idempotent on (module, indicator, object, key): an existing row is returned
    unchanged (a re-scan records nothing new)."""
    if polarity not in Polarity.values:
        raise ValueError(f"polarity must be one of {Polarity.values}")
    try:
        value = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    object_type, object_id = _source(obj)
    lookup = dict(module=module, indicator=indicator, object_type=object_type, object_id=object_id, key=key)
    existing = IntegrityEvent.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return IntegrityEvent.objects.create(
                subject=subject,
                dimension=dimension,
                polarity=polarity,
                value=value,
                occurred_on=occurred_on,
                **lookup,
            )
    except IntegrityError:
        return IntegrityEvent.objects.get(**lookup)
