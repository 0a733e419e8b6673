"""公务员信用档案: who may see it, the file with its records, the rules the credit checks consult,
training deficits and reminders. Views and the API stay thin on these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.core.errors import NotFound
from govcredit.core.ledger import log_action, register_action
from govcredit.records.models import LIVE_STATUSES, CreditRecord
from govcredit.subjects.models import Subject, SubjectKind

from .models import (
    AnnualReview,
    PersonnelFile,
    PersonnelRule,
    RankLevel,
    RuleKind,
    TrainingKind,
    TrainingRecord,
    TrainingReminder,
)

register_action("govcredit.personnel.imported", "导入公务员信用档案")
register_action("govcredit.personnel.reminded", "发送培训学时提醒")
register_action("govcredit.personnel.view_denied", "查看公务员信用档案被拒绝（无权限）")

HR_UNITS = ("区委组织部", "区人社局")
RECORD_ITEMS = {"disciplinary_sanction": "纪律处分", "accountability": "问责处理", "commendation": "表彰奖励"}
#: 处分种类, longest first so 记大过 is not read as 记过
DISCIPLINE_KINDS = ("撤职", "降级", "记大过", "记过", "警告")


def _hr_memberships(access: Access) -> list:
    return [
        m
        for m in access.memberships
        if m.organisation.short_name in HR_UNITS and m.role in (Role.CLERK, Role.CREDIT_OFFICE, Role.ADMIN)
    ]


def may_manage(access: Access) -> bool:
    """区委组织部 and 区人社局 keep the files (import, reminders); the credit office too."""
    return bool(_hr_memberships(access)) or access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def may_view(access: Access) -> bool:
    return may_manage(access) or access.has_role(Role.AUDITOR)


def files_for(access: Access) -> QuerySet[PersonnelFile]:
    if not may_view(access):
        return PersonnelFile.objects.none()
    return PersonnelFile.objects.select_related("subject", "subject__parent")


def get_file(access: Access, pk: int) -> PersonnelFile:
    found = files_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("信用档案不存在或您无权查看")
    return found


def ensure_file(subject: Subject, *, rank_level: str = "", rank: str = "", source: str = "") -> PersonnelFile:
    file, created = PersonnelFile.objects.get_or_create(
        subject=subject,
        defaults={"rank_level": rank_level or RankLevel.TOWNSHIP, "rank": rank, "source": source},
    )
    changed = []
    if not created:
        for field, value in (("rank_level", rank_level), ("rank", rank)):
            if value and getattr(file, field) != value:
                setattr(file, field, value)
                changed.append(field)
        if changed:
            file.save(update_fields=[*changed, "updated_at"])
    return file


def person_records(subject: Subject) -> QuerySet[CreditRecord]:
    """The person's disciplinary, accountability and commendation records (live ones)."""
    return (
        CreditRecord.objects.filter(subject=subject, item__code__in=RECORD_ITEMS, status__in=LIVE_STATUSES)
        .select_related("item")
        .order_by("-decided_on")
    )


def discipline_kind(record) -> str:
    text = f"{record.outcome or ''} {record.facts or ''}"
    return next((k for k in DISCIPLINE_KINDS if k in text), "")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class DisciplinePeriod:
    record: CreditRecord
    kind: str
    rule: PersonnelRule | None
    until: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return self.until is not None and self.record.decided_on <= day <= self.until


def discipline_periods(records, rules: dict[str, PersonnelRule]) -> list[DisciplinePeriod]:
    out = []
    for record in records:
        if record.item.code != "disciplinary_sanction":
            continue
        kind = discipline_kind(record)
        rule = rules.get(kind)
        until = add_months(record.decided_on, rule.months) if rule and rule.months else None
        out.append(DisciplinePeriod(record, kind, rule, until))
    return out


def active_rules(kind: str) -> list[PersonnelRule]:
    return list(PersonnelRule.objects.filter(kind=kind, active=True))


# -- training ------------------------------------------------------------------------------------


def training_rule(rank_level: str = RankLevel.TOWNSHIP) -> PersonnelRule | None:
    return PersonnelRule.objects.filter(kind=RuleKind.TRAINING, active=True, rank_level=rank_level).first()


def training_totals(year: int) -> QuerySet[PersonnelFile]:
    """Files annotated with the year's attended training hours and days."""
    in_year = Q(trainings__start__year=year, trainings__attended=True)
    return PersonnelFile.objects.annotate(
        year_hours=Coalesce(Sum("trainings__hours", filter=in_year), Decimal("0")),
        year_days=Coalesce(Sum("trainings__days", filter=in_year), Decimal("0")),
    )


def training_deficits(access: Access, year: int) -> tuple[QuerySet[PersonnelFile], PersonnelRule | None]:
    """People of the rule's rank level with fewer hours AND fewer days than the rule asks for the year
    (either threshold met is enough)."""
    rule = training_rule()
    if rule is None or not may_view(access):
        return PersonnelFile.objects.none(), rule
    qs = (
        training_totals(year)
        .filter(rank_level=rule.rank_level)
        .filter(year_hours__lt=rule.hours or 0, year_days__lt=rule.days or 0)
        .select_related("subject", "subject__parent")
        .order_by("year_hours", "subject__name", "pk")
    )
    return qs, rule


@transaction.atomic
def remind_deficits(access: Access, year: int) -> int:
    """Record a reminder for every person short of the year's hours who has not had one yet."""
    access.require(may_manage(access), "只有区委组织部、区人社局或信用办可以发送培训提醒")
    qs, rule = training_deficits(access, year)
    done = set(TrainingReminder.objects.filter(year=year).values_list("file_id", flat=True))
    new = [
        TrainingReminder(file=f, year=year, hours=f.year_hours, days=f.year_days, sent_by=access.user)
        for f in qs
        if f.pk not in done
    ]
    TrainingReminder.objects.bulk_create(new)
    if new:
        log_action(
            "govcredit.personnel.reminded",
            actor=access.user,
            summary=f"{year}年度培训学时不足提醒 {len(new)} 人（{rule.name}）",
            after={"year": year, "count": len(new), "rule": rule.code},
        )
    return len(new)


def courses_with_attendance():
    from django.db.models import Count

    from .models import IntegrityCourse

    return IntegrityCourse.objects.annotate(
        attended_count=Count("attendances", filter=Q(attendances__attended=True)),
        absent_count=Count("attendances", filter=Q(attendances__attended=False)),
    ).order_by("-held_on", "title", "pk")


def last_review(file: PersonnelFile, today: dt.date) -> AnnualReview | None:
    return file.reviews.filter(year=today.year - 1).first()


def civil_servants() -> QuerySet[Subject]:
    return Subject.objects.filter(kind=SubjectKind.CIVIL_SERVANT)


__all__ = ["TrainingKind", "TrainingRecord"]


# -- flags -----------------------------------------------------------------------------------------


def in_discipline_subject_ids(today: dt.date) -> set[int]:
    """People inside a disciplinary period on ``today`` (the active rules' periods)."""
    rules = {r.match: r for r in active_rules(RuleKind.DISCIPLINE) if r.months}
    if not rules:
        return set()
    earliest = add_months(today, -max(r.months for r in rules.values()))
    records = CreditRecord.objects.filter(
        item__code="disciplinary_sanction", status__in=LIVE_STATUSES, decided_on__gte=earliest
    ).only("pk", "subject_id", "decided_on", "outcome", "facts", "item")
    out = set()
    for record in records:
        rule = rules.get(discipline_kind(record))
        if rule and record.decided_on <= today <= add_months(record.decided_on, rule.months):
            out.add(record.subject_id)
    return out


def low_review_file_ids(today: dt.date) -> QuerySet:
    grades = [r.match for r in active_rules(RuleKind.REVIEW)]
    return AnnualReview.objects.filter(year=today.year - 1, grade__in=grades).values("file_id")


def filter_files(
    qs: QuerySet[PersonnelFile],
    *,
    q: str = "",
    unit: str = "",
    rank_level: str = "",
    flag: str = "",
    today: dt.date,
) -> QuerySet[PersonnelFile]:
    from govcredit.core.codes import looks_like_id_number
    from govcredit.subjects.services import id_lookup_hash

    q = (q or "").strip()
    if q:
        if looks_like_id_number(q.upper()):
            qs = qs.filter(subject__id_hash=id_lookup_hash(q.upper()))
        else:
            qs = qs.filter(subject__name__contains=q)
    if unit.isdigit():
        qs = qs.filter(subject__parent_id=int(unit))
    if rank_level in RankLevel.values:
        qs = qs.filter(rank_level=rank_level)
    if flag == "discipline":
        qs = qs.filter(subject_id__in=in_discipline_subject_ids(today))
    elif flag == "review":
        qs = qs.filter(pk__in=low_review_file_ids(today))
    elif flag == "deficit":
        deficits, _rule = training_deficits_all(today.year - 1)
        qs = qs.filter(pk__in=deficits.values("pk"))
    return qs


def training_deficits_all(year: int):
    rule = training_rule()
    if rule is None:
        return PersonnelFile.objects.none(), None
    return (
        training_totals(year).filter(
            rank_level=rule.rank_level, year_hours__lt=rule.hours or 0, year_days__lt=rule.days or 0
        ),
        rule,
    )


def flags_for(files: list[PersonnelFile], today: dt.date) -> dict[int, list[str]]:
    """Flags of one page of files: 处分期内, 上年度考核等次, 上年度培训学时不足 (three queries)."""
    from .check_inputs import consult

    out: dict[int, list[str]] = {f.pk: [] for f in files}
    by_subject = {f.subject_id: f.pk for f in files}
    for subject_id, verdict in consult("appointment", list(by_subject), today).items():
        for reason in verdict.reasons:
            if reason.get("record_id"):
                out[by_subject[subject_id]].append("处分期内")
            elif reason.get("item") == "年度考核":
                out[by_subject[subject_id]].append(reason["measure"].split("确定为")[-1])
            else:
                out[by_subject[subject_id]].append("个人事项瞒报")
    deficits, _rule = training_deficits_all(today.year - 1)
    for pk in deficits.filter(pk__in=list(out)).values_list("pk", flat=True):
        out[pk].append(f"{today.year - 1}年培训学时不足")
    return {k: sorted(set(v), key=v.index) for k, v in out.items()}
