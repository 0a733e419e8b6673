"""Records lifecycle: one service per state change (DESIGN §3).

Every form, API endpoint, import, job and other module goes through these functions. Each
checks the state and the actor's rights, changes the record inside one transaction with a
compare-and-swap on the status (two reviewers: exactly one wins), writes a version, a status
change row and an audit entry, appends to the public transparency log when public visibility
changes, and announces the change through ``record_changed`` inside the same transaction.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import Disclosure
from govcredit.catalog.services import current_version
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.errors import Conflict, CreditError, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import append_transparency, log_action, register_action
from govcredit.core.signals import record_changed
from govcredit.core.text import required_reason
from govcredit.core.uploads import UPLOAD_TYPES, check_uploads
from govcredit.subjects.models import PEOPLE_KINDS, Subject, SubjectKind
from govcredit.subjects.services import SubjectData, create_subject, find_by_code

from . import events
from .models import (
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    CreditRecord,
    Evidence,
    NameMismatch,
    RecordVersion,
    Status,
    StatusChange,
)
from .validation import CleanRecord, check_subject_name, clean_record, may_keep_name_mismatch, names_of

for _event, _label in events.LABELS.items():
    register_action(f"govcredit.record.{_event}", f"信用记录{_label}")
register_action("govcredit.record.evidence_added", "上传证据材料")
register_action("govcredit.record.name_confirmed", "确认报送的主体名称")

CONTENT_FIELDS = (
    "subject_id",
    "item_id",
    "severity",
    "facts",
    "decided_on",
    "decided_by",
    "outcome",
    "legal_basis",
    "disclosure",
)
"""The stored columns an upsert writes (and the bulk path reads back to compare), in this order."""


def content_values(clean: CleanRecord, subject_id: int) -> dict:
    """What an upsert of ``clean`` writes into CONTENT_FIELDS."""
    return {
        "subject_id": subject_id,
        "item_id": clean.item.pk,
        "severity": clean.severity,
        "facts": clean.facts,
        "decided_on": clean.decided_on,
        "decided_by": clean.decided_by,
        "outcome": clean.outcome,
        "legal_basis": clean.legal_basis,
        "disclosure": clean.item.disclosure,
    }


def same_content(stored: Sequence, clean: CleanRecord, subject_id: int) -> bool:
    """Whether a re-sent record says what is stored (``stored``: the record's CONTENT_FIELDS values,
    in that order). The one comparison of the single upsert and the bulk path.

    Only what the sender states counts: the disclosure comes from the catalog, and so does the
    legal basis when the sender leaves it empty; a catalog edit since the first sending must not
    turn a re-send of the same file into a "change" (a 409 for a published record)."""
    (s_subject, s_item, s_severity, s_facts, s_decided_on, s_decided_by, s_outcome, s_basis, _disclosure) = (
        stored
    )
    return (
        s_subject == subject_id
        and s_item == clean.item.pk
        and s_severity == clean.severity
        and s_facts == clean.facts
        and s_decided_on == clean.decided_on
        and s_decided_by == clean.decided_by
        and s_outcome == clean.outcome
        and (s_basis == clean.legal_basis or not clean.legal_basis_given)
    )


CORRECTABLE_FIELDS = (
    "severity",
    "facts",
    "decided_on",
    "decided_by",
    "outcome",
    "legal_basis",
    "item_id",
    "disclosure",
)

#: the accepted evidence types (the one table is core.uploads.UPLOAD_TYPES; kept for keytasks)
EVIDENCE_TYPES = UPLOAD_TYPES

# -- helpers -------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def display_window(record: CreditRecord) -> tuple[dt.date, dt.date]:
    """(repairable_from, publish_until): both run from the decision date (regulations.md §4)."""
    low, high = record.item.period_for(record.severity)
    return add_months(record.decided_on, low), add_months(record.decided_on, high)


def snapshot(record: CreditRecord) -> dict:
    subject = record.subject
    return {
        "subject_id": record.subject_id,
        "subject_name": subject.display_name,
        "subject_kind": subject.kind,
        "subject_code": subject.code_display,
        "item": record.item.code,
        "item_name": record.item.name,
        "severity": record.severity,
        "facts": record.facts,
        "document_no": record.document_no,
        "decided_on": record.decided_on.isoformat() if record.decided_on else None,
        "decided_by": record.decided_by,
        "outcome": record.outcome,
        "legal_basis": record.legal_basis,
        "source_unit": record.source_unit.name,
        "disclosure": record.disclosure,
        "status": record.status,
        "catalog_version": record.catalog_version.version if record.catalog_version_id else None,
        "publish_until": record.publish_until.isoformat() if record.publish_until else None,
        "repairable_from": record.repairable_from.isoformat() if record.repairable_from else None,
    }


def _actor_of(access: Access | None):
    return access.user if access is not None else None


def _record_change(
    record: CreditRecord,
    event: str,
    old_status: str,
    *,
    access: Access | None,
    reason: str = "",
    audit_before=None,
) -> RecordVersion:
    """Version + status change + audit + announcement; called inside the transaction."""
    actor = _actor_of(access)
    number = (
        RecordVersion.objects.filter(record=record)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    if record.version != number:
        record.version = number
        CreditRecord.objects.filter(pk=record.pk).update(version=number)
    version = RecordVersion.objects.create(
        record=record,
        number=number,
        change=event,
        status=record.status,
        snapshot=snapshot(record),
        reason=reason,
        created_by=actor,
    )
    StatusChange.objects.create(
        record=record,
        event=event,
        old_status=old_status,
        new_status=record.status,
        actor=actor,
        reason=reason,
    )
    log_action(
        f"govcredit.record.{event}",
        actor=actor,
        obj=record,
        summary=f"{record.document_no} {events.LABELS.get(event, event)}" + (f"：{reason}" if reason else ""),
        before=audit_before if audit_before is not None else {"status": old_status},
        after={"status": record.status, "version": number},
    )
    record_changed.send(
        sender=CreditRecord,
        record=record,
        event=event,
        old_status=old_status,
        actor=actor,
        reason=reason,
        version=version,
    )
    return version


def _cas_status(record: CreditRecord, expected: tuple[str, ...], **changes) -> None:
    """Compare-and-swap on the status: raise Conflict when someone else changed it first."""
    changes.setdefault("updated_at", timezone.now())
    updated = CreditRecord.objects.filter(pk=record.pk, status__in=expected).update(**changes)
    if updated != 1:
        current = CreditRecord.objects.filter(pk=record.pk).values_list("status", flat=True).first()
        label = Status(current).label if current else "不存在"
        raise Conflict(f"记录「{record.document_no}」已被他人处理，当前状态为「{label}」，请刷新后查看")
    for key, value in changes.items():
        setattr(record, key, value)


def _require_reason(reason: str, what: str) -> str:
    return required_reason(reason, what=f"{what}理由", label="理由")


def check_source_unit(access: Access | None, source_unit: Organisation) -> None:
    """May ``access`` submit records for ``source_unit``? (Every write path: single, bulk, file.)"""
    if access is None:
        return  # system jobs and other modules' proposals
    if source_unit.pk not in access.source_unit_ids():
        raise PermissionDenied(f"您不是「{source_unit}」的报送经办人，不能以该单位名义报送记录")


def resolve_source_unit(value: str) -> Organisation | None:
    """A unit by USCC, registered name or the short name the policy uses (区法院)."""
    value = (value or "").strip()
    if not value:
        return None
    return (
        Organisation.objects.filter(subject__uscc=value.upper()).first()
        or Organisation.objects.filter(name=value).first()
        or Organisation.objects.filter(short_name=value).first()
    )


def submitting_unit(access: Access, text: str | None) -> Organisation:
    """The unit a clerk submits for: the one named by ``text`` (USCC, name or short name), or the
    clerk's only unit when ``text`` is empty."""
    ids = access.source_unit_ids()
    if not access.can_submit_records() or not ids:
        raise PermissionDenied("您不是任何报送单位的经办人，不能报送信用记录")
    text = (text or "").strip()
    if text:
        unit = resolve_source_unit(text)
        if unit is None:
            raise ValidationFailed(
                "报送单位不存在",
                field_errors={
                    "source_unit": [f"找不到报送单位「{text[:60]}」：请填写统一社会信用代码、全称或简称"]
                },
            )
        check_source_unit(access, unit)
        return unit
    if len(ids) > 1:
        names = "、".join(sorted(str(u) for u in Organisation.objects.filter(pk__in=ids)))
        raise ValidationFailed(
            "请指明报送单位",
            field_errors={"source_unit": [f"您可为多个单位报送（{names}），请用 source_unit 指明其中一个"]},
        )
    return Organisation.objects.get(pk=next(iter(ids)))


# -- subjects from record input -----------------------------------------------------------------


def resolve_subject(clean: CleanRecord, *, access: Access | None) -> Subject:
    """The subject the record is about; unknown subjects are created and flagged for confirmation."""
    code = clean.id_number if clean.subject_kind in PEOPLE_KINDS else clean.uscc
    subject = find_by_code(code)
    if subject is not None:
        if subject.kind != clean.subject_kind:
            key = "id_number" if clean.subject_kind in PEOPLE_KINDS else "uscc"
            raise ValidationFailed(
                "主体类型与登记不符",
                field_errors={
                    "subject_kind": [
                        f"该代码已登记为「{SubjectKind(subject.kind).label}」，与填写的「{SubjectKind(clean.subject_kind).label}」不符"
                    ],
                    key: [],
                },
            )
        return subject
    parent = None
    if clean.unit_uscc:
        parent = find_by_code(clean.unit_uscc)
        if parent is None:
            raise ValidationFailed(
                "所属单位未登记", field_errors={"unit_uscc": [f"所属单位代码 {clean.unit_uscc} 尚未登记"]}
            )
    return create_subject(
        SubjectData(
            kind=clean.subject_kind,
            name=clean.subject_name,
            uscc=clean.uscc,
            id_number=clean.id_number,
            parent=parent,
            needs_confirmation=True,
        ),
        actor=_actor_of(access),
    )


def check_name(clean: CleanRecord, subject: Subject, *, access: Access | None) -> bool:
    """The typed name against the subject the code names (the rule is
    ``validation.check_subject_name``): True for a mismatch kept as a flag for the reviewer;
    raises ValidationFailed naming both names when the submitter may not keep it."""
    from .validation import former_names

    flagged, errors = check_subject_name(
        clean.subject_name,
        names=names_of(subject.name, subject.aliases),
        former_names=lambda: former_names([subject.pk]).get(subject.pk, ()),
        registered=subject.display_name,
        aliases=subject.aliases,
        is_person=subject.is_person,
        code_key="id_number" if subject.is_person else "uscc",
        code=subject.uscc or "",
        may_keep=may_keep_name_mismatch(access),
    )
    if errors:
        raise ValidationFailed("主体名称与登记不符", field_errors=errors)
    return flagged


def _keep_name_mismatch(record: CreditRecord, clean: CleanRecord, flagged: bool) -> None:
    """Remember (or forget) the name as submitted for a record still with its source unit."""
    current = NameMismatch.objects.filter(record=record).first()
    if not flagged:
        if current is not None and current.confirmed_at is None:
            current.delete()
        return
    if current is None:
        NameMismatch.objects.create(
            record=record, submitted_name=clean.subject_name, registered_name=record.subject.name
        )
    elif current.submitted_name != clean.subject_name or current.confirmed_at is not None:
        current.submitted_name = clean.subject_name
        current.registered_name = record.subject.name
        current.confirmed_by, current.confirmed_at = None, None
        current.save()


# -- create / update / submit -------------------------------------------------------------------


def upsert_record(
    data: dict,
    *,
    source_unit: Organisation,
    access: Access | None,
    submit: bool = False,
    proposed_by: str = "",
) -> tuple[CreditRecord, bool, bool]:
    """Create or update by (source unit, document number). Returns (record, created, changed).

    Identical content (``same_content``) changes nothing whatever the record's status, and
    ``submit`` is then ignored too: re-sending a request after a network failure is harmless even
    when the record was meanwhile submitted, rejected, published … (submit such a record with
    ``submit_record``). Changed content updates a draft or rejected record (then ``submit``
    submits it); changed content in any other status is refused with Conflict (corrections of
    published records go through review).
    """
    check_source_unit(access, source_unit)
    clean, errors = clean_record(data, source_unit=source_unit)
    if errors:
        raise ValidationFailed("记录信息有误", field_errors=errors)
    return upsert_cleaned(
        clean, source_unit=source_unit, access=access, submit=submit, proposed_by=proposed_by
    )


def upsert_cleaned(
    clean: CleanRecord,
    *,
    source_unit: Organisation,
    access: Access | None,
    submit: bool = False,
    proposed_by: str = "",
) -> tuple[CreditRecord, bool, bool]:
    """``upsert_record`` for input already through ``clean_record`` (the bulk path, ``records.bulk``,
    validates each row once, before it knows whether the row creates or updates)."""
    check_source_unit(access, source_unit)
    try:
        with transaction.atomic():
            return _upsert_clean(
                clean, source_unit=source_unit, access=access, submit=submit, proposed_by=proposed_by
            )
    except IntegrityError as exc:
        # Two writers created the same natural key (or the same new subject) at once: the loser
        # runs again against the winner's rows, so an identical re-send still answers "unchanged".
        try:
            with transaction.atomic():
                return _upsert_clean(
                    clean, source_unit=source_unit, access=access, submit=submit, proposed_by=proposed_by
                )
        except IntegrityError:
            raise Conflict(f"文书号「{clean.document_no}」的记录正被同时提交，请重试") from exc


def _upsert_clean(clean: CleanRecord, *, source_unit, access, submit, proposed_by):
    subject = resolve_subject(clean, access=access)
    flagged = check_name(clean, subject, access=access)
    values = content_values(clean, subject.pk)
    record = (
        CreditRecord.objects.select_for_update()
        .select_related("subject", "item", "source_unit")
        .filter(source_unit=source_unit, document_no=clean.document_no)
        .first()
    )
    if record is None:
        record = CreditRecord.objects.create(
            source_unit=source_unit,
            document_no=clean.document_no,
            status=Status.DRAFT,
            created_by=_actor_of(access),
            proposed_by=proposed_by,
            version=0,
            **values,
        )
        _record_change(record, events.CREATE, "", access=access)
        created, changed = True, True
    else:
        if same_content([getattr(record, f) for f in CONTENT_FIELDS], clean, subject.pk):
            # Identical content changes nothing, not even the status; only the name as submitted
            # is remembered (or forgotten) while the record is still with its source unit.
            if record.status in EDITABLE_STATUSES:
                _keep_name_mismatch(record, clean, flagged)
            return record, False, False
        if record.status not in EDITABLE_STATUSES:
            raise Conflict(
                f"文书号「{clean.document_no}」的记录{record.get_status_display()}，内容不能直接修改；"
                "已公示记录的更正须经审核"
            )
        before = snapshot(record)
        for key, value in values.items():
            setattr(record, key, value)
        record.save()
        record.refresh_from_db()
        _record_change(record, events.UPDATE, record.status, access=access, audit_before=before)
        created, changed = False, True
    if record.status in EDITABLE_STATUSES:
        _keep_name_mismatch(record, clean, flagged)
    if submit and record.status in EDITABLE_STATUSES:
        submit_record(record, access=access)
    return record, created, changed


def submit_record(record: CreditRecord, *, access: Access | None) -> CreditRecord:
    if access is not None:
        check_source_unit(access, record.source_unit)
    with transaction.atomic():
        old = record.status
        if old not in EDITABLE_STATUSES:
            raise Conflict(f"只有草稿或已驳回的记录可以提交审核，当前状态为「{record.get_status_display()}」")
        _cas_status(
            record,
            EDITABLE_STATUSES,
            status=Status.SUBMITTED,
            submitted_by=_actor_of(access),
            submitted_at=timezone.now(),
        )
        _record_change(record, events.SUBMIT, old, access=access)
    return record


def propose_record(data: dict, *, source_unit: Organisation, proposed_by: str) -> CreditRecord:
    """Any module may propose a record (an unfulfilled commitment, an inbound list entry …).

    It lands as ``submitted`` in the normal review queue; a reviewer decides as for any record.
    """
    record, _created, _changed = upsert_record(
        data, source_unit=source_unit, access=None, submit=True, proposed_by=proposed_by
    )
    return record


# -- review ---------------------------------------------------------------------------------------


def approve_record(
    record: CreditRecord, *, access: Access, note: str = "", confirm_name: bool = False
) -> CreditRecord:
    """Publish a submitted record. A record filed with a name that differs from the registered one
    (``NameMismatch``) is published only when the reviewer confirms the name (``confirm_name``)."""
    access.require(access.can_review(), "只有信用办审核人可以审核记录")
    if (
        record.submitted_by_id
        and record.submitted_by_id == access.user.pk
        or record.created_by_id == access.user.pk
    ):
        raise PermissionDenied("不能审核自己报送的记录（须由另一名审核人审核）")
    with transaction.atomic():
        old = record.status
        if old != Status.SUBMITTED:
            raise Conflict(
                f"记录「{record.document_no}」当前状态为「{record.get_status_display()}」，不能审核"
            )
        _confirm_name(record, access=access, confirm=confirm_name)
        repairable_from, publish_until = display_window(record)
        today = timezone.localdate()
        new_status = Status.PUBLISHED if publish_until >= today else Status.EXPIRED
        now = timezone.now()
        _cas_status(
            record,
            (Status.SUBMITTED,),
            status=new_status,
            reviewed_by=access.user,
            reviewed_at=now,
            review_note=note.strip(),
            published_at=now if new_status == Status.PUBLISHED else None,
            publish_until=publish_until,
            repairable_from=repairable_from,
            catalog_version=current_version(record.item),
            ended_at=None if new_status == Status.PUBLISHED else now,
            end_reason="" if new_status == Status.PUBLISHED else "审核通过时公示期已届满",
        )
        if new_status == Status.PUBLISHED:
            if record.disclosure == Disclosure.PUBLIC:
                append_transparency("publish", record.pk)
            _record_change(record, events.PUBLISH, old, access=access, reason=note.strip())
        else:
            _record_change(
                record, events.ARCHIVE, old, access=access, reason="审核通过时公示期已届满，记录留存不公示"
            )
    return record


def _confirm_name(record: CreditRecord, *, access: Access, confirm: bool) -> None:
    mismatch = NameMismatch.objects.select_for_update().filter(record=record, confirmed_at=None).first()
    if mismatch is None:
        return
    if not confirm:
        message = (
            f"报送的主体名称「{mismatch.shown_submitted_name}」与登记名称「{record.subject.display_name}」不一致，"
            "请核实后勾选确认再通过，或驳回"
        )
        raise ValidationFailed(message, field_errors={"confirm_name": [message]})
    mismatch.confirmed_by, mismatch.confirmed_at = access.user, timezone.now()
    mismatch.save(update_fields=["confirmed_by", "confirmed_at"])
    submitted = mismatch.shown_submitted_name
    log_action(
        "govcredit.record.name_confirmed",
        actor=access.user,
        obj=record,
        summary=f"{record.document_no} 确认报送名称「{submitted}」指登记主体「{record.subject.display_name}」",
        before={"subject_name": submitted},
        after={"subject_name": record.subject.display_name},
    )


def reject_record(record: CreditRecord, *, access: Access, reason: str) -> CreditRecord:
    access.require(access.can_review(), "只有信用办审核人可以审核记录")
    reason = _require_reason(reason, "驳回")
    if record.submitted_by_id and record.submitted_by_id == access.user.pk:
        raise PermissionDenied("不能审核自己报送的记录（须由另一名审核人审核）")
    with transaction.atomic():
        old = record.status
        if old != Status.SUBMITTED:
            raise Conflict(
                f"记录「{record.document_no}」当前状态为「{record.get_status_display()}」，不能驳回"
            )
        _cas_status(
            record,
            (Status.SUBMITTED,),
            status=Status.REJECTED,
            reviewed_by=access.user,
            reviewed_at=timezone.now(),
            review_note=reason,
        )
        _record_change(record, events.REJECT, old, access=access, reason=reason)
    return record


# -- after publication ----------------------------------------------------------------------------


def correct_record(
    record: CreditRecord, changes: dict, *, access: Access | None, reason: str
) -> CreditRecord:
    """Correct a published record (a reviewer's decision, or an upheld objection): a new version.

    ``changes`` may hold severity, facts, decided_on, decided_by, outcome, legal_basis, item_id (or
    item) and disclosure; they are judged by the same rules as a correction request. The display
    window is recomputed; the record stays published.
    """
    if access is not None:
        access.require(access.can_review() or access.has_role("admin"), "只有信用办审核人可以更正已公示记录")
    reason = _require_reason(reason, "更正")
    with transaction.atomic():
        locked = (
            CreditRecord.objects.select_for_update()
            .select_related("item", "subject", "source_unit")
            .get(pk=record.pk)
        )
        if locked.status not in LIVE_STATUSES:
            raise Conflict(f"只有公示中的记录可以更正，当前状态为「{locked.get_status_display()}」")
        changed = _normalise_correction(locked, changes)
        before = snapshot(locked)
        was_public = locked.is_public
        for key, value in changed.items():
            setattr(locked, key, dt.date.fromisoformat(value) if key == "decided_on" else value)
        if "item_id" in changed:
            locked.item = locked.item.__class__.objects.get(pk=locked.item_id)
        locked.repairable_from, locked.publish_until = display_window(locked)
        locked.catalog_version = current_version(locked.item)
        locked.save()
        if was_public and locked.is_public:
            append_transparency("correct", locked.pk)
        elif was_public and not locked.is_public:
            append_transparency("withdraw", locked.pk)
        elif not was_public and locked.is_public:
            append_transparency("publish", locked.pk)
        _record_change(
            locked, events.CORRECT, locked.status, access=access, reason=reason, audit_before=before
        )
    record.refresh_from_db()
    return record


def _end_publication(
    record: CreditRecord,
    new_status: str,
    event: str,
    *,
    access: Access | None,
    reason: str,
    expected=LIVE_STATUSES,
) -> CreditRecord:
    with transaction.atomic():
        old = record.status
        was_public = record.status in LIVE_STATUSES and record.disclosure == Disclosure.PUBLIC
        if old not in expected:
            allowed = "、".join(Status(s).label for s in expected)
            raise Conflict(
                f"只有「{allowed}」的记录可以{events.LABELS[event]}，当前状态为「{record.get_status_display()}」"
            )
        _cas_status(record, tuple(expected), status=new_status, ended_at=timezone.now(), end_reason=reason)
        if was_public:
            append_transparency("withdraw", record.pk)
        _record_change(record, event, old, access=access, reason=reason)
    return record


def revoke_record(record: CreditRecord, *, access: Access, reason: str) -> CreditRecord:
    """The source unit withdraws a record (or the credit office revokes it), always with a reason."""
    reason = _require_reason(reason, "撤销")
    is_own_unit = record.source_unit_id in access.source_unit_ids()
    access.require(is_own_unit or access.can_review(), "只有报送单位或信用办可以撤销记录")
    return _end_publication(
        record,
        Status.REVOKED,
        events.REVOKE,
        access=access,
        reason=reason,
        expected=(Status.PUBLISHED, Status.UNDER_OBJECTION, Status.SUBMITTED),
    )


def repair_record(record: CreditRecord, *, access: Access | None, reason: str) -> CreditRecord:
    """An approved repair ends publication; the record is kept, marked repaired."""
    reason = _require_reason(reason, "修复")
    return _end_publication(record, Status.REPAIRED, events.REPAIR, access=access, reason=reason)


def expire_record(record: CreditRecord, *, today: dt.date | None = None) -> CreditRecord:
    today = today or timezone.localdate()
    if record.publish_until is None or record.publish_until >= today:
        raise CreditError("该记录尚在公示期内")
    return _end_publication(
        record,
        Status.EXPIRED,
        events.EXPIRE,
        access=None,
        reason=f"公示期于 {record.publish_until:%Y-%m-%d} 届满",
    )


def expire_due_records(*, today: dt.date | None = None, limit: int | None = None) -> int:
    """Expire every live record whose window has ended. Safe to run from two workers at once."""
    today = today or timezone.localdate()
    due = CreditRecord.objects.filter(status__in=LIVE_STATUSES, publish_until__lt=today).order_by(
        "publish_until", "pk"
    )
    ids = list(due.values_list("pk", flat=True)[:limit] if limit else due.values_list("pk", flat=True))
    expired = 0
    for pk in ids:
        record = CreditRecord.objects.select_related("item", "subject", "source_unit").get(pk=pk)
        try:
            expire_record(record, today=today)
        except (Conflict, CreditError):
            continue  # another worker got there first, or the window was extended meanwhile
        expired += 1
    return expired


def open_objection(record: CreditRecord, *, access: Access | None, reason: str) -> CreditRecord:
    """An accepted objection marks the record 异议处理中; it stays public."""
    with transaction.atomic():
        old = record.status
        if old != Status.PUBLISHED:
            raise Conflict(f"只有已公示的记录可以标注异议，当前状态为「{record.get_status_display()}」")
        _cas_status(record, (Status.PUBLISHED,), status=Status.UNDER_OBJECTION)
        _record_change(record, events.OBJECTION_OPENED, old, access=access, reason=reason)
    return record


def close_objection(record: CreditRecord, *, access: Access | None, reason: str) -> CreditRecord:
    """The objection is decided without revocation: back to published (apply corrections separately)."""
    with transaction.atomic():
        old = record.status
        if old != Status.UNDER_OBJECTION:
            raise Conflict(f"记录当前状态为「{record.get_status_display()}」，没有待办结的异议")
        _cas_status(record, (Status.UNDER_OBJECTION,), status=Status.PUBLISHED)
        _record_change(record, events.OBJECTION_CLOSED, old, access=access, reason=reason)
    return record


# -- evidence -------------------------------------------------------------------------------------


def check_evidence(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Check evidence files (type by extension and magic bytes, size cap) without storing them: the
    problems of every bad file at once on ``evidence``.

    Forms call it before saving anything, so one bad file leaves nothing half-saved."""
    return check_uploads(files, field="evidence", message="证据材料不符合要求")


def validate_evidence(name: str, content: bytes) -> None:
    """One file through ``check_evidence`` (``ValidationFailed`` on ``evidence``), for callers that
    check a single file (commitments' progress reports)."""
    check_evidence([(name, content)])


def add_evidence(record: CreditRecord, *, name: str, content: bytes, access: Access | None) -> Evidence:
    """Attach a pdf / ofd / jpg / png file, checked by extension, magic bytes and size."""
    check_evidence([(name, content)])
    with transaction.atomic():
        evidence = Evidence(record=record, uploaded_by=_actor_of(access))
        evidence.store(name, content)
        evidence.save()
        log_action(
            "govcredit.record.evidence_added",
            actor=_actor_of(access),
            obj=record,
            summary=f"{record.document_no} 上传证据 {evidence.original_name}",
            after={"sha256": evidence.sha256, "size": evidence.size},
        )
    return evidence


def keep_id_number(data: dict, record: CreditRecord | None) -> dict:
    """The form's data with the person's ID number kept from the record being edited: the form never
    shows a stored ID number, so a blank one means "unchanged", not "removed"."""
    if (
        record is not None
        and record.subject.is_person
        and not data.get("id_number")
        and data.get("subject_kind") in (SubjectKind.CIVIL_SERVANT, SubjectKind.PERSON)
    ):
        return {**data, "id_number": get_pii_cipher().decrypt(record.subject.id_cipher)}
    return data


def save_record(
    data: dict,
    *,
    source_unit: Organisation,
    access: Access | None,
    files: Sequence[tuple[str, bytes]] = (),
    submit: bool = False,
    record: CreditRecord | None = None,
) -> tuple[CreditRecord, bool]:
    """The back-office form's write: create or update the record (``upsert_record``), attach its
    evidence files and, with ``submit``, send it for review, all in one transaction. Returns
    (record, created). ``record`` is the record being edited (``keep_id_number``).

    Any domain error leaves nothing saved: the rows roll back and the files already written to
    storage are deleted again; the error is raised for the form to show."""
    data = keep_id_number(data, record)
    files = check_evidence(files)
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            saved, created, _changed = upsert_record(data, source_unit=source_unit, access=access)
            for name, content in files:
                stored.append(add_evidence(saved, name=name, content=content, access=access))
            if submit:
                submit_record(saved, access=access)
    except Exception:
        for evidence in stored:  # the rows rolled back; drop their files too
            evidence.file.storage.delete(evidence.file.name)
        raise
    return saved, created


def get_record(pk) -> CreditRecord:
    try:
        return CreditRecord.objects.select_related("subject", "item", "source_unit").get(pk=int(pk))
    except (CreditRecord.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("记录不存在") from exc


# -- corrections under review (four-eyes) ---------------------------------------------------------

register_action("govcredit.record.correction_requested", "提出信用记录更正申请")
register_action("govcredit.record.correction_approved", "更正申请审核通过")
register_action("govcredit.record.correction_rejected", "驳回更正申请")

# The correctable fields as the validator names them (errors come back under these keys).
CORRECTION_FIELD_KEYS = {
    "severity": "severity",
    "facts": "facts",
    "decided_on": "decided_on",
    "decided_by": "decided_by",
    "outcome": "outcome",
    "legal_basis": "legal_basis",
    "item_id": "item",
    "disclosure": "disclosure",
}


def correction_values(record: CreditRecord) -> dict:
    """The record's correctable fields as JSON values (what a correction request compares with)."""
    return {
        "severity": record.severity,
        "facts": record.facts,
        "decided_on": record.decided_on.isoformat() if record.decided_on else None,
        "decided_by": record.decided_by,
        "outcome": record.outcome,
        "legal_basis": record.legal_basis,
        "item_id": record.item_id,
        "disclosure": record.disclosure,
    }


def _normalise_correction(record: CreditRecord, changes: dict) -> dict:
    """Validate proposed values against the record and the catalog; return only what changes."""
    from govcredit.catalog.models import CatalogItem
    from govcredit.catalog.services import find_item, parse_severity

    from .validation import parse_date

    changes = dict(changes)
    if "item" in changes:
        changes["item_id"] = changes.pop("item")
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationFailed("不能更正的字段：" + "、".join(sorted(unknown)))
    errors: dict[str, list[str]] = {}
    item = record.item
    if "item_id" in changes:
        value = changes["item_id"]
        found = (
            CatalogItem.objects.filter(pk=value).first()
            if isinstance(value, int)
            else find_item(str(value or ""))
        )
        if found is None or not found.active:
            errors["item"] = [f"信息类别「{str(value)[:50]}」不在信用信息目录中"]
        else:
            item = found
            changes["item_id"] = found.pk
            changes.setdefault("disclosure", found.disclosure)
    if "severity" in changes:
        severity = parse_severity(str(changes["severity"] or ""))
        if severity:
            changes["severity"] = severity
    if "decided_on" in changes:
        try:
            changes["decided_on"] = parse_date(changes["decided_on"]).isoformat()
        except (ValueError, OverflowError):
            pass  # the validator below names the expected format
    for key in ("facts", "decided_by", "outcome", "legal_basis"):
        if key in changes:
            changes[key] = str(changes[key] or "").strip()
    current = correction_values(record)
    changed = {k: v for k, v in changes.items() if current.get(k) != v}
    data = {
        "subject_name": record.subject.name,
        "subject_kind": record.subject.kind,
        "item": item.code if item is not None else "",
        "severity": changed.get("severity", record.severity),
        "document_no": record.document_no,
        "decided_on": changed.get("decided_on", record.decided_on),
        "decided_by": changed.get("decided_by", record.decided_by),
        "facts": changed.get("facts", record.facts),
        "outcome": changed.get("outcome", record.outcome),
        "legal_basis": changed.get("legal_basis", record.legal_basis),
    }
    _clean, found_errors = clean_record(
        data, source_unit=record.source_unit if "item_id" in changed else None
    )
    # Only what the correction touches is judged (the subject's codes are not being corrected).
    relevant = {CORRECTION_FIELD_KEYS[k] for k in changed}
    if "item_id" in changed:
        relevant |= {"severity", "subject_kind"}
    for key, messages in found_errors.items():
        if key in relevant:
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed("更正内容有误", field_errors=errors)
    if not changed:
        raise ValidationFailed(
            "更正内容与现有记录相同", field_errors={"__all__": ["没有修改任何内容，请填写需要更正的字段"]}
        )
    return changed


def request_correction(record: CreditRecord, changes: dict, *, access: Access, reason: str):
    """The source unit (or the credit office) proposes a correction of a published record.

    It waits for a reviewer who is not the requester; one pending request per record.
    """
    from .models import CorrectionRequest, CorrectionStatus

    is_own_unit = record.source_unit_id in access.source_unit_ids()
    access.require(
        is_own_unit or access.has_role("credit_office", "admin"), "只有报送单位或信用办可以申请更正记录"
    )
    reason = _require_reason(reason, "更正")
    if record.status not in LIVE_STATUSES:
        raise Conflict(f"只有公示中的记录可以申请更正，当前状态为「{record.get_status_display()}」")
    changed = _normalise_correction(record, changes)
    current = correction_values(record)
    pending = CorrectionRequest.objects.filter(record=record, status=CorrectionStatus.PENDING).first()
    if pending is not None:
        raise Conflict(f"该记录已有待审核的更正申请（#{pending.pk}），请等待审核结果后再提出")
    try:
        with transaction.atomic():
            req = CorrectionRequest.objects.create(
                record=record,
                requested_by=access.user,
                changes=changed,
                original={k: current[k] for k in changed},
                reason=reason,
            )
            log_action(
                "govcredit.record.correction_requested",
                actor=access.user,
                obj=record,
                summary=f"{record.document_no} 申请更正：{reason}",
                before={k: current[k] for k in changed},
                after=changed,
            )
    except IntegrityError as exc:
        raise Conflict("该记录已有待审核的更正申请，请等待审核结果后再提出") from exc
    return req


def _decide_correction(req, *, access: Access, status: str, note: str) -> None:
    from .models import CorrectionRequest, CorrectionStatus

    access.require(access.can_review(), "只有信用办审核人可以审核更正申请")
    if req.requested_by_id == access.user.pk:
        raise PermissionDenied("不能审核自己提出的更正申请（须由另一名审核人审核）")
    now = timezone.now()
    updated = CorrectionRequest.objects.filter(pk=req.pk, status=CorrectionStatus.PENDING).update(
        status=status, decided_by=access.user, decided_at=now, decision_note=note
    )
    if updated != 1:
        current = CorrectionRequest.objects.filter(pk=req.pk).values_list("status", flat=True).first()
        label = CorrectionStatus(current).label if current else "不存在"
        raise Conflict(f"更正申请 #{req.pk} 已被他人处理，当前状态为「{label}」，请刷新后查看")
    req.status, req.decided_by, req.decided_at, req.decision_note = status, access.user, now, note


def approve_correction(req, *, access: Access, note: str = ""):
    """A second person approves: the correction is applied as a new version of the record."""
    from .models import CorrectionStatus

    with transaction.atomic():
        _decide_correction(req, access=access, status=CorrectionStatus.APPROVED, note=(note or "").strip())
        record = CreditRecord.objects.select_related("subject", "item", "source_unit").get(pk=req.record_id)
        correct_record(record, dict(req.changes), access=access, reason=f"{req.reason}（更正申请 #{req.pk}）")
        log_action(
            "govcredit.record.correction_approved",
            actor=access.user,
            obj=record,
            summary=f"{record.document_no} 更正申请 #{req.pk} 审核通过",
            before=req.original,
            after=req.changes,
        )
    return req


def reject_correction(req, *, access: Access, reason: str):
    from .models import CorrectionStatus

    reason = _require_reason(reason, "驳回")
    with transaction.atomic():
        _decide_correction(req, access=access, status=CorrectionStatus.REJECTED, note=reason)
        log_action(
            "govcredit.record.correction_rejected",
            actor=access.user,
            obj=req.record,
            summary=f"{req.record.document_no} 更正申请 #{req.pk} 被驳回：{reason}",
            before={"status": CorrectionStatus.PENDING},
            after={"status": CorrectionStatus.REJECTED},
        )
    return req
