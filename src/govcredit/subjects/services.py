"""Subjects registry: one write path per change, shared by forms, API, import and reference data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from pypinyin import Style, lazy_pinyin
from pypinyin.seg.simpleseg import seg as pinyin_words

from govcredit.core import public_version
from govcredit.core.codes import (
    looks_like_id_number,
    looks_like_uscc,
    mask_id_number,
    validate_id_number,
    validate_uscc,
)
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.text import required_reason

from .models import (
    ORGANISATION_KINDS,
    PEOPLE_KINDS,
    UNIT_KINDS,
    Subject,
    SubjectKind,
    SubjectName,
    Tenure,
)

register_action("govcredit.subject.created", "新增主体")
register_action("govcredit.subject.updated", "修改主体")
register_action("govcredit.subject.renamed", "主体更名")
register_action("govcredit.subject.confirmed", "确认主体")
register_action("govcredit.subject.code_replaced", "替换占位代码")
register_action("govcredit.tenure.added", "新增任职")

KIND_ALIASES = {
    "政府": SubjectKind.GOVERNMENT,
    "部门": SubjectKind.DEPARTMENT,
    "公务员": SubjectKind.CIVIL_SERVANT,
    "企业": SubjectKind.ENTERPRISE,
    "个人": SubjectKind.PERSON,
    **{k.value: k for k in SubjectKind},
}


def parse_kind(value: str) -> str:
    kind = KIND_ALIASES.get((value or "").strip())
    if kind is None:
        raise ValidationError("主体类型应为 政府、部门、公务员、企业 或 个人")
    return kind


_WORD_INITIALS: dict[str, str] = {}


def _initials_of(text: str) -> str:
    """``lazy_pinyin(text, FIRST_LETTER)`` joined, lower case. pypinyin splits the text into words
    (forward maximum matching on its phrase list) and converts each word on its own, so converting
    word by word through a cache gives the same letters: ~30 µs a name instead of ~300 µs (a city's
    first import registers ~100,000 subjects)."""
    letters = []
    for word in pinyin_words(text):
        known = _WORD_INITIALS.get(word)
        if known is None:
            if len(_WORD_INITIALS) > 200_000:
                _WORD_INITIALS.clear()
            known = _WORD_INITIALS[word] = "".join(
                lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")
            ).lower()
        letters.append(known)
    return "".join(letters)


def initials(name: str, aliases: str = "") -> str:
    """Pinyin initials used by search: 周村区发展和改革局 (alias 区发改局) → "zcqfzhggj qfgj zcqfgj".

    Aliases that start with 区 also get the district prefix, so zcqfgj (周村区发改局) finds the unit.
    """
    words = [_initials_of(name)]
    for alias in aliases.split():
        words.append(_initials_of(alias))
        if alias.startswith("区"):
            words.append(_initials_of("周村" + alias))
    return " ".join(dict.fromkeys(w for w in words if w))


def id_lookup_hash(id_number: str) -> str:
    return get_pii_cipher().lookup_hash(id_number)


def find_by_code(code: str) -> Subject | None:
    """A subject by USCC or ID number (the ID through its keyed hash, never in plain text)."""
    code = (code or "").strip().upper()
    if looks_like_id_number(code):
        found = Subject.objects.filter(id_hash=id_lookup_hash(code)).first()
        if found:
            return found
    return Subject.objects.filter(uscc=code).first()


@dataclass
class SubjectData:
    kind: str
    name: str
    uscc: str = ""
    id_number: str = ""
    parent: Subject | None = None
    division_code: str = ""
    aliases: str = ""
    placeholder_code: bool = False
    needs_confirmation: bool = False


def clean_subject_data(data: SubjectData) -> SubjectData:
    """Validate codes against the kind. Raises ValidationFailed with field errors."""
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        errors.setdefault("name", []).append("请填写名称")
    elif len(name) > 200:
        errors.setdefault("name", []).append("名称不能超过200个字符")
    if data.kind in PEOPLE_KINDS:
        try:
            data.id_number = validate_id_number(data.id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
        data.uscc = ""
    elif data.kind in ORGANISATION_KINDS:
        try:
            data.uscc = validate_uscc(data.uscc)
        except ValidationError as exc:
            errors.setdefault("uscc", []).extend(exc.messages)
        data.id_number = ""
    else:
        errors.setdefault("kind", []).append("主体类型无效")
    if errors:
        raise ValidationFailed("主体信息有误", field_errors=errors)
    data.name = name
    return data


@transaction.atomic
def create_subject(data: SubjectData, *, actor=None) -> Subject:
    data = clean_subject_data(data)
    subject = Subject(
        kind=data.kind,
        name=data.name,
        aliases=data.aliases,
        name_initials=initials(data.name, data.aliases),
        parent=data.parent,
        division_code=data.division_code,
        placeholder_code=data.placeholder_code,
        needs_confirmation=data.needs_confirmation,
    )
    if data.kind in PEOPLE_KINDS:
        digest = id_lookup_hash(data.id_number)
        if Subject.objects.filter(id_hash=digest).exists():
            raise ValidationFailed("该身份证号码已登记", field_errors={"id_number": ["该身份证号码已登记"]})
        subject.id_hash = digest
        subject.id_cipher = get_pii_cipher().encrypt(data.id_number)
        subject.id_masked = mask_id_number(data.id_number)
    else:
        if Subject.objects.filter(uscc=data.uscc).exists():
            raise ValidationFailed(
                "该统一社会信用代码已登记", field_errors={"uscc": ["该统一社会信用代码已登记"]}
            )
        subject.uscc = data.uscc
    subject.save()
    SubjectName.objects.create(
        subject=subject, name=subject.name, valid_from=timezone.localdate(), reason="登记"
    )
    log_action(
        "govcredit.subject.created",
        actor=actor,
        obj=subject,
        summary=f"新增主体 {subject.display_name}",
        after={"kind": subject.kind, "name": subject.display_name, "code": subject.code_display},
    )
    return subject


@transaction.atomic
def rename_subject(
    subject: Subject, new_name: str, *, actor, reason: str, valid_from: dt.date | None = None
) -> Subject:
    new_name = (new_name or "").strip()
    if not new_name:
        raise ValidationFailed("请填写新名称", field_errors={"name": ["请填写新名称"]})
    reason = required_reason(reason, what="更名原因", missing="请说明更名原因")
    old = subject.name
    if new_name == old:
        return subject
    valid_from = valid_from or timezone.localdate()
    SubjectName.objects.filter(subject=subject, valid_to__isnull=True).update(valid_to=valid_from)
    SubjectName.objects.create(subject=subject, name=new_name, valid_from=valid_from, reason=reason)
    subject.name = new_name
    subject.name_initials = initials(new_name, subject.aliases)
    subject.save(update_fields=["name", "name_initials", "updated_at"])
    public_version.bump()
    log_action(
        "govcredit.subject.renamed",
        actor=actor,
        obj=subject,
        summary=f"{subject.display_name} 更名：{reason}",
        before={"name": old if not subject.is_person else None},
        after={"name": new_name if not subject.is_person else None},
    )
    return subject


@transaction.atomic
def replace_placeholder_code(subject: Subject, new_uscc: str, *, actor) -> Subject:
    """A placeholder code from reference data may be replaced once by the real one."""
    if not subject.placeholder_code:
        raise ValidationFailed(
            "代码一经登记不可更改；只有占位代码可以替换", field_errors={"uscc": ["该主体代码不是占位代码"]}
        )
    try:
        code = validate_uscc(new_uscc)
    except ValidationError as exc:
        raise ValidationFailed("统一社会信用代码有误", field_errors={"uscc": exc.messages}) from exc
    if Subject.objects.filter(uscc=code).exclude(pk=subject.pk).exists():
        raise ValidationFailed(
            "该统一社会信用代码已登记", field_errors={"uscc": ["该统一社会信用代码已登记"]}
        )
    old = subject.uscc
    subject.uscc = code
    subject.placeholder_code = False
    subject.save(update_fields=["uscc", "placeholder_code", "updated_at"])
    public_version.bump()
    log_action(
        "govcredit.subject.code_replaced",
        actor=actor,
        obj=subject,
        before={"uscc": old},
        after={"uscc": code},
    )
    return subject


@transaction.atomic
def confirm_subject(subject: Subject, *, actor) -> Subject:
    if subject.needs_confirmation:
        subject.needs_confirmation = False
        subject.save(update_fields=["needs_confirmation", "updated_at"])
        log_action(
            "govcredit.subject.confirmed",
            actor=actor,
            obj=subject,
            summary=f"确认主体 {subject.display_name}",
        )
    return subject


@transaction.atomic
def add_tenure(
    person: Subject,
    unit: Subject,
    *,
    position: str,
    start: dt.date,
    end: dt.date | None = None,
    is_principal: bool = False,
    actor=None,
) -> Tenure:
    if person.kind != SubjectKind.CIVIL_SERVANT:
        raise ValidationFailed("只有公务员可以登记任职", field_errors={"person": ["只有公务员可以登记任职"]})
    if unit.kind not in UNIT_KINDS:
        raise ValidationFailed("任职单位应为政府或部门", field_errors={"unit": ["任职单位应为政府或部门"]})
    if end and end < start:
        raise ValidationFailed(
            "任职结束日期不能早于开始日期", field_errors={"end": ["任职结束日期不能早于开始日期"]}
        )
    tenure = Tenure.objects.create(
        person=person, unit=unit, position=position, start=start, end=end, is_principal=is_principal
    )
    if end is None and person.parent_id != unit.pk:
        person.parent = unit
        person.save(update_fields=["parent", "updated_at"])
    log_action(
        "govcredit.tenure.added",
        actor=actor,
        obj=tenure,
        summary=f"{person.display_name} 任 {unit.name} {position}",
        after={
            "unit": unit.pk,
            "position": position,
            "start": start,
            "end": end,
            "is_principal": is_principal,
        },
    )
    return tenure


def principal_on(unit: Subject, day: dt.date) -> Tenure | None:
    """Who was the unit's principal responsible person on a day (for accountability referrals)."""
    return (
        Tenure.objects.filter(unit=unit, is_principal=True, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("person")
        .order_by("-start")
        .first()
    )


def search_subjects(q: str, queryset: QuerySet[Subject] | None = None) -> QuerySet[Subject]:
    """Name substring, pinyin initials or code. CJK uses ``contains`` (the trigram index serves it on PG)."""
    qs = queryset if queryset is not None else Subject.objects.all()
    q = (q or "").strip()
    if not q:
        return qs
    upper = q.upper()
    if looks_like_id_number(upper):
        return qs.filter(id_hash=id_lookup_hash(upper))
    if looks_like_uscc(upper):
        return qs.filter(uscc=upper)
    if q.isascii() and q.replace(" ", "").isalpha():
        return qs.filter(Q(name_initials__contains=q.lower().replace(" ", "")) | Q(name__contains=q))
    return qs.filter(Q(name__contains=q) | Q(aliases__contains=q))


def reveal_id_number(subject: Subject, *, access, purpose: str = "") -> str:
    """Unmasked ID number; needs the permission and is written to the audit ledger."""
    access.require(access.can_unmask, "您没有查看完整身份证号码的权限")
    if not subject.id_cipher:
        return ""
    value = get_pii_cipher().decrypt(subject.id_cipher)
    log_action(
        "govcredit.pii.unmasked",
        actor=access.user,
        obj=subject,
        summary=f"查看 {subject.display_name} 的完整身份证号码" + (f"（{purpose}）" if purpose else ""),
    )
    return value


def subjects_for(access) -> QuerySet[Subject]:
    """Subjects a back-office user may see. Staff-wide roles: all. Others: every organisation (the
    registry of units is not personal data) and only those people who are in their scope — the
    subjects of records they may see and the civil servants of their own units."""
    qs = Subject.objects.all()
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    from govcredit.records.selectors import records_for

    condition = Q(kind__in=ORGANISATION_KINDS) | Q(pk__in=records_for(access).order_by().values("subject_id"))
    own = access.subject_ids_of_own_units()
    if own:
        condition |= Q(parent_id__in=own)
    return qs.filter(condition)


def get_subject_for_user(access, pk) -> Subject:
    """A subject in the user's scope, or NotFound (never reveal an out-of-scope person exists)."""
    try:
        return subjects_for(access).select_related("parent").get(pk=int(pk))
    except (Subject.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("主体不存在或您无权查看") from exc
