"""The indicator engine's scoring methods: a registry of providers, found one way.

A method turns the frozen inputs of one (unit, leaf indicator) into points. It has two halves:

- ``select(params, data) -> (inputs, explanation_ids)`` picks what it needs from the unit's grouped
  data (``UnitData``: counts and ids per record group and per event group, already aggregated in SQL
  with GROUP BY by ``engine.gather``) — or, for a provider with ``gather``, from its own aggregate;
- ``score(points, params, inputs) -> (points, raw_value, text)`` is pure: the same inputs give the
  same points, which is what ``govcredit evaluation recompute`` relies on.

A module added later only adds indicators: an app may contribute methods in ``<app>/evaluation_methods.py``
defining ``methods() -> list[Method]`` (discovered with ``core.hooks.app_modules``). A contributed method
with ``source="custom"`` gets ``gather(unit_ids, period_start, as_of) -> {unit_id: (inputs, ids)}``
and must aggregate in SQL (GROUP BY), never loop over rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from govcredit.core.hooks import app_modules

CENT = Decimal("0.01")
SEVERITY_LABELS = {"general": "一般", "major": "较重", "serious": "严重"}


def q(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


@dataclass
class UnitData:
    """One unit's inputs, grouped: ``records[(item, severity, negative, public)] = [ids]``;
    ``events[(indicator, dimension, polarity)] = ([ids], value_sum)``."""

    records: dict[tuple[str, str, bool, bool], list[int]] = field(default_factory=dict)
    events: dict[tuple[str, str, str], tuple[list[int], Decimal]] = field(default_factory=dict)


Ids = dict[str, list[int]]
Selector = Callable[[dict, UnitData], tuple[dict, Ids]]
Scorer = Callable[[Decimal, dict, dict], tuple[Decimal, Decimal | None, str]]


@dataclass(frozen=True)
class Method:
    code: str
    label: str
    source: str  # "records" | "events" | "mixed" | "manual" | "custom"
    select: Selector | None
    score: Scorer
    description: str = ""
    veto: bool = False
    gather: Callable[[list[int], dt.date, dt.date], dict[int, tuple[dict, Ids]]] | None = None


# -- selection helpers --------------------------------------------------------------------------
def _records(params: dict, data: UnitData) -> tuple[dict[str, int], list[int], list[int]]:
    """Counts by severity, all ids, public ids of the records the params name (negative items
    unless ``positive``; ``items`` restricts to catalog codes; ``severities`` to severities)."""
    items = set(params.get("items") or [])
    severities = set(params.get("severities") or [])
    want_negative = not params.get("positive", False)
    counts: dict[str, int] = {}
    ids: list[int] = []
    public: list[int] = []
    for (item, severity, negative, is_public), group in data.records.items():
        if negative != want_negative or (items and item not in items):
            continue
        if severities and severity not in severities:
            continue
        counts[severity] = counts.get(severity, 0) + len(group)
        ids.extend(group)
        if is_public:
            public.extend(group)
    return counts, sorted(ids), sorted(public)


def _events(params: dict, data: UnitData) -> tuple[dict[str, int], list[int]]:
    """Counts by polarity and ids of the events the params name (``indicators`` codes and/or
    ``dimension``)."""
    indicators = set(params.get("indicators") or [])
    dimension = params.get("dimension") or ""
    counts: dict[str, int] = {}
    ids: list[int] = []
    for (indicator, dim, polarity), (group, _total) in data.events.items():
        if indicators and indicator not in indicators:
            continue
        if dimension and dim != dimension:
            continue
        if not indicators and not dimension:
            continue
        counts[polarity] = counts.get(polarity, 0) + len(group)
        ids.extend(group)
    return counts, sorted(ids)


def _record_ids(ids: list[int], public: list[int]) -> Ids:
    return {"records": ids, "public_records": public}


# -- built-in methods ---------------------------------------------------------------------------
def _select_record_deduction(params, data):
    counts, ids, public = _records(params, data)
    return {"by_severity": counts}, _record_ids(ids, public)


def _score_record_deduction(points, params, inputs):
    weights = params.get("severity_points") or {"general": 2, "major": 5, "serious": 10}
    cap = Decimal(str(params.get("cap", points)))
    counts = inputs.get("by_severity", {})
    deduction = sum((Decimal(str(weights.get(s, 0))) * n for s, n in counts.items()), Decimal(0))
    taken = min(cap, deduction, points)
    parts = [f"{SEVERITY_LABELS.get(s, s)}{n}条×{weights.get(s, 0)}分" for s, n in sorted(counts.items())]
    if not parts:
        return q(points), Decimal(0), "评价期内无相关政务失信记录，不扣分"
    text = f"政务失信记录：{'，'.join(parts)}，合计扣{q(deduction)}分"
    if deduction > taken:
        text += f"（本项最多扣{q(min(cap, points))}分）"
    return q(points - taken), q(deduction), text


def _select_event_counts(params, data):
    counts, ids = _events(params, data)
    return {"by_polarity": counts}, {"events": ids}


def _score_event_deduction(points, params, inputs):
    per = Decimal(str(params.get("per_event", 1)))
    cap = Decimal(str(params.get("cap", points)))
    n = inputs.get("by_polarity", {}).get("-", 0)
    deduction = per * n
    taken = min(cap, deduction, points)
    if not n:
        return q(points), Decimal(0), "评价期内无相关负面事件，不扣分"
    text = f"负面事件{n}件×{q(per)}分，合计扣{q(deduction)}分"
    if deduction > taken:
        text += f"（本项最多扣{q(min(cap, points))}分）"
    return q(points - taken), q(deduction), text


def _score_event_bonus(points, params, inputs):
    per = Decimal(str(params.get("per_event", 1)))
    cap = min(Decimal(str(params.get("cap", points))), points)
    n = inputs.get("by_polarity", {}).get("+", 0)
    got = min(cap, per * n)
    if not n:
        return q(0), Decimal(0), "评价期内无相关正面事件，不加分"
    return q(got), Decimal(n), f"正面事件{n}件×{q(per)}分，得{q(got)}分（本项最多{q(cap)}分）"


def _score_event_rate(points, params, inputs):
    counts = inputs.get("by_polarity", {})
    good, bad = counts.get("+", 0), counts.get("-", 0)
    if good + bad == 0:
        full = params.get("empty", "full") == "full"
        return (
            q(points if full else 0),
            None,
            "评价期内无相关事件，按满分计" if full else "评价期内无相关事件，不得分",
        )
    rate = Decimal(good) / Decimal(good + bad)
    got = q(points * rate)
    return (
        got,
        rate.quantize(Decimal("0.0001")),
        (
            f"按时/合规{good}件，逾期/不合规{bad}件，比率{(rate * 100).quantize(Decimal('0.1'))}%，"
            f"得分 = {q(points)} × 比率 = {got}"
        ),
    )


def _select_formula(params, data):
    """``terms``: [{"source": "records"|"events", …filter params…, "polarity": "-", "weight": -2}]."""
    values: list[int] = []
    rec_ids: list[int] = []
    pub_ids: list[int] = []
    ev_ids: list[int] = []
    for term in params.get("terms", []):
        if term.get("source") == "records":
            counts, ids, public = _records(term, data)
            values.append(sum(counts.values()))
            rec_ids.extend(ids)
            pub_ids.extend(public)
        else:
            counts, ids = _events(term, data)
            polarity = term.get("polarity")
            values.append(counts.get(polarity, 0) if polarity else sum(counts.values()))
            ev_ids.extend(ids)
    return {"counts": values}, {
        "records": sorted(set(rec_ids)),
        "public_records": sorted(set(pub_ids)),
        "events": sorted(set(ev_ids)),
    }


def _score_formula(points, params, inputs):
    base = Decimal(str(params.get("base", points)))
    total = base
    parts = [f"基数{q(base)}"]
    for term, n in zip(params.get("terms", []), inputs.get("counts", []), strict=False):
        weight = Decimal(str(term.get("weight", 0)))
        total += weight * n
        parts.append(f"{term.get('label', term.get('source'))}{n}×{weight:+}")
    got = clamp(q(total), Decimal(0), points)
    return got, q(total), "公式：" + " ".join(parts) + f" = {q(total)}，取0至{q(points)}之间，得{got}分"


def _score_manual(points, params, inputs):
    reviewed, claimed = inputs.get("reviewed"), inputs.get("claimed")
    if reviewed is not None:
        got = clamp(q(reviewed), Decimal(0), points)
        return (
            got,
            q(reviewed),
            f"单位自评{claimed if claimed is not None else '—'}分，联席会议审核认定{got}分",
        )
    if claimed is not None:
        got = clamp(q(claimed), Decimal(0), points)
        return got, q(claimed), f"单位自评{got}分（待审核），佐证材料{inputs.get('evidence', 0)}份"
    return q(0), None, "单位尚未自评，暂计0分"


def _select_manual(params, data):
    return {}, {}


def _score_veto(points, params, inputs):
    counts = inputs.get("by_severity", {})
    n = sum(counts.values())
    if n:
        return q(0), Decimal(n), f"存在{n}条一票否决情形的记录，评价等次定为最低等次"
    return q(0), Decimal(0), "无一票否决情形"


BUILTIN: list[Method] = [
    Method(
        "record_deduction",
        "按失信记录扣分（有上限）",
        "records",
        _select_record_deduction,
        _score_record_deduction,
        "评价期内已公示的政务失信记录，按严重程度每条扣分，扣完本项分值为止",
    ),
    Method(
        "event_deduction",
        "按负面事件扣分（有上限）",
        "events",
        _select_event_counts,
        _score_event_deduction,
        "政务诚信事件中的负面事件每件扣分，扣完为止",
    ),
    Method(
        "event_bonus",
        "按正面事件加分（有上限）",
        "events",
        _select_event_counts,
        _score_event_bonus,
        "政务诚信事件中的正面事件每件加分，不超过本项分值",
    ),
    Method(
        "event_rate",
        "比率（正面/全部事件）",
        "events",
        _select_event_counts,
        _score_event_rate,
        "得分 = 分值 × 正面事件数 ÷（正面 + 负面事件数）",
    ),
    Method(
        "formula",
        "公式（记录与事件的线性组合）",
        "mixed",
        _select_formula,
        _score_formula,
        "得分 = 基数 + Σ 权重 × 计数，取 0 至分值之间",
    ),
    Method(
        "manual",
        "单位自评（须附佐证）",
        "manual",
        _select_manual,
        _score_manual,
        "单位自评并上传佐证，联席会议成员单位审核认定",
    ),
    Method(
        "veto",
        "一票否决",
        "records",
        _select_record_deduction,
        _score_veto,
        "存在所列严重失信情形的，评价等次直接定为最低等次",
        veto=True,
    ),
]


def registry() -> dict[str, Method]:
    """Every method: the built-in ones, then those apps contribute (an app may not replace one)."""
    found = {m.code: m for m in BUILTIN}
    for _app, module in app_modules("evaluation_methods"):
        for method in module.methods():
            found.setdefault(method.code, method)
    return found


def method_choices() -> list[tuple[str, str]]:
    return [(m.code, m.label) for m in registry().values()]
