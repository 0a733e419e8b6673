"""Debt services (policy （十六）, WAVE2 §5): check rights → validate everything → one atomic write → audit.

Money is ``Decimal`` in 元 with two decimals; rates are percent. Bad input raises
``ValidationFailed`` with a Chinese message per field and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.core import public_version
from govcredit.core.crypto import sm3_hex
from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.core.ledger import canonical_json, log_action, register_action
from govcredit.records.validation import parse_date
from govcredit.subjects.models import Subject, SubjectKind

from . import kernel
from .models import (
    Bond,
    BondType,
    BorrowingCase,
    Category,
    DebtDisclosure,
    DebtLimit,
    DebtSnapshot,
    DebtWarning,
    EmergencyEvent,
    EmergencyLevel,
    ReminderSent,
    Repayment,
    RiskBand,
    SnapshotStatus,
    ViolationKind,
)

FINANCE = "区财政局"
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999999999.99")

register_action("govcredit.debt.limit", "登记债务限额")
register_action("govcredit.debt.bond", "登记政府债券")
register_action("govcredit.debt.payment", "登记还本付息")
register_action("govcredit.debt.snapshot", "录入债务数据")
register_action("govcredit.debt.snapshot_submitted", "提交债务数据复核")
register_action("govcredit.debt.snapshot_returned", "退回债务数据")
register_action("govcredit.debt.published", "公开债务信息")
register_action("govcredit.debt.warning", "债务风险预警")
register_action("govcredit.debt.warning_ack", "确认债务风险预警")
register_action("govcredit.debt.reminder", "还本付息到期提醒")
register_action("govcredit.debt.emergency", "债务应急处置事件")
register_action("govcredit.debt.case", "登记违法违规举债担保")


# -- rights ------------------------------------------------------------------------------------------


def can_manage(access: Access) -> bool:
    """区财政局 clerks enter the data; the credit office and admins may too."""
    if access.user is None:
        return False
    if access.has_role(Role.CREDIT_OFFICE, Role.ADMIN):
        return True
    return any(m.role == Role.CLERK and m.organisation.short_name == FINANCE for m in access.memberships)


def can_view(access: Access) -> bool:
    return can_manage(access) or access.sees_everything


def _require(access: Access) -> None:
    if not can_manage(access):
        raise PermissionDenied("只有区财政局经办人或信用办可以维护政府债务信息")


# -- input helpers --------------------------------------------------------------------------------------


class Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)

    def raise_if_any(self, message: str) -> None:
        if self:
            raise ValidationFailed(message, field_errors=dict(self))


def _money(
    data: dict, key: str, label: str, errors: Errors, *, required: bool = True, positive: bool = False
) -> Decimal | None:
    raw = data.get(key)
    if raw in (None, ""):
        if required:
            errors.add(key, f"请填写{label}")
        return None if required else Decimal("0.00")
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        errors.add(key, f"{label}应为数字（元），当前为「{str(raw)[:30]}」")
        return None
    if not value.is_finite():
        errors.add(key, f"{label}应为数字（元）")
        return None
    if value < 0:
        errors.add(key, f"{label}不能为负数，当前为 {value} 元")
        return None
    if positive and value == 0:
        errors.add(key, f"{label}应大于 0")
        return None
    if value > MAX_MONEY:
        errors.add(key, f"{label}超出可登记范围")
        return None
    if value != value.quantize(CENT):
        errors.add(key, f"{label}最多保留两位小数（分）")
        return None
    return value.quantize(CENT)


def _date(data: dict, key: str, label: str, errors: Errors) -> dt.date | None:
    raw = data.get(key)
    if raw in (None, ""):
        errors.add(key, f"请填写{label}")
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return parse_date(raw)
    except (ValueError, OverflowError, TypeError):
        errors.add(key, f"{label}格式应为 2026-03-05")
        return None


def _year(value, errors: Errors, key: str = "year") -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors.add(key, "年度应为四位数字，例如 2026")
        return None
    if not 2000 <= year <= 2100:
        errors.add(key, f"年度应在 2000–2100 之间，当前为 {year}")
        return None
    return year


def yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


# -- limits ------------------------------------------------------------------------------------------------


def set_limit(data: dict, *, access: Access) -> DebtLimit:
    _require(access)
    errors = Errors()
    year = _year(data.get("year"), errors)
    category = data.get("category")
    if category not in Category.values:
        errors.add("category", "类别应为 general（一般债务）或 special（专项债务）")
    amount = _money(data, "amount", "限额", errors)
    document = (data.get("document") or "").strip()
    if len(document) > 200:
        errors.add("document", "文件名称不能超过200个字符")
    errors.raise_if_any("债务限额有误")
    with transaction.atomic():
        limit, created = DebtLimit.objects.select_for_update().get_or_create(
            year=year,
            category=category,
            defaults={"amount": amount, "document": document, "created_by": access.user},
        )
        before = None if created else {"amount": str(limit.amount), "document": limit.document}
        if not created:
            limit.amount, limit.document = amount, document
            limit.save(update_fields=["amount", "document"])
        log_action(
            "govcredit.debt.limit",
            actor=access.user,
            obj=limit,
            summary=f"{year}年{limit.get_category_display()}限额 {yuan(amount)} 元",
            before=before,
            after={"amount": str(amount), "document": document},
        )
    return limit


def limits_of(year: int) -> dict[str, Decimal]:
    return {lim.category: lim.amount for lim in DebtLimit.objects.filter(year=year)}


# -- bonds -------------------------------------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def register_bond(data: dict, *, access: Access) -> Bond:
    """A bond with its repayment schedule; the schedule's principal must add up to the amount."""
    _require(access)
    errors = Errors()
    code = (data.get("code") or "").strip()
    if not code:
        errors.add("code", "请填写债券编码")
    elif len(code) > 40:
        errors.add("code", "债券编码不能超过40个字符")
    elif Bond.objects.filter(code=code).exists():
        errors.add("code", f"债券编码「{code}」已登记")
    name = (data.get("name") or "").strip()
    if not name:
        errors.add("name", "请填写债券名称")
    category = data.get("category")
    if category not in Category.values:
        errors.add("category", "类别应为 general（一般债券）或 special（专项债券）")
    bond_type = data.get("bond_type")
    if bond_type not in BondType.values:
        errors.add("bond_type", "发行类型应为 new（新增）、refinancing（再融资）或 replacement（置换）")
    issue_date = _date(data, "issue_date", "发行日期", errors)
    amount = _money(data, "amount", "分配额度", errors, positive=True)
    rate = None
    try:
        rate = Decimal(str(data.get("rate")).strip())
        if not rate.is_finite() or not Decimal("0") < rate <= Decimal("20"):
            errors.add("rate", f"票面利率应在 0–20%（不含0）之间，当前为 {rate}%")
            rate = None
        elif rate != rate.quantize(Decimal("0.001")):
            errors.add("rate", "票面利率最多保留三位小数")
            rate = None
    except (InvalidOperation, TypeError):
        errors.add("rate", "请填写票面利率（%），例如 2.85")
    term = None
    try:
        term = int(data.get("term_years"))
        if not 1 <= term <= 50:
            errors.add("term_years", f"期限应为 1–50 年，当前为 {term} 年")
            term = None
    except (TypeError, ValueError):
        errors.add("term_years", "请填写期限（整年）")
    maturity = None
    if data.get("maturity") not in (None, ""):
        maturity = _date(data, "maturity", "到期日", errors)
    elif issue_date and term:
        maturity = _add_years(issue_date, term)
    if issue_date and maturity and maturity <= issue_date:
        errors.add("maturity", "到期日应晚于发行日期")
    use = (data.get("use") or "").strip()
    if not use:
        errors.add("use", "请填写资金用途")
    elif len(use) > 1000:
        errors.add("use", "资金用途不能超过1000个字符")
    projects = (data.get("projects") or "").strip()
    if len(projects) > 2000:
        errors.add("projects", "使用项目不能超过2000个字符")
    lines = _clean_schedule(data.get("schedule"), errors, issue_date=issue_date, maturity=maturity)
    if amount is not None and lines and "schedule" not in errors:
        total = sum((ln[1] for ln in lines), Decimal("0.00"))
        if total != amount:
            errors.add(
                "schedule",
                f"还本计划本金合计 {yuan(total)} 元，与债券分配额度 {yuan(amount)} 元不一致（相差 {yuan(abs(amount - total))} 元）",
            )
    errors.raise_if_any("债券信息有误")
    with transaction.atomic():
        bond = Bond.objects.create(
            code=code,
            name=name,
            category=category,
            bond_type=bond_type,
            issue_date=issue_date,
            amount=amount,
            rate=rate,
            term_years=term,
            maturity=maturity,
            use=use,
            projects=projects,
            created_by=access.user,
        )
        Repayment.objects.bulk_create(
            Repayment(bond=bond, due_on=d, principal=p, interest=i) for d, p, i in lines
        )
        _register_duties(bond)
        log_action(
            "govcredit.debt.bond",
            actor=access.user,
            obj=bond,
            summary=f"登记债券 {code} {name}（{yuan(amount)} 元，{rate}%，{term}年）",
            after={"amount": str(amount), "rate": str(rate), "schedule": len(lines)},
        )
    return bond


def _register_duties(bond: Bond) -> None:
    """Each repayment is a kernel duty of 区财政局 (the 履职事项 list and its reminder ladder); the
    T−30 / T−5 calendar-day reminders and the emergency events are this app's own scan."""
    from govcredit.duties.clock import due_date
    from govcredit.duties.services import register_duty

    unit = Organisation.objects.filter(short_name=FINANCE).first()
    for r in Repayment.objects.filter(bond=bond):  # with primary keys on every database
        due = due_date(r.due_on, mode="annual", month=r.due_on.month, day=r.due_on.day)
        register_duty(
            module="debt",
            kind="bond_repayment",
            obj=r,
            due=due,
            title=f"{bond.code} 还本付息 {yuan(r.total)} 元（{r.due_on:%Y-%m-%d}）",
            unit=unit,
        )


def _clean_schedule(raw, errors: Errors, *, issue_date, maturity) -> list[tuple[dt.date, Decimal, Decimal]]:
    if not isinstance(raw, list) or not raw:
        errors.add("schedule", "请填写还本付息计划（至少一期：日期、本金、利息）")
        return []
    lines = []
    seen = set()
    for n, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            errors.add("schedule", f"第{n}期格式有误，应包含 due_on、principal、interest")
            continue
        row_errors = Errors()
        due = _date(row, "due_on", "应付日期", row_errors)
        principal = _money(row, "principal", "本金", row_errors, required=False)
        interest = _money(row, "interest", "利息", row_errors, required=False)
        for messages in row_errors.values():
            for message in messages:
                errors.add("schedule", f"第{n}期：{message}")
        if row_errors:
            continue
        if due in seen:
            errors.add("schedule", f"第{n}期：应付日期 {due} 重复")
            continue
        seen.add(due)
        if issue_date and due <= issue_date:
            errors.add("schedule", f"第{n}期：应付日期 {due} 应晚于发行日期 {issue_date}")
        if maturity and due > maturity:
            errors.add("schedule", f"第{n}期：应付日期 {due} 晚于到期日 {maturity}")
        lines.append((due, principal, interest))
    return sorted(lines)


def record_payment(repayment: Repayment, *, paid_on, amount, access: Access) -> Repayment:
    _require(access)
    errors = Errors()
    day = _date({"paid_on": paid_on}, "paid_on", "实付日期", errors)
    value = _money({"amount": amount}, "amount", "实付金额", errors, positive=True)
    if day and day > timezone.localdate():
        errors.add("paid_on", "实付日期不能晚于今天")
    errors.raise_if_any("还本付息登记有误")
    with transaction.atomic():
        if (
            Repayment.objects.filter(pk=repayment.pk, paid_on__isnull=True).update(
                paid_on=day, paid_amount=value
            )
            != 1
        ):
            raise Conflict("该期还本付息已登记支付")
        repayment.refresh_from_db()
        kernel.fulfil_duty(repayment, on=day, kind="bond_repayment")
        log_action(
            "govcredit.debt.payment",
            actor=access.user,
            obj=repayment,
            summary=f"{repayment.bond.code} {repayment.due_on} 期已支付 {yuan(value)} 元（{day}）",
        )
    return repayment


# -- snapshots, four-eyes review and publication -----------------------------------------------------------

SNAPSHOT_MONEY = (
    ("general_balance", "一般债务余额"),
    ("special_balance", "专项债务余额"),
    ("capacity_general", "一般公共预算财力"),
    ("capacity_fund", "政府性基金预算财力"),
    ("capacity_state_capital", "国有资本经营预算财力"),
    ("debt_service", "当年还本付息额"),
    ("overdue", "逾期债务"),
    ("plan_borrowing", "计划举借"),
    ("plan_principal", "计划还本"),
    ("plan_interest", "计划付息"),
)
OPTIONAL = {"capacity_state_capital", "overdue", "plan_borrowing", "plan_principal", "plan_interest"}


def create_snapshot(data: dict, *, access: Access) -> DebtSnapshot:
    _require(access)
    errors = Errors()
    year = _year(data.get("year"), errors)
    as_of = _date(data, "as_of", "截至日期", errors)
    values = {}
    for key, label in SNAPSHOT_MONEY:
        values[key] = _money(data, key, label, errors, required=key not in OPTIONAL)
    if year:
        limits = limits_of(year)
        for key, category in (("general_balance", Category.GENERAL), ("special_balance", Category.SPECIAL)):
            if values.get(key) and category not in limits:
                errors.add(key, f"{year}年尚未登记{Category(category).label}限额，请先登记限额再录入余额")
    if values.get("capacity_general") is not None and values.get("capacity_fund") is not None:
        if (
            values["capacity_general"] + values["capacity_fund"] + (values.get("capacity_state_capital") or 0)
        ) == 0:
            errors.add("capacity_general", "综合财力不能为 0（债务率、偿债率以综合财力为分母）")
    if (
        values.get("overdue")
        and values.get("general_balance") is not None
        and values.get("special_balance") is not None
    ):
        if values["overdue"] > values["general_balance"] + values["special_balance"]:
            errors.add("overdue", "逾期债务不能超过债务余额")
    source = (data.get("source_document") or "").strip()[:200]
    errors.raise_if_any("债务数据有误")
    with transaction.atomic():
        snapshot = DebtSnapshot.objects.create(
            year=year, as_of=as_of, source_document=source, prepared_by=access.user, **values
        )
        log_action(
            "govcredit.debt.snapshot",
            actor=access.user,
            obj=snapshot,
            summary=f"录入{year}年债务数据（截至 {as_of}）",
            after={k: str(v) for k, v in values.items()},
        )
    return snapshot


def submit_snapshot(snapshot: DebtSnapshot, *, access: Access) -> DebtSnapshot:
    _require(access)
    with transaction.atomic():
        changed = DebtSnapshot.objects.filter(
            pk=snapshot.pk, status__in=(SnapshotStatus.DRAFT, SnapshotStatus.RETURNED)
        ).update(status=SnapshotStatus.SUBMITTED)
        if changed != 1:
            raise Conflict(f"只有草稿或已退回的数据可以提交复核，当前为「{snapshot.get_status_display()}」")
        snapshot.refresh_from_db()
        log_action(
            "govcredit.debt.snapshot_submitted",
            actor=access.user,
            obj=snapshot,
            summary=f"提交复核：{snapshot}",
        )
    return snapshot


def _four_eyes(snapshot: DebtSnapshot, access: Access) -> None:
    _require(access)
    if snapshot.prepared_by_id == access.user.pk:
        raise PermissionDenied("不能复核自己录入的债务数据（须由另一人复核）")


def return_snapshot(snapshot: DebtSnapshot, *, reason: str, access: Access) -> DebtSnapshot:
    _four_eyes(snapshot, access)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请说明退回原因", field_errors={"reason": ["请说明退回原因"]})
    with transaction.atomic():
        if (
            DebtSnapshot.objects.filter(pk=snapshot.pk, status=SnapshotStatus.SUBMITTED).update(
                status=SnapshotStatus.RETURNED, reviewed_by=access.user, review_note=reason[:300]
            )
            != 1
        ):
            raise Conflict("只有待复核的数据可以退回")
        snapshot.refresh_from_db()
        log_action(
            "govcredit.debt.snapshot_returned",
            actor=access.user,
            obj=snapshot,
            summary=f"退回 {snapshot}：{reason}",
        )
    return snapshot


@dataclass
class Indicator:
    code: str
    name: str
    formula: str
    inputs: dict[str, str]
    value: Decimal | None
    band: RiskBand | None
    note: str = ""

    def as_dict(self) -> dict:
        band = self.band
        return {
            "code": self.code,
            "name": self.name,
            "formula": self.formula,
            "inputs": self.inputs,
            "value": None if self.value is None else str(self.value),
            "unit": "%",
            "note": self.note,
            "band": None
            if band is None
            else {
                "level": band.level,
                "label": band.label,
                "colour": band.colour,
                "lower": str(band.lower),
                "upper": None if band.upper is None else str(band.upper),
                "legal_status": band.legal_status,
                "source": band.source,
            },
        }


def _pct(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator * 100 / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


def band_for(indicator: str, value: Decimal | None) -> RiskBand | None:
    if value is None:
        return None
    return (
        RiskBand.objects.filter(indicator=indicator, active=True, lower__lte=value)
        .filter(Q(upper__isnull=True) | Q(upper__gt=value))
        .order_by("-lower")
        .first()
    )


def indicators(snapshot: DebtSnapshot) -> list[Indicator]:
    """债务率, 偿债率, 逾期债务率 and 余额÷限额, each with its formula and inputs (in 元)."""
    limits = limits_of(snapshot.year)
    limit = sum(limits.values(), Decimal("0.00"))
    balance, capacity = snapshot.balance, snapshot.capacity
    capacity_inputs = {
        "一般公共预算财力": yuan(snapshot.capacity_general),
        "政府性基金预算财力": yuan(snapshot.capacity_fund),
        "国有资本经营预算财力": yuan(snapshot.capacity_state_capital),
        "综合财力": yuan(capacity),
    }
    out = [
        Indicator(
            "debt_ratio",
            "债务率",
            "债务率 = 债务余额 ÷ 综合财力 × 100%",
            {"债务余额": yuan(balance), **capacity_inputs},
            _pct(balance, capacity),
            None,
        ),
        Indicator(
            "service_ratio",
            "偿债率",
            "偿债率 = 当年还本付息额 ÷ 综合财力 × 100%",
            {"当年还本付息额": yuan(snapshot.debt_service), **capacity_inputs},
            _pct(snapshot.debt_service, capacity),
            None,
        ),
        Indicator(
            "overdue_ratio",
            "逾期债务率",
            "逾期债务率 = 逾期债务 ÷ 债务余额 × 100%",
            {"逾期债务": yuan(snapshot.overdue), "债务余额": yuan(balance)},
            _pct(snapshot.overdue, balance),
            None,
        ),
        Indicator(
            "limit_ratio",
            "余额÷限额",
            "余额÷限额 = 债务余额 ÷ 债务限额 × 100%",
            {
                "一般债务余额": yuan(snapshot.general_balance),
                "专项债务余额": yuan(snapshot.special_balance),
                "一般债务限额": yuan(limits.get(Category.GENERAL)),
                "专项债务限额": yuan(limits.get(Category.SPECIAL)),
                "债务限额": yuan(limit),
            },
            _pct(balance, limit),
            None,
        ),
    ]
    for ind in out:
        ind.band = band_for(ind.code, ind.value)
        if ind.value is None:
            ind.note = "分母为 0，无法计算"
        elif ind.band is None:
            ind.note = "未设置预警区间（未见官方阈值）"
    return out


def _over_limit(snapshot: DebtSnapshot) -> list[str]:
    """余额 > 限额 by category (预算法实施条例第四十三条 ✅: 余额不得突破限额)."""
    limits = limits_of(snapshot.year)
    out = []
    for cat, balance in (
        (Category.GENERAL, snapshot.general_balance),
        (Category.SPECIAL, snapshot.special_balance),
    ):
        limit = limits.get(cat)
        if limit is not None and balance > limit:
            out.append(f"{Category(cat).label}余额 {yuan(balance)} 元超过限额 {yuan(limit)} 元")
    return out


def _warnings(snapshot: DebtSnapshot, computed: list[Indicator]) -> list[DebtWarning]:
    made = []
    over = _over_limit(snapshot)
    for ind in computed:
        band = ind.band
        critical = ind.code == "limit_ratio" and over
        if not critical and (band is None or band.level == "green"):
            continue
        if critical:
            level = "critical"
            message = "；".join(over) + "（余额不得超过限额）"
            legal, source = (
                (band.legal_status, band.source)
                if band
                else ("statutory", "《中华人民共和国预算法实施条例》第四十三条")
            )
        else:
            level, legal, source = band.level, band.legal_status, band.source
            message = f"{ind.name} {ind.value}%，处于「{band.label}」区间"
        warning, _ = DebtWarning.objects.get_or_create(
            snapshot=snapshot,
            indicator=ind.code,
            defaults={
                "level": level,
                "value": ind.value or 0,
                "message": message[:300],
                "legal_status": legal,
                "source": source[:300],
            },
        )
        log_action("govcredit.debt.warning", obj=warning, summary=f"{snapshot.year}年 {message}"[:500])
        made.append(warning)
    return made


def _district() -> Subject:
    subject = Subject.objects.filter(kind=SubjectKind.GOVERNMENT, parent__isnull=True).order_by("pk").first()
    if subject is None:
        raise Conflict("未找到区人民政府主体（请先运行 govcredit setup 载入参考数据）")
    return subject


def approve_snapshot(snapshot: DebtSnapshot, *, access: Access, note: str = "") -> DebtDisclosure:
    """Four-eyes: a second person approves, which publishes the year's tables (a new version when
    the year was published before: a ``correct`` entry), computes warnings and integrity events."""
    _four_eyes(snapshot, access)
    today = timezone.localdate()
    with transaction.atomic():
        if (
            DebtSnapshot.objects.filter(pk=snapshot.pk, status=SnapshotStatus.SUBMITTED).update(
                status=SnapshotStatus.PUBLISHED,
                reviewed_by=access.user,
                review_note=(note or "")[:300],
                published_at=timezone.now(),
            )
            != 1
        ):
            raise Conflict("只有待复核的数据可以复核通过并公开")
        snapshot.refresh_from_db()
        computed = indicators(snapshot)
        warnings = _warnings(snapshot, computed)
        previous = DebtDisclosure.objects.select_for_update().filter(year=snapshot.year, current=True).first()
        version = 1
        if previous is not None:
            version = previous.version + 1
            previous.current = False
            previous.save(update_fields=["current"])
            DebtSnapshot.objects.filter(pk=previous.snapshot_id).update(status=SnapshotStatus.SUPERSEDED)
        payload = build_payload(snapshot, computed, version=version, warnings=warnings)
        disclosure = DebtDisclosure.objects.create(
            year=snapshot.year,
            version=version,
            snapshot=snapshot,
            payload=payload,
            digest=sm3_hex(canonical_json(payload)),
            published_at=snapshot.published_at,
        )
        kernel.disclose(
            "publish" if version == 1 else "correct",
            object_type="debt.debtdisclosure",
            object_id=snapshot.year,
            version=version,
        )
        public_version.bump()
        _integrity_events(snapshot, computed, today=today)
        log_action(
            "govcredit.debt.published",
            actor=access.user,
            obj=disclosure,
            summary=f"公开{snapshot.year}年政府债务信息（第{version}版）",
            after={"digest": disclosure.digest, "warnings": [w.level for w in warnings]},
        )
    return disclosure


def _integrity_events(snapshot: DebtSnapshot, computed: list[Indicator], *, today: dt.date) -> None:
    district = _district()
    days = (today - snapshot.as_of).days
    kernel.record_event(
        subject=district,
        dimension="政务公开",
        indicator="debt_disclosure_days",
        polarity="+" if days <= 20 else "-",  # 预算法第十四条: within 20 days (proxy: from the as-of date)
        value=Decimal(days),
        occurred_on=today,
        module="debt",
        obj=snapshot,
    )
    by_code = {i.code: i for i in computed}
    ratio = by_code["debt_ratio"]
    if ratio.value is not None:
        kernel.record_event(
            subject=district,
            dimension="守信践诺",
            indicator="debt_ratio_band",
            polarity="-" if ratio.band is not None and ratio.band.level not in ("green",) else "fact",
            value=ratio.value,
            occurred_on=snapshot.as_of,
            module="debt",
            obj=snapshot,
        )
    overdue = by_code["overdue_ratio"]
    if overdue.value is not None:
        kernel.record_event(
            subject=district,
            dimension="守信践诺",
            indicator="debt_overdue_ratio",
            polarity="-" if overdue.value > 0 else "fact",
            value=overdue.value,
            occurred_on=snapshot.as_of,
            module="debt",
            obj=snapshot,
        )


def bonds_of_year(year: int) -> QuerySet[Bond]:
    """Bonds outstanding in the year: issued by its end, maturing on or after its start."""
    return (
        Bond.objects.filter(issue_date__lte=dt.date(year, 12, 31), maturity__gte=dt.date(year, 1, 1))
        .prefetch_related("schedule")
        .order_by("issue_date", "code")
    )


def _bond_dict(bond: Bond, year: int) -> dict:
    return {
        "code": bond.code,
        "name": bond.name,
        "category": bond.category,
        "category_label": bond.get_category_display(),
        "type": bond.bond_type,
        "type_label": bond.get_bond_type_display(),
        "issue_date": bond.issue_date.isoformat(),
        "issued_in_year": bond.issue_date.year == year,
        "amount": str(bond.amount),
        "rate": str(bond.rate),
        "term_years": bond.term_years,
        "maturity": bond.maturity.isoformat(),
        "schedule": [
            {"due_on": r.due_on.isoformat(), "principal": str(r.principal), "interest": str(r.interest)}
            for r in bond.schedule.all()
        ],
        "use": bond.use,
        "projects": bond.projects,
    }


def build_payload(snapshot: DebtSnapshot, computed: list[Indicator], *, version: int, warnings=()) -> dict:
    year = snapshot.year
    limits = limits_of(year)
    bonds = [_bond_dict(b, year) for b in bonds_of_year(year)]
    return {
        "year": year,
        "version": version,
        "as_of": snapshot.as_of.isoformat(),
        "published_at": snapshot.published_at.isoformat() if snapshot.published_at else None,
        "source_document": snapshot.source_document,
        "limits": {
            "general": str(limits.get(Category.GENERAL, Decimal("0.00"))),
            "special": str(limits.get(Category.SPECIAL, Decimal("0.00"))),
            "total": str(sum(limits.values(), Decimal("0.00"))),
        },
        "balances": {
            "general": str(snapshot.general_balance),
            "special": str(snapshot.special_balance),
            "total": str(snapshot.balance),
        },
        "capacity": {
            "general_budget": str(snapshot.capacity_general),
            "fund_budget": str(snapshot.capacity_fund),
            "state_capital_budget": str(snapshot.capacity_state_capital),
            "total": str(snapshot.capacity),
        },
        "debt_service": str(snapshot.debt_service),
        "overdue": str(snapshot.overdue),
        "plan": {
            "borrowing": str(snapshot.plan_borrowing),
            "principal": str(snapshot.plan_principal),
            "interest": str(snapshot.plan_interest),
        },
        "indicators": [i.as_dict() for i in computed],
        "warnings": [
            {"indicator": w.indicator, "level": w.level, "message": w.message, "legal_status": w.legal_status}
            for w in warnings
        ],
        "bonds": bonds,
    }


def current_disclosure(year: int) -> DebtDisclosure | None:
    return DebtDisclosure.objects.filter(year=year, current=True).first()


def public_trend(limit_years: int = 10) -> dict:
    """The published years side by side for the portal's chart: limit, balance (万元) and each
    indicator's value (%), from each year's current disclosure — one query, oldest year first."""
    disclosures = list(DebtDisclosure.objects.filter(current=True).order_by("-year")[:limit_years])[::-1]
    trend: dict = {
        "labels": [f"{d.year}年" for d in disclosures],
        "limit": [],
        "balance": [],
        "indicators": {},
    }
    for d in disclosures:
        p = d.payload
        trend["limit"].append(float(Decimal(p["limits"]["total"]) / 10_000))
        trend["balance"].append(float(Decimal(p["balances"]["total"]) / 10_000))
    for i, d in enumerate(disclosures):
        for ind in d.payload.get("indicators", []):
            series = trend["indicators"].setdefault(ind["name"], [None] * len(disclosures))
            series[i] = None if ind["value"] is None else float(ind["value"])
    return trend


def published_years() -> list[int]:
    return list(DebtDisclosure.objects.filter(current=True).order_by("-year").values_list("year", flat=True))


# -- the three official tables (债务限额余额情况表, 债券发行情况表, 债务收支计划表) ----------------------------

TABLES = {
    "limits": "债务限额余额情况表",
    "bonds": "债券发行情况表",
    "plan": "债务收支计划表",
}


def table_rows(payload: dict, table: str) -> tuple[list[str], list[list]]:
    if table == "limits":
        headers = ["项目", "限额（元）", "余额（元）"]
        rows = [
            ["一般债务", payload["limits"]["general"], payload["balances"]["general"]],
            ["专项债务", payload["limits"]["special"], payload["balances"]["special"]],
            ["合计", payload["limits"]["total"], payload["balances"]["total"]],
        ]
    elif table == "bonds":
        headers = [
            "债券编码",
            "债券名称",
            "类别",
            "发行类型",
            "发行日期",
            "金额（元）",
            "票面利率（%）",
            "期限（年）",
            "到期日",
            "还本付息计划",
            "资金用途",
            "使用项目",
        ]
        rows = [
            [
                b["code"],
                b["name"],
                b["category_label"],
                b["type_label"],
                b["issue_date"],
                b["amount"],
                b["rate"],
                b["term_years"],
                b["maturity"],
                "；".join(f"{s['due_on']} 本金{s['principal']} 利息{s['interest']}" for s in b["schedule"]),
                b["use"],
                b["projects"],
            ]
            for b in payload["bonds"]
        ]
    elif table == "plan":
        headers = ["项目", "金额（元）"]
        rows = [
            ["计划举借债务", payload["plan"]["borrowing"]],
            ["计划偿还本金", payload["plan"]["principal"]],
            ["计划支付利息", payload["plan"]["interest"]],
            ["当年还本付息额", payload["debt_service"]],
        ]
    else:
        raise ValidationFailed("表格不存在", field_errors={"table": ["表格应为 limits、bonds 或 plan"]})
    return headers, rows


# -- repayments: reminders and emergencies ----------------------------------------------------------------

REMINDER_DAYS = (("T-30", 30), ("T-5", 5))


def _finance_users() -> list:
    from govcredit.accounts.models import User

    return list(User.objects.filter(memberships__organisation__short_name=FINANCE, is_active=True).distinct())


def send_reminders(as_of: dt.date) -> int:
    """T−30 and T−5 calendar days before each unpaid repayment: once per (repayment, stage)."""
    from govcredit.sanctions.models import Notice

    sent = 0
    users = None
    horizon = as_of + dt.timedelta(days=30)
    due = Repayment.objects.filter(
        paid_on__isnull=True, due_on__gte=as_of, due_on__lte=horizon
    ).select_related("bond")
    for repayment in due:
        days_left = (repayment.due_on - as_of).days
        for stage, days in REMINDER_DAYS:
            if days_left > days or (stage == "T-30" and days_left <= 5):
                continue
            with transaction.atomic():
                _, created = ReminderSent.objects.get_or_create(
                    repayment=repayment, stage=stage, defaults={"sent_on": as_of}
                )
                if not created:
                    continue
                users = _finance_users() if users is None else users
                title = f"债券还本付息提醒（{stage}）：{repayment.bond.code} 于 {repayment.due_on} 应付 {yuan(repayment.total)} 元"
                Notice.objects.bulk_create(
                    Notice(
                        user=u,
                        title=title[:200],
                        body=f"{repayment.bond.name}：本金 {yuan(repayment.principal)} 元，利息 {yuan(repayment.interest)} 元。",
                        link="/office/debt/",
                    )
                    for u in users
                )
                ReminderSent.objects.filter(repayment=repayment, stage=stage).update(recipients=len(users))
                log_action("govcredit.debt.reminder", obj=repayment, summary=title[:500])
                sent += 1
    return sent


def open_emergencies(as_of: dt.date) -> int:
    """A repayment unpaid after its due date opens an emergency event (once), with an integrity event."""
    made = 0
    missed = Repayment.objects.filter(
        paid_on__isnull=True, due_on__lt=as_of, emergency__isnull=True
    ).select_related("bond")
    for repayment in missed:
        with transaction.atomic():
            event, created = EmergencyEvent.objects.get_or_create(
                repayment=repayment,
                defaults={
                    "trigger": f"{repayment.bond.code} {repayment.bond.name} {repayment.due_on} 期应付 {yuan(repayment.total)} 元未按期支付"[
                        :300
                    ],
                    "opened_on": as_of,
                    "level": EmergencyLevel.IV,
                },
            )
            if not created:
                continue
            kernel.record_event(
                subject=_district(),
                dimension="守信践诺",
                indicator="debt_repayment_missed",
                polarity="-",
                value=repayment.total,
                occurred_on=repayment.due_on,
                module="debt",
                obj=repayment,
            )
            log_action("govcredit.debt.emergency", obj=event, summary=f"启动债务应急处置：{event.trigger}")
            made += 1
    return made


def update_emergency(event: EmergencyEvent, data: dict, *, access: Access) -> EmergencyEvent:
    _require(access)
    if event.closed_on:
        raise Conflict("该应急处置事件已结束")
    errors = Errors()
    level = data.get("level") or event.level
    if level not in EmergencyLevel.values:
        errors.add("level", "事件等级应为 I、II、III 或 IV")
    actions = (data.get("actions") or "").strip()
    close = bool(data.get("close"))
    note = (data.get("closure_note") or "").strip()
    if close and not note:
        errors.add("closure_note", "结束处置时须填写结束说明")
    if close and not event.repayment.paid_on:
        errors.add("close", "该期还本付息尚未支付，不能结束应急处置")
    errors.raise_if_any("应急处置信息有误")
    with transaction.atomic():
        before = {"level": event.level, "actions": event.actions}
        event.level = level
        if actions:
            event.actions = (
                event.actions + "\n" if event.actions else ""
            ) + f"{timezone.localdate()}：{actions}"
        if close:
            event.closed_on, event.closure_note = timezone.localdate(), note
        event.save()
        log_action(
            "govcredit.debt.emergency",
            actor=access.user,
            obj=event,
            summary=f"应急处置 {event.trigger}：{'结束' if close else '更新'}"[:500],
            before=before,
            after={"level": level},
        )
    return event


def acknowledge_warning(warning: DebtWarning, *, response_plan: str, access: Access) -> DebtWarning:
    _require(access)
    plan = (response_plan or "").strip()
    if not plan:
        raise ValidationFailed("请填写应对方案", field_errors={"response_plan": ["确认预警须填写应对方案"]})
    with transaction.atomic():
        if (
            DebtWarning.objects.filter(pk=warning.pk, acknowledged_at__isnull=True).update(
                response_plan=plan[:5000], acknowledged_by=access.user, acknowledged_at=timezone.now()
            )
            != 1
        ):
            raise Conflict("该预警已确认")
        warning.refresh_from_db()
        log_action(
            "govcredit.debt.warning_ack",
            actor=access.user,
            obj=warning,
            summary=f"确认预警：{warning.message}"[:500],
        )
    return warning


# -- unlawful borrowing / guarantees ---------------------------------------------------------------------------


def record_borrowing_case(data: dict, *, access: Access):
    """预算法第三十五条（不得违法举债、担保）: a finding proposing ``illegal_borrowing`` on the unit
    (submitted into the normal review); its publication applies the rule whose 追究主要负责人责任
    measure opens the accountability referral (sanctions' existing referral service)."""
    _require(access)
    errors = Errors()
    unit = data.get("unit")
    if not isinstance(unit, Subject) or unit.kind not in (SubjectKind.GOVERNMENT, SubjectKind.DEPARTMENT):
        errors.add("unit", "请选择举债或担保的政府或部门单位")
    kind = data.get("kind")
    if kind not in ViolationKind.values:
        errors.add("kind", "情形应为 borrowing（违法违规举债）或 guarantee（违法违规担保）")
    amount = _money(data, "amount", "涉及金额", errors, positive=True)
    facts = (data.get("facts") or "").strip()
    if not facts:
        errors.add("facts", "请填写事实")
    elif len(facts) > 2000:
        errors.add("facts", "事实不能超过2000个字符")
    document_no = (data.get("document_no") or "").strip()
    if not document_no:
        errors.add("document_no", "请填写认定文书号")
    elif BorrowingCase.objects.filter(document_no=document_no).exists():
        errors.add("document_no", f"文书号「{document_no}」已登记")
    decided_on = _date(data, "decided_on", "认定日期", errors)
    if decided_on and decided_on > timezone.localdate():
        errors.add("decided_on", "认定日期不能晚于今天")
    decided_by = (data.get("decided_by") or "").strip()
    if not decided_by:
        errors.add("decided_by", "请填写认定机关")
    errors.raise_if_any("违法违规举债担保信息有误")
    source_unit = Organisation.objects.get(short_name=FINANCE)
    with transaction.atomic():
        case = BorrowingCase.objects.create(
            unit=unit,
            kind=kind,
            amount=amount,
            facts=facts,
            document_no=document_no,
            decided_on=decided_on,
            decided_by=decided_by,
            created_by=access.user,
        )
        label = ViolationKind(kind).label
        finding = kernel.open_finding(
            module="debt",
            rule=f"illegal_{kind}",
            obj=case,
            subject=unit,
            source_unit=source_unit,
            item="illegal_borrowing",
            severity="serious",
            facts=f"{unit.name}{label}，涉及金额 {yuan(amount)} 元。{facts}"[:2000],
            legal_basis="《中华人民共和国预算法》第三十五条、第九十四条；周政发〔2018〕26号（十六）",
            evidence={
                "case": case.pk,
                "amount": str(amount),
                "document_no": document_no,
                "decided_on": decided_on.isoformat(),
                "decided_by": decided_by,
            },
            prefix="DEBT",
            decided_by=decided_by,
            actor=access.user,
        )
        log_action(
            "govcredit.debt.case",
            actor=access.user,
            obj=case,
            summary=f"{unit.name}{label} {document_no} → 失信线索 {finding.document_no}",
        )
    return case, finding


def debt_totals() -> dict:
    unpaid = Repayment.objects.filter(paid_on__isnull=True).aggregate(p=Sum("principal"), i=Sum("interest"))
    return {"unpaid_principal": unpaid["p"] or Decimal("0"), "unpaid_interest": unpaid["i"] or Decimal("0")}
