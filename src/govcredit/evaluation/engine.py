"""The evaluation engine: freeze a set, gather each unit's inputs with two aggregate queries
(records and integrity events, GROUP BY unit and group), score every leaf through its method,
total, grade, rank, and hash the frozen inputs and the results with SM3.

Recompute uses only what was frozen (the set snapshot and each line's ``inputs``/``explanation``),
so it gives identical scores and the same hash whatever happened to the live data since."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from govcredit.catalog.models import CatalogItem, Disclosure
from govcredit.core.crypto import sm3_hex
from govcredit.duties.models import IntegrityEvent
from govcredit.records.models import CreditRecord, Status
from govcredit.subjects.models import Subject, SubjectKind

from .methods import Method, UnitData, q, registry
from .models import Applies, Group, IndicatorSet

LOCAL = ZoneInfo("Asia/Shanghai")
#: statuses of records that were published at some time (revoked ones were wrong: never counted)
COUNTED = (Status.PUBLISHED, Status.UNDER_OBJECTION, Status.EXPIRED, Status.REPAIRED)


# -- the set, frozen ------------------------------------------------------------------------------
def snapshot_set(indicator_set: IndicatorSet) -> dict[str, Any]:
    nodes = list(indicator_set.indicators.order_by("level", "position", "pk"))
    by_pk = {n.pk: n for n in nodes}
    return {
        "code": indicator_set.code,
        "version": indicator_set.version,
        "name": indicator_set.name,
        "total": str(indicator_set.total),
        "bands": indicator_set.bands,
        "indicators": [
            {
                "code": n.code,
                "name": n.name,
                "level": n.level,
                "parent": by_pk[n.parent_id].code if n.parent_id else None,
                "points": str(n.points),
                "method": n.method,
                "params": n.params,
                "applies_to": n.applies_to,
                "description": n.description,
                "basis": n.basis,
                "leaf": not any(c.parent_id == n.pk for c in nodes),
            }
            for n in _depth_first(nodes)
        ],
    }


def _depth_first(nodes: list) -> list:
    """The tree in reading order: 1, 1.1, 1.2, 2, 2.1 … (siblings by position)."""
    children: dict = {}
    for n in sorted(nodes, key=lambda n: (n.position, n.pk)):
        children.setdefault(n.parent_id, []).append(n)
    out: list = []

    def walk(parent_id) -> None:
        for n in children.get(parent_id, []):
            out.append(n)
            walk(n.pk)

    walk(None)
    return out


def leaves(snapshot: dict, group: str) -> list[dict]:
    return [i for i in snapshot["indicators"] if i["leaf"] and i["applies_to"] in (Applies.ALL, group)]


# -- the units ------------------------------------------------------------------------------------
def units_qs():
    """Towns/sub-districts and the zone (governments under the district) and departments."""
    return Subject.objects.filter(kind=SubjectKind.GOVERNMENT, parent__isnull=False) | Subject.objects.filter(
        kind=SubjectKind.DEPARTMENT
    )


def group_of(kind: str) -> str:
    return Group.TOWN if kind == SubjectKind.GOVERNMENT else Group.DEPARTMENT


# -- gathering (two aggregate queries) ----------------------------------------------------------
def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)


def _ids(value) -> list[int]:
    if value is None:
        return []
    if isinstance(value, str):
        return sorted(int(v) for v in value.split(",") if v)
    return sorted(value)


def gather(unit_ids: list[int], start: dt.date, as_of: dt.date) -> dict[int, UnitData]:
    data: dict[int, UnitData] = defaultdict(UnitData)
    if not unit_ids:
        return data
    pg = connection.vendor == "postgresql"
    agg = "array_agg({0} ORDER BY {0})" if pg else "group_concat({0})"
    units_sql = "= ANY(%s)" if pg else f"IN ({','.join('%s' for _ in unit_ids)})"
    units_params: list[Any] = [list(unit_ids)] if pg else list(unit_ids)
    rec, item = CreditRecord._meta.db_table, CatalogItem._meta.db_table
    counted = ",".join("%s" for _ in COUNTED)
    sql = (
        f"SELECT r.subject_id, i.code, r.severity, i.negative, r.disclosure, {agg.format('r.id')} "  # noqa: S608
        f"FROM {rec} r JOIN {item} i ON i.id = r.item_id "
        f"WHERE r.subject_id {units_sql} AND r.status IN ({counted}) "
        "AND r.decided_on >= %s AND r.decided_on <= %s AND r.published_at < %s "
        "AND (r.ended_at IS NULL OR r.ended_at >= %s) "
        "GROUP BY r.subject_id, i.code, r.severity, i.negative, r.disclosure"
    )
    end = _day_end(as_of)
    params = [*units_params, *COUNTED, start, as_of, end, end]
    ev = IntegrityEvent._meta.db_table
    ev_sql = (
        f"SELECT e.subject_id, e.indicator, e.dimension, e.polarity, {agg.format('e.id')}, SUM(e.value) "  # noqa: S608
        f"FROM {ev} e WHERE e.subject_id {units_sql} AND e.occurred_on >= %s AND e.occurred_on <= %s "
        "GROUP BY e.subject_id, e.indicator, e.dimension, e.polarity"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for subject_id, code, severity, negative, disclosure, ids in cur.fetchall():
            key = (code, severity, bool(negative), disclosure == Disclosure.PUBLIC)
            data[subject_id].records.setdefault(key, []).extend(_ids(ids))
        cur.execute(ev_sql, [*units_params, start, as_of])
        for subject_id, indicator, dimension, polarity, ids, total in cur.fetchall():
            data[subject_id].events[(indicator, dimension, polarity)] = (_ids(ids), Decimal(str(total or 0)))
    return data


# -- scoring (pure) -------------------------------------------------------------------------------
def score_line(spec: dict, method: Method, inputs: dict) -> tuple[Decimal, Decimal | None, str]:
    return method.score(Decimal(spec["points"]), spec.get("params") or {}, inputs)


def band_for(bands: list[dict], total: Decimal, vetoed: bool) -> dict:
    ordered = sorted(bands, key=lambda b: Decimal(str(b["min"])), reverse=True)
    if not ordered:
        return {"grade": "", "label": ""}
    if vetoed:
        return ordered[-1]
    for band in ordered:
        if total >= Decimal(str(band["min"])):
            return band
    return ordered[-1]


def rank(totals: list[tuple[Any, str, Decimal, bool]]) -> dict[Any, int]:
    """Competition ranking (1, 2, 2, 4) within each group; a unit under a veto (一票否决) ranks after
    every unit without one, whatever its points, as its grade does."""
    out: dict[Any, int] = {}
    by_group: dict[str, list[tuple[Any, Decimal, bool]]] = defaultdict(list)
    for key, group, total, vetoed in totals:
        by_group[group].append((key, total, vetoed))
    for rows in by_group.values():
        rows.sort(key=lambda r: (r[2], -r[1]))
        previous: tuple[bool, Decimal] | None = None
        position = 0
        for index, (key, total, vetoed) in enumerate(rows, 1):
            if (vetoed, total) != previous:
                position, previous = index, (vetoed, total)
            out[key] = position
    return out


def summarise(snapshot: dict, units: list[dict]) -> list[dict]:
    """``units``: [{"unit": id, "group": g, "lines": [{"code", "points", "veto"...}]}] → totals,
    grades and ranks (pure; the run and recompute share it)."""
    for u in units:
        u["total"] = q(sum((Decimal(str(line["points"])) for line in u["lines"]), Decimal(0)))
        u["vetoed"] = any(line.get("vetoed") for line in u["lines"])
        band = band_for(snapshot["bands"], u["total"], u["vetoed"])
        u["grade"], u["grade_label"] = band.get("grade", ""), band.get("label", "")
    ranks = rank([(u["unit"], u["group"], u["total"], u["vetoed"]) for u in units])
    for u in units:
        u["rank"] = ranks[u["unit"]]
    return units


def compute(
    snapshot: dict, unit_rows: list[tuple[int, str]], data: dict[int, UnitData], manual: dict
) -> list[dict]:
    """Score every unit from gathered data; ``manual[(unit, code)]`` = inputs of manual lines."""
    methods = registry()
    custom: dict[str, dict[int, tuple[dict, dict]]] = {}
    out = []
    for unit_id, kind in unit_rows:
        group = group_of(kind)
        lines = []
        for spec in leaves(snapshot, group):
            method = methods.get(spec["method"])
            if method is None:
                raise ValueError(f"未知的计分方法：{spec['method']}")
            if method.source == "manual":
                inputs, ids = manual.get((unit_id, spec["code"]), {}), {}
            elif method.gather is not None:
                store = custom.get(spec["code"])
                if store is None:
                    store = custom[spec["code"]] = method.gather(
                        [u for u, _ in unit_rows], snapshot["_start"], snapshot["_as_of"]
                    )
                inputs, ids = store.get(unit_id, ({}, {}))
            else:
                inputs, ids = method.select(spec.get("params") or {}, data.get(unit_id) or UnitData())
            points, raw, text = score_line(spec, method, inputs)
            lines.append(
                {
                    "code": spec["code"],
                    "method": method.code,
                    "inputs": inputs,
                    "ids": ids,
                    "points": points,
                    "raw": raw,
                    "text": text,
                    "vetoed": bool(method.veto and raw),
                    "manual": method.source == "manual",
                }
            )
        out.append({"unit": unit_id, "group": group, "lines": lines})
    return summarise(snapshot, out)


def rescore(snapshot: dict, units: list[dict]) -> list[dict]:
    """Recompute points from frozen inputs only (``units`` as stored: lines with code/inputs)."""
    methods = registry()
    specs = {i["code"]: i for i in snapshot["indicators"]}
    for u in units:
        for line in u["lines"]:
            method = methods[line["method"]]
            points, raw, text = score_line(specs[line["code"]], method, line["inputs"])
            line.update(points=points, raw=raw, text=text, vetoed=bool(method.veto and raw))
    return summarise(snapshot, units)


# -- hashing --------------------------------------------------------------------------------------
def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def inputs_hash(meta: dict, snapshot: dict, units: list[dict]) -> str:
    """SM3 over the period, as_of, the set snapshot and every line's frozen inputs and input ids."""
    body = {
        "meta": meta,
        "set": {k: v for k, v in snapshot.items() if not k.startswith("_")},
        "lines": sorted(
            [u["unit"], line["code"], line["method"], line["inputs"], line["ids"]]
            for u in units
            for line in u["lines"]
        ),
    }
    return sm3_hex(_canon(body))


def result_hash(inputs_digest: str, units: list[dict]) -> str:
    """SM3 over the inputs hash and every points/total/grade/rank: the hash published."""
    body = {
        "inputs": inputs_digest,
        "results": sorted(
            [
                u["unit"],
                str(q(u["total"])),
                u["grade"],
                u["rank"],
                u["vetoed"],
                sorted([line["code"], str(q(line["points"]))] for line in u["lines"]),
            ]
            for u in units
        ),
    }
    return sm3_hex(_canon(body))
