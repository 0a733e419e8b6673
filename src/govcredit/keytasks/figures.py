"""Live figures of the modules that implement a key task (issue 14 point 12): a registry of
providers, one per task number, each computing its figures from the module's own tables, so a
progress report shows — and freezes at submission — what the data says, never a typed number.

keytasks sits above the modules it reads (records, disputes, debt), so it may import them; they
never import keytasks. A provider returns ``Figure`` rows; a task without a provider shows none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db.models import Count, Q
from django.utils import timezone


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    value: int | str
    unit: str = ""
    source: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def display(self) -> str:
        value = f"{self.value:,}" if isinstance(self.value, int) else str(self.value)
        return f"{value}{self.unit}"


Provider = Callable[[dt.date], list[Figure]]
PROVIDERS: dict[int, tuple[str, Provider]] = {}


def provider(number: int, module: str) -> Callable[[Provider], Provider]:
    """Register ``fn`` as the figure provider of task ``number`` (data from ``module``)."""

    def register(fn: Provider) -> Provider:
        PROVIDERS[number] = (module, fn)
        return fn

    return register


def figures_for(number: int, today: dt.date | None = None) -> list[Figure]:
    entry = PROVIDERS.get(number)
    if entry is None:
        return []
    return entry[1](today or timezone.localdate())


def source_of(number: int) -> str:
    entry = PROVIDERS.get(number)
    return entry[0] if entry else ""


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


# -- task 5 建立健全政务失信记录 ← records ------------------------------------------------------------
@provider(5, "信用信息（records）")
def records_published(today: dt.date) -> list[Figure]:
    from govcredit.records.models import LIVE_STATUSES, CreditRecord

    year_start = dt.datetime(today.year, 1, 1, tzinfo=dt.UTC)
    counts = CreditRecord.objects.aggregate(
        live=Count("pk", filter=Q(status__in=LIVE_STATUSES)),
        ever=Count("pk", filter=Q(published_at__isnull=False)),
        this_year=Count("pk", filter=Q(published_at__gte=year_start)),
        units=Count("source_unit", filter=Q(published_at__isnull=False), distinct=True),
    )
    src = "信用记录库，按公示时间统计"
    return [
        Figure("records_live", "公示中的政务失信记录", counts["live"], "条", src),
        Figure("records_published", "累计公示记录", counts["ever"], "条", src),
        Figure("records_this_year", f"{today.year}年新公示", counts["this_year"], "条", src),
        Figure("records_units", "已有公示记录的报送单位", counts["units"], "个", src),
    ]


# -- task 7 健全信用权益保护和信用修复机制 ← disputes ------------------------------------------------
@provider(7, "异议与修复（disputes）")
def disputes_on_time(today: dt.date) -> list[Figure]:
    from govcredit.disputes.models import OPEN_STATUSES, CaseKind, DisputeCase

    rows = DisputeCase.objects.aggregate(
        objections=Count("pk", filter=Q(kind=CaseKind.OBJECTION, decided_at__isnull=False)),
        objections_on_time=Count(
            "pk", filter=Q(kind=CaseKind.OBJECTION, decided_at__isnull=False, decided_in_time=True)
        ),
        repairs=Count("pk", filter=Q(kind=CaseKind.REPAIR, decided_at__isnull=False)),
        repairs_on_time=Count(
            "pk", filter=Q(kind=CaseKind.REPAIR, decided_at__isnull=False, decided_in_time=True)
        ),
        open_late=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
    )
    src = "异议与修复办理记录，按工作日办理时限统计"
    decided = rows["objections"] + rows["repairs"]
    on_time = rows["objections_on_time"] + rows["repairs_on_time"]
    return [
        Figure("objections_decided", "已办结异议", rows["objections"], "件", src),
        Figure("objections_on_time", "其中按期办结", rows["objections_on_time"], "件", src),
        Figure("repairs_decided", "已办结信用修复", rows["repairs"], "件", src),
        Figure("repairs_on_time", "其中按期办结", rows["repairs_on_time"], "件", src),
        Figure("on_time_rate", "按期办结率", _pct(on_time, decided), "", src),
        Figure("open_overdue", "在办已超期", rows["open_late"], "件", src),
    ]


# -- task 13 加强地方政府债务领域政务诚信建设 ← debt --------------------------------------------------
@provider(13, "政府债务（debt）")
def debt_disclosure(today: dt.date) -> list[Figure]:
    from govcredit.debt.models import DebtDisclosure, DebtWarning, EmergencyEvent

    current = list(
        DebtDisclosure.objects.filter(current=True)
        .order_by("-year")
        .values("year", "version", "published_at")
    )
    src = "政府债务信息公开（信用周村·政府债务）"
    latest = current[0] if current else None
    figures = [
        Figure("debt_years_disclosed", "已公开年度", len(current), "个", src),
        Figure(
            "debt_latest_year",
            "最近公开年度",
            f"{latest['year']}年（第{latest['version']}版，"
            f"{timezone.localtime(latest['published_at']):%Y-%m-%d}公开）"
            if latest
            else "尚未公开",
            "",
            src,
        ),
        Figure(
            "debt_warnings_open",
            "待确认的风险预警",
            DebtWarning.objects.filter(acknowledged_at__isnull=True).count(),
            "条",
            "政府债务风险预警",
        ),
        Figure(
            "debt_emergencies_open",
            "进行中的应急处置",
            EmergencyEvent.objects.filter(closed_on__isnull=True).count(),
            "件",
            "逾期未付的还本付息",
        ),
    ]
    return figures
