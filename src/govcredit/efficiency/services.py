"""Service items, 办件 clocks, monthly efficiency per unit and the 蜗牛奖 (policy （六）).

Limits count working days (行政许可法第八十二条); the start day is not counted; excluded intervals
(第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审) stop the clock; a 补正 notice after 5
working days, or a second notice, breaks the 一次性告知 rule (第三十二条第一款第四项) and is flagged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.models import Role as AccountRole
from govcredit.accounts.permissions import Access
from govcredit.contracts.services import Problems, _text, parse_choice
from govcredit.core import public_version
from govcredit.core.calendar import office_calendar
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.spreadsheets import formula_safe
from govcredit.core.workdays import format_cn_date
from govcredit.duties import services as duty_services
from govcredit.duties.clock import Pause, due_date
from govcredit.duties.disclosure import disclose
from govcredit.openinfo.services import _pdate

from .models import AwardStatus, CaseFile, ItemKind, ServiceItem, SnailAward, SnailCriteria

__all__ = ["SnailAward", "Conflict"]

MODULE = "efficiency"
MANAGER_UNIT = "区政务服务中心管理办公室"
NOTICE_WITHIN = 5  # 行政许可法第三十二条第一款第四项 ✅（"五日内"；第八十二条：工作日）

for _key, _label in {
    "govcredit.efficiency.item": "登记政务服务事项",
    "govcredit.efficiency.item_updated": "修改政务服务事项",
    "govcredit.efficiency.import": "导入办件",
    "govcredit.efficiency.snail_decided": "评定蜗牛奖",
    "govcredit.efficiency.snail_published": "通报蜗牛奖",
    "govcredit.efficiency.snail_appeal": "蜗牛奖申诉",
    "govcredit.efficiency.snail_rectified": "蜗牛奖整改",
}.items():
    register_action(_key, _label)


# -- rights ----------------------------------------------------------------------------------------
def _shorts(access: Access, *roles: str) -> set[str]:
    return {m.organisation.short_name for m in access.memberships if not roles or m.role in roles}


def sees_all(access: Access) -> bool:
    return access.sees_everything or MANAGER_UNIT in _shorts(access)


def may_view(access: Access) -> bool:
    return bool(access.roles)


def can_manage(access: Access, unit: Organisation | None = None) -> bool:
    if access.has_role(AccountRole.ADMIN, AccountRole.CREDIT_OFFICE) or MANAGER_UNIT in _shorts(
        access, AccountRole.CLERK
    ):
        return True
    return unit is not None and any(
        m.role == AccountRole.CLERK and m.organisation_id == unit.pk for m in access.memberships
    )


def can_award(access: Access) -> bool:
    return access.has_role(AccountRole.ADMIN, AccountRole.CREDIT_OFFICE) or MANAGER_UNIT in _shorts(
        access, AccountRole.CLERK
    )


def managed_units(access: Access) -> list[Organisation]:
    """The units whose service items and 办件 this user may register (``can_manage``)."""
    return [u for u in Organisation.objects.order_by("pk") if can_manage(access, u)]


def may_import(access: Access) -> bool:
    """Whether the user may import 办件 at all (each row is still checked against its item's unit)."""
    return can_manage(access) or any(m.role == AccountRole.CLERK for m in access.memberships)


def may_appeal(access: Access, award: SnailAward) -> bool:
    return any(m.organisation_id == award.unit_id and m.role == AccountRole.CLERK for m in access.memberships)


def items_for(access: Access) -> QuerySet[ServiceItem]:
    qs = ServiceItem.objects.select_related("unit")
    if not access.roles:
        return qs.none()
    return qs if sees_all(access) else qs.filter(unit_id__in=access.organisation_ids)


def cases_for(access: Access) -> QuerySet[CaseFile]:
    qs = CaseFile.objects.select_related("item", "unit")
    if not access.roles:
        return qs.none()
    return qs if sees_all(access) else qs.filter(unit_id__in=access.organisation_ids)


def _unit(value, problems: Problems) -> Organisation | None:
    text = str(value or "").strip()
    org = (
        Organisation.objects.filter(short_name=text).first() or Organisation.objects.filter(name=text).first()
    )
    if org is None:
        problems.add("unit", f"单位「{text}」不存在（可填简称，如 区住建局）")
    return org


def _days(value, field: str, label: str, problems: Problems) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 365:
        problems.add(field, f"{label}应为0至365之间的整数（工作日）")
        return None
    return value


# -- service items ---------------------------------------------------------------------------------
def _item_limits(data: dict, problems: Problems) -> tuple[str, int | None, int | None]:
    kind = parse_choice(data.get("kind"), "kind", "办件类型", ItemKind, problems)
    legal = _days(data.get("legal_days"), "legal_days", "法定办结时限", problems)
    promised = _days(
        data.get("promised_days", 0 if kind == ItemKind.INSTANT else None),
        "promised_days",
        "承诺办结时限",
        problems,
    )
    if legal is not None and promised is not None and promised > legal:
        problems.add(
            "promised_days", f"承诺办结时限（{promised}个工作日）不能超过法定办结时限（{legal}个工作日）"
        )
    if kind == ItemKind.INSTANT and promised:
        problems.add("promised_days", "即办件当场办结，承诺时限应为0")
    if kind == ItemKind.PROMISED and promised == 0:
        problems.add("promised_days", "承诺件应填写承诺办结的工作日数")
    return kind, legal, promised


def _item_texts(data: dict) -> dict:
    return {
        "tolerated_materials": _text(data.get("tolerated_materials"), "x", "", Problems(), max_len=5000),
        "notice_template": _text(data.get("notice_template"), "x", "", Problems(), max_len=5000),
        "basis": _text(data.get("basis"), "x", "", Problems(), max_len=300),
    }


def create_item(data: dict, *, access: Access) -> ServiceItem:
    problems = Problems()
    code = _text(data.get("code"), "code", "事项编码", problems, max_len=60, required=True)
    name = _text(data.get("name"), "name", "事项名称", problems, max_len=200, required=True)
    unit = _unit(data.get("unit"), problems)
    kind, legal, promised = _item_limits(data, problems)
    if code and ServiceItem.objects.filter(code=code).exists():
        problems.add("code", f"事项编码「{code}」已登记")
    problems.raise_if_any("服务事项信息有误，未保存")
    access.require(can_manage(access, unit), "您只能登记本单位的政务服务事项")
    with transaction.atomic():
        item = ServiceItem.objects.create(
            code=code,
            name=name,
            unit=unit,
            kind=kind,
            legal_days=legal,
            promised_days=promised,
            **_item_texts(data),
        )
        public_version.bump()
        log_action(
            "govcredit.efficiency.item", actor=access.user, obj=item, summary=f"{unit.name} {code} {name}"
        )
    return item


def update_item(item: ServiceItem, data: dict, *, access: Access) -> ServiceItem:
    """Edit an item's name, kind, limits and texts (code and unit stay); 办件 already imported keep the
    deadlines computed when they were imported until they are imported again."""
    access.require(can_manage(access, item.unit), "您只能修改本单位的政务服务事项")
    problems = Problems()
    name = _text(data.get("name"), "name", "事项名称", problems, max_len=200, required=True)
    kind, legal, promised = _item_limits(data, problems)
    problems.raise_if_any("服务事项信息有误，未保存")
    with transaction.atomic():
        item = ServiceItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
        before = f"{item.get_kind_display()} 法定{item.legal_days} 承诺{item.promised_days}"
        item.name, item.kind, item.legal_days, item.promised_days = name, kind, legal, promised
        for key, value in _item_texts(data).items():
            setattr(item, key, value)
        item.save()
        public_version.bump()
        log_action(
            "govcredit.efficiency.item_updated",
            actor=access.user,
            obj=item,
            summary=f"{item.code} {name}：{before} → {item.get_kind_display()} 法定{legal} 承诺{promised}",
        )
    return item


def get_item_for_user(access: Access, pk) -> ServiceItem:
    found = items_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("政务服务事项不存在")
    return found


# -- case files ------------------------------------------------------------------------------------
@dataclass
class CaseInput:
    case_no: str
    item: ServiceItem
    received_on: dt.date
    completed_on: dt.date | None
    notices: list[dt.date]
    excluded: list[tuple[dt.date, dt.date, str]]


def compute(item: ServiceItem, c: CaseInput) -> dict:
    cal = office_calendar()
    pauses = [Pause(a, b, reason or "不计入办理时限的程序") for a, b, reason in c.excluded]
    due = due_date(c.received_on, mode="working", n=item.promised_days, pauses=pauses)
    out = {"due_on": due.due, "due_explain": due.explain(), "working_days": None, "overrun_days": 0}
    if c.completed_on:
        excluded = sum(cal.working_days_between(a, b) for a, b, _ in c.excluded)
        used = max(cal.working_days_between(c.received_on, c.completed_on) - excluded, 0)
        out["working_days"] = used
        out["overrun_days"] = (
            cal.working_days_between(due.due, c.completed_on) if c.completed_on > due.due else 0
        )
    limit = cal.add_working_days(c.received_on, NOTICE_WITHIN).due
    out["late_notice"] = any(n > limit for n in c.notices)
    out["repeated_notice"] = len(c.notices) > 1
    return out


def _dates(text: str, field: str, label: str, problems: Problems) -> list[dt.date]:
    out = []
    for part in [p.strip() for p in str(text or "").replace("；", ";").split(";") if p.strip()]:
        d = _pdate(part, field, label, problems)
        if d:
            out.append(d)
    return sorted(out)


def _intervals(text: str, problems: Problems) -> list[tuple[dt.date, dt.date, str]]:
    out = []
    for part in [p.strip() for p in str(text or "").replace("；", ";").split(";") if p.strip()]:
        span, _, reason = part.partition("|")
        a, sep, b = span.replace("～", "~").partition("~")
        if not sep:
            problems.add("excluded", f"不计入期间「{part}」应写成 开始日期~结束日期|原因")
            continue
        start = _pdate(a.strip(), "excluded", "不计入期间开始日期", problems)
        end = _pdate(b.strip(), "excluded", "不计入期间结束日期", problems)
        if start and end:
            if end < start:
                problems.add("excluded", f"不计入期间{start.isoformat()}~{end.isoformat()}结束早于开始")
            else:
                out.append((start, end, reason.strip()[:60]))
    return out


HEADERS = {
    "办件编号": "case_no",
    "事项编码": "item",
    "受理日期": "received_on",
    "办结日期": "completed_on",
    "补正告知日期": "notices",
    "不计入期间": "excluded",
}
LABELS = {v: k for k, v in HEADERS.items()}


def clean_case(row: dict, items: dict[str, ServiceItem], problems: Problems) -> CaseInput | None:
    case_no = _text(row.get("case_no"), "case_no", "办件编号", problems, max_len=60, required=True)
    item = items.get(str(row.get("item") or "").strip())
    if item is None:
        problems.add("item", f"事项编码「{row.get('item') or ''}」未登记")
    received = _pdate(row.get("received_on"), "received_on", "受理日期", problems, required=True)
    completed = _pdate(row.get("completed_on"), "completed_on", "办结日期", problems)
    today = timezone.localdate()
    if received and received > today:
        problems.add("received_on", "受理日期不能晚于今天")
    if completed and completed > today:
        problems.add("completed_on", "办结日期不能晚于今天")
    if received and completed and completed < received:
        problems.add(
            "completed_on", f"办结日期（{completed.isoformat()}）早于受理日期（{received.isoformat()}）"
        )
    notices = _dates(row.get("notices"), "notices", "补正告知日期", problems)
    if received and any(n < received for n in notices):
        problems.add("notices", "补正告知日期不能早于受理日期")
    excluded = _intervals(row.get("excluded"), problems)
    end = completed or today
    if received and any(a < received or b > end for a, b, _ in excluded):
        problems.add("excluded", "不计入期间应在受理日期与办结日期（未办结为今天）之间")
    if problems.errors:
        return None
    return CaseInput(case_no, item, received, completed, notices, excluded)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: int = 0
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # 行号, 列, 原因, 原值

    def report_csv(self) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["行号", "列", "原因", "原值"])
        for line, col, reason, raw in self.problems:
            w.writerow([line, formula_safe(col), formula_safe(reason), formula_safe(raw)])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")


class UnreadableFile(Exception):
    pass


def read_csv(data: bytes) -> list[dict]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("文件编码无法识别（应为 UTF-8 或 GBK/GB18030）")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"办件编号", "事项编码", "受理日期"} <= {
        h.strip() for h in reader.fieldnames
    }:
        raise UnreadableFile("表头应包含：" + "、".join(HEADERS))
    rows = []
    for raw in reader:
        rows.append(
            {HEADERS[k.strip()]: (v or "").strip() for k, v in raw.items() if k and k.strip() in HEADERS}
        )
    return rows


def import_cases(rows: list[dict], *, access: Access | None = None, dry_run: bool = False) -> ImportResult:
    """Upsert 办件 by 办件编号 from the 政务服务平台 export; a bad row is reported, never half-saved."""
    result = ImportResult()
    items = {i.code: i for i in ServiceItem.objects.select_related("unit")}
    for n, row in enumerate(rows, start=2):
        problems = Problems()
        c = clean_case(row, items, problems)
        if c is not None and access is not None and not can_manage(access, c.item.unit):
            problems.add("item", f"您不能导入{c.item.unit.name}的办件")
            c = None
        if c is None:
            result.rejected += 1
            for f, msgs in problems.errors.items():
                for m in msgs:
                    result.problems.append((n, LABELS.get(f, f), m, str(row.get(f, ""))))
            continue
        values = compute(c.item, c)
        values.update(
            item=c.item,
            unit=c.item.unit,
            received_on=c.received_on,
            completed_on=c.completed_on,
            notices=[d.isoformat() for d in c.notices],
            excluded=[{"start": a.isoformat(), "end": b.isoformat(), "reason": r} for a, b, r in c.excluded],
        )
        if dry_run:
            result.created += 1
            continue
        with transaction.atomic():
            _obj, created = CaseFile.objects.update_or_create(case_no=c.case_no, defaults=values)
        if created:
            result.created += 1
        else:
            result.updated += 1
    if not dry_run and (result.created or result.updated):
        with transaction.atomic():
            public_version.bump()
            log_action(
                "govcredit.efficiency.import",
                actor=access.user if access else None,
                object_type="efficiency.casefile",
                summary=f"导入办件：新增{result.created}，更新{result.updated}，拒绝{result.rejected}",
            )
    return result


# -- monthly efficiency ----------------------------------------------------------------------------
@dataclass
class UnitEfficiency:
    unit: Organisation
    cases: int
    on_time: int
    overruns: int
    overrun_days: int
    repeated_notices: int
    mean_days: Decimal
    worst: list[CaseFile]

    @property
    def on_time_percent(self) -> Decimal:
        return (
            (Decimal(self.on_time) * 100 / self.cases).quantize(Decimal("0.1"))
            if self.cases
            else Decimal(100)
        )


def period_range(period: str) -> tuple[dt.date, dt.date]:
    """``2026-03`` (month), ``2026Q1`` (quarter) or ``2026`` (year) → [first, last] day."""
    p = (period or "").strip().upper()
    try:
        if len(p) == 7 and p[4] == "-":
            y, m = int(p[:4]), int(p[5:])
            first = dt.date(y, m, 1)
            last = (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
            return first, last
        if len(p) == 6 and p[4] == "Q" and p[5] in "1234":
            y, q = int(p[:4]), int(p[5])
            first = dt.date(y, 3 * q - 2, 1)
            last = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
            return first, last
        if len(p) == 4:
            y = int(p)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        pass
    raise ValidationFailed(
        f"期间「{period}」格式有误",
        field_errors={"period": ["期间应为 2026-03（月）、2026Q1（季度）或 2026（年）"]},
    )


def efficiency(period: str, qs: QuerySet[CaseFile] | None = None) -> list[UnitEfficiency]:
    """Per unit, the 办件 completed in the period, worst first (on-time %, then overruns)."""
    first, last = period_range(period)
    qs = (
        (qs if qs is not None else CaseFile.objects.all())
        .filter(completed_on__range=(first, last))
        .select_related("unit", "item")
    )
    by_unit: dict[int, list[CaseFile]] = {}
    for c in qs:
        by_unit.setdefault(c.unit_id, []).append(c)
    out = []
    for cases in by_unit.values():
        overrun = [c for c in cases if c.overrun_days]
        used = [c.working_days or 0 for c in cases]
        out.append(
            UnitEfficiency(
                unit=cases[0].unit,
                cases=len(cases),
                on_time=len(cases) - len(overrun),
                overruns=len(overrun),
                overrun_days=sum(c.overrun_days for c in overrun),
                repeated_notices=sum(1 for c in cases if c.repeated_notice or c.late_notice),
                mean_days=(Decimal(sum(used)) / len(used)).quantize(Decimal("0.1")),
                worst=sorted(overrun, key=lambda c: -c.overrun_days)[:10],
            )
        )
    out.sort(key=lambda e: (e.on_time_percent, -e.overruns, e.unit.name))
    return out


def criteria() -> SnailCriteria:
    found = SnailCriteria.objects.filter(active=True).order_by("-pk").first()
    if found is None:
        raise Conflict("尚未设定现行的蜗牛奖评选标准")
    return found


@dataclass
class Nomination:
    efficiency: UnitEfficiency
    reasons: list[str]


def nominate(period: str) -> list[Nomination]:
    """Evidence-computed candidates: units with enough cases whose on-time rate is below the rule, or
    with many overruns or repeated notices; each reason names the figures and the cases behind them."""
    rule = criteria()
    out = []
    for e in efficiency(period):
        if e.cases < rule.min_cases:
            continue
        reasons = []
        if e.on_time_percent < rule.on_time_below:
            reasons.append(f"按时办结率{e.on_time_percent}%，低于{rule.on_time_below}%")
        if e.overruns >= rule.overruns_at_least:
            reasons.append(f"超期办结{e.overruns}件，累计超期{e.overrun_days}个工作日")
        if e.repeated_notices >= rule.repeated_notices_at_least:
            reasons.append(f"未一次性告知或超过5个工作日告知{e.repeated_notices}件")
        if reasons:
            out.append(Nomination(e, reasons))
    return out[: rule.max_candidates]


def _award_evidence(n: Nomination) -> dict:
    e = n.efficiency
    return {
        "cases": e.cases,
        "on_time_percent": str(e.on_time_percent),
        "overruns": e.overruns,
        "overrun_days": e.overrun_days,
        "repeated_notices": e.repeated_notices,
        "mean_days": str(e.mean_days),
        "reasons": n.reasons,
        "worst_cases": [
            {"case_no": c.case_no, "item": c.item.name, "overrun_days": c.overrun_days} for c in e.worst
        ],
    }


def decide_award(data: dict, *, access: Access) -> SnailAward:
    access.require(can_award(access), f"只有{MANAGER_UNIT}和信用办可以评定蜗牛奖")
    problems = Problems()
    period = str(data.get("period") or "").strip()
    period_range(period)
    unit = _unit(data.get("unit"), problems)
    reasons = _text(data.get("reasons"), "reasons", "评定理由", problems, max_len=5000, required=True)
    committee = (
        _text(data.get("committee"), "committee", "评定机构", problems, max_len=200)
        or "周村区蜗牛奖评定委员会"
    )
    decided = _pdate(data.get("decided_on"), "decided_on", "评定日期", problems) or timezone.localdate()
    if decided > timezone.localdate():
        problems.add("decided_on", "评定日期不能晚于今天")
    problems.raise_if_any("评定信息有误，未保存")
    rule = criteria()
    nominated = {n.efficiency.unit.pk: n for n in nominate(period)}
    evidence = (
        _award_evidence(nominated[unit.pk])
        if unit.pk in nominated
        else {"reasons": ["群众举报、督查等线索（非数据提名）"]}
    )
    due = office_calendar().add_working_days(decided, rule.rectification_working_days).due
    with transaction.atomic():
        if SnailAward.objects.filter(period=period, unit=unit).exists():
            raise Conflict(f"{unit.name}已获评{period}蜗牛奖")
        award = SnailAward.objects.create(
            period=period,
            unit=unit,
            criteria_version=rule.version,
            evidence=evidence,
            decided_on=decided,
            committee=committee,
            reasons=reasons,
            rectification_due=due,
        )
        log_action(
            "govcredit.efficiency.snail_decided",
            actor=access.user,
            obj=award,
            summary=f"{period} 蜗牛奖：{unit.name}",
        )
    return award


def publish_award(award: SnailAward, *, access: Access) -> SnailAward:
    access.require(can_award(access), f"只有{MANAGER_UNIT}和信用办可以通报蜗牛奖")
    rule = SnailCriteria.objects.filter(version=award.criteria_version).first() or criteria()
    with transaction.atomic():
        award = SnailAward.objects.select_for_update().select_related("unit").get(pk=award.pk)
        if award.status != AwardStatus.DECIDED:
            raise Conflict("该蜗牛奖已经通报")
        today = timezone.localdate()
        award.status, award.published_on = AwardStatus.PUBLISHED, today
        award.appeal_due = office_calendar().add_working_days(today, rule.appeal_working_days).due
        award.save(update_fields=["status", "published_on", "appeal_due"])
        disclose("publish", object_type="efficiency.snailaward", object_id=award.pk)
        public_version.bump()
        subject = getattr(award.unit, "subject", None)
        if subject is not None:
            duty_services.record_event(
                subject=subject,
                dimension="勤政高效",
                indicator="snail_award",
                polarity="-",
                value=1,
                occurred_on=today,
                module=MODULE,
                obj=award,
            )
        duty_services.register_duty(
            module=MODULE,
            kind="snail_rectification",
            obj=award,
            due=due_date(award.decided_on, mode="working", n=rule.rectification_working_days),
            title=f"{award.period}蜗牛奖整改",
            unit=award.unit,
            subject=subject,
        )
        log_action(
            "govcredit.efficiency.snail_published", actor=access.user, obj=award, summary=f"通报 {award}"
        )
    return award


def appeal(award: SnailAward, data: dict, *, access: Access) -> SnailAward:
    """The awarded unit appeals within the working-day period after publication."""
    access.require(may_appeal(access, award), "只有获评单位可以申诉")
    reason = str(data.get("reason") or "").strip()
    if not reason:
        raise ValidationFailed("请填写申诉理由", field_errors={"reason": ["请填写申诉理由和证据"]})
    with transaction.atomic():
        award = SnailAward.objects.select_for_update().get(pk=award.pk)
        if award.status != AwardStatus.PUBLISHED:
            raise Conflict("只有已通报的蜗牛奖可以申诉，且只能申诉一次")
        if timezone.localdate() > award.appeal_due:
            raise Conflict(f"申诉期限已于{format_cn_date(award.appeal_due)}届满")
        award.status, award.appeal_reason = AwardStatus.APPEALED, reason[:5000]
        award.save(update_fields=["status", "appeal_reason"])
        disclose("correct", object_type="efficiency.snailaward", object_id=award.pk, version=2)
        public_version.bump()
        log_action("govcredit.efficiency.snail_appeal", actor=access.user, obj=award, summary=f"{award} 申诉")
    return award


def answer_appeal(award: SnailAward, data: dict, *, access: Access) -> SnailAward:
    access.require(can_award(access), f"只有{MANAGER_UNIT}和信用办可以答复申诉")
    upheld = data.get("upheld")
    answer = str(data.get("answer") or "").strip()
    if not isinstance(upheld, bool) or not answer:
        raise ValidationFailed("答复有误", field_errors={"answer": ["请填写答复并选择维持或撤销"]})
    with transaction.atomic():
        award = SnailAward.objects.select_for_update().get(pk=award.pk)
        if award.status != AwardStatus.APPEALED:
            raise Conflict("该蜗牛奖不在申诉中")
        award.status = AwardStatus.UPHELD if upheld else AwardStatus.REVOKED
        award.appeal_answer = answer[:5000]
        award.save(update_fields=["status", "appeal_answer"])
        disclose(
            "withdraw" if not upheld else "correct",
            object_type="efficiency.snailaward",
            object_id=award.pk,
            version=3,
        )
        if not upheld:
            duty_services.cancel_duty(award, reason="申诉成立，撤销蜗牛奖", kind="snail_rectification")
        public_version.bump()
        log_action(
            "govcredit.efficiency.snail_appeal", actor=access.user, obj=award, summary=f"{award} 申诉答复"
        )
    return award


def record_rectification(award: SnailAward, data: dict, *, access: Access) -> SnailAward:
    access.require(can_award(access), f"只有{MANAGER_UNIT}和信用办可以确认整改")
    text = str(data.get("follow_up") or "").strip()
    if not text:
        raise ValidationFailed("请填写整改情况", field_errors={"follow_up": ["请填写整改情况"]})
    problems = Problems()
    on = _pdate(data.get("rectified_on"), "rectified_on", "整改完成日期", problems) or timezone.localdate()
    problems.raise_if_any("整改信息有误")
    with transaction.atomic():
        award = SnailAward.objects.select_for_update().get(pk=award.pk)
        if award.status not in (AwardStatus.PUBLISHED, AwardStatus.UPHELD):
            raise Conflict(f"蜗牛奖当前状态为「{award.get_status_display()}」，不能登记整改")
        award.follow_up, award.rectified_on, award.status = text[:5000], on, AwardStatus.RECTIFIED
        award.save(update_fields=["follow_up", "rectified_on", "status"])
        duty_services.fulfil_duty(award, on=on, kind="snail_rectification")
        disclose("correct", object_type="efficiency.snailaward", object_id=award.pk, version=4)
        public_version.bump()
        log_action(
            "govcredit.efficiency.snail_rectified", actor=access.user, obj=award, summary=f"{award} 整改完成"
        )
    return award


def get_award(pk) -> SnailAward:
    found = SnailAward.objects.select_related("unit").filter(pk=pk).first()
    if found is None:
        raise NotFound("蜗牛奖记录不存在")
    return found


def award_view(a: SnailAward) -> dict:
    return {
        "id": a.pk,
        "period": a.period,
        "unit": a.unit.name,
        "status": a.status,
        "status_label": a.get_status_display(),
        "reasons": a.reasons,
        "evidence": a.evidence,
        "decided_on": a.decided_on.isoformat(),
        "rectification_due": a.rectification_due.isoformat(),
        "published_on": a.published_on.isoformat() if a.published_on else None,
        "appeal_due": a.appeal_due.isoformat() if a.appeal_due else None,
        "appeal_reason": a.appeal_reason,
        "appeal_answer": a.appeal_answer,
        "follow_up": a.follow_up,
        "rectified_on": a.rectified_on.isoformat() if a.rectified_on else None,
        "criteria_version": a.criteria_version,
    }


PUBLIC_AWARD_STATES = (AwardStatus.PUBLISHED, AwardStatus.APPEALED, AwardStatus.UPHELD, AwardStatus.RECTIFIED)
