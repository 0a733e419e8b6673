"""政务诚信评价 business rules: indicator sets (versioned), runs and their workflow
(``draft → self_assessment → review → published → appeal → final``), recompute, what-if, public reads.
Every change writes an audit entry in its transaction; publication and finalisation append the run's
SM3 result hash to the disclosure ledger (``object_type = "evaluation.run.<id>"``, ``object_id`` = the
hash) and bump the public version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.core import public_version
from govcredit.core.calendar import deadline_after
from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.uploads import check_uploads
from govcredit.duties.disclosure import disclose, history_of

from . import engine
from .methods import q, registry
from .models import (
    Appeal,
    AppealStatus,
    Applies,
    ClaimEvidence,
    ConferenceMember,
    EvaluationRun,
    Indicator,
    IndicatorSet,
    LineState,
    RunStatus,
    ScoreLine,
    SetStatus,
    UnitResult,
)

for _code, _label in [
    ("govcredit.evaluation.set_created", "新建评价指标体系版本"),
    ("govcredit.evaluation.set_changed", "修改评价指标体系"),
    ("govcredit.evaluation.set_activated", "启用评价指标体系"),
    ("govcredit.evaluation.indicator_saved", "保存评价指标"),
    ("govcredit.evaluation.indicator_deleted", "删除评价指标"),
    ("govcredit.evaluation.run_opened", "开展政务诚信评价"),
    ("govcredit.evaluation.self_assessment_opened", "开始单位自评"),
    ("govcredit.evaluation.claimed", "单位自评"),
    ("govcredit.evaluation.review_opened", "提交联席会议审核"),
    ("govcredit.evaluation.reviewed", "审核自评得分"),
    ("govcredit.evaluation.published", "公布评价结果"),
    ("govcredit.evaluation.appeal_filed", "提出评价申诉"),
    ("govcredit.evaluation.appeal_decided", "处理评价申诉"),
    ("govcredit.evaluation.finalised", "评价结果终定"),
]:
    register_action(_code, _label)

OBJECT_TYPE = "evaluation.run"
MAX_NOTE = 2000
UNIT_ROLES = (Role.CLERK, Role.SUBJECT_USER, Role.CREDIT_OFFICE)


# -- permissions ----------------------------------------------------------------------------------
def can_manage(access: Access) -> bool:
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def conference_org_ids() -> set[int]:
    return set(ConferenceMember.objects.filter(active=True).values_list("organisation_id", flat=True))


def can_review(access: Access) -> bool:
    if access.has_role(Role.CREDIT_OFFICE):
        return True
    members = conference_org_ids()
    return any(
        m.organisation_id in members and m.role in (Role.CLERK, Role.REVIEWER, Role.CREDIT_OFFICE)
        for m in access.memberships
    )


def own_unit_ids(access: Access) -> set[int]:
    """Subjects of the units this user speaks for (self-assessment, appeals)."""
    return {
        m.organisation.subject_id
        for m in access.memberships
        if m.role in UNIT_ROLES and m.organisation.subject_id
    }


def can_view(access: Access) -> bool:
    return access.sees_everything or can_review(access) or bool(own_unit_ids(access))


def visible_results(access: Access, run: EvaluationRun):
    qs = run.results.select_related("unit")
    if access.sees_everything or can_review(access):
        return qs
    return qs.filter(unit_id__in=own_unit_ids(access))


def _require_manage(access: Access | None) -> None:
    if access is not None and not can_manage(access):
        raise PermissionDenied("只有信用办可以管理政务诚信评价")


def _user(access: Access | None):
    return access.user if access is not None else None


# -- indicator sets ------------------------------------------------------------------------------
def active_set() -> IndicatorSet | None:
    return (
        IndicatorSet.objects.filter(status=SetStatus.ACTIVE).order_by("-effective_from", "-version").first()
    )


def set_in_use(indicator_set: IndicatorSet) -> bool:
    return indicator_set.runs.exists()


def _editable(indicator_set: IndicatorSet) -> None:
    if indicator_set.status != SetStatus.DRAFT or set_in_use(indicator_set):
        raise Conflict("该版本已启用或已用于评价，不能修改；请先“复制为新版本”再修改")


@transaction.atomic
def new_version(indicator_set: IndicatorSet, *, access: Access | None) -> IndicatorSet:
    """A draft copy with version + 1 (the tree copied); the old version stays as it was."""
    _require_manage(access)
    latest = IndicatorSet.objects.filter(code=indicator_set.code).order_by("-version").first()
    copy = IndicatorSet.objects.create(
        **{
            f.name: getattr(indicator_set, f.name)
            for f in IndicatorSet._meta.concrete_fields
            if f.name not in ("id", "version", "status", "created_at", "updated_at")
        },
        version=latest.version + 1,
        status=SetStatus.DRAFT,
    )
    mapping: dict[int, Indicator] = {}
    for node in indicator_set.indicators.order_by("level", "position", "pk"):
        old_pk = node.pk
        node.pk = None
        node.indicator_set = copy
        node.parent = mapping.get(node.parent_id) if node.parent_id else None
        node.save()
        mapping[old_pk] = node
    log_action(
        "govcredit.evaluation.set_created",
        actor=_user(access),
        obj=copy,
        summary=f"{copy}（复制自第{indicator_set.version}版）",
    )
    return copy


def _decimal(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}应为数字", field_errors={field: [f"{label}应为数字"]}) from None
    if not number.is_finite() or number < 0 or number > 10000:
        raise ValidationFailed(f"{label}应在0至10000之间", field_errors={field: [f"{label}应在0至10000之间"]})
    return number


def validate_tree(indicator_set: IndicatorSet) -> list[str]:
    """Problems of a set before it may be activated (Chinese)."""
    problems = []
    nodes = list(indicator_set.indicators.all())
    methods = registry()
    parents = {n.parent_id for n in nodes if n.parent_id}
    leaf_total = Decimal(0)
    for n in nodes:
        if n.level > 3:
            problems.append(f"指标{n.code}超过三级")
        if n.pk not in parents:
            if n.method not in methods:
                problems.append(f"末级指标{n.code}未设置有效的计分方法")
            if n.applies_to == Applies.ALL:
                leaf_total += n.points
    if leaf_total != indicator_set.total:
        problems.append(
            f"适用于全部单位的末级指标分值合计{q(leaf_total)}，与总分{q(indicator_set.total)}不一致"
        )
    bands = indicator_set.bands or []
    if not bands or not any(Decimal(str(b.get("min", 1))) == 0 for b in bands):
        problems.append("等次划分须包含最低分为0的等次")
    return problems


@transaction.atomic
def save_indicator(
    indicator_set: IndicatorSet, data: dict, *, access: Access | None, indicator: Indicator | None = None
) -> Indicator:
    _require_manage(access)
    _editable(indicator_set)
    code = (data.get("code") or "").strip()
    name = (data.get("name") or "").strip()
    errors: dict[str, list[str]] = {}
    if not code or len(code) > 40:
        errors["code"] = ["请填写指标代码（不超过40个字符）"]
    if not name or len(name) > 200:
        errors["name"] = ["请填写指标名称（不超过200个字符）"]
    parent = None
    if data.get("parent"):
        parent = indicator_set.indicators.filter(pk=data["parent"]).first()
        if parent is None:
            errors["parent"] = ["上级指标不在本版本中"]
        elif parent.level >= 3:
            errors["parent"] = ["指标最多三级"]
    method = (data.get("method") or "").strip()
    if method and method not in registry():
        errors["method"] = ["未知的计分方法"]
    params = data.get("params") or {}
    if not isinstance(params, dict):
        errors["params"] = ["方法参数应为 JSON 对象"]
    clash = indicator_set.indicators.filter(code=code)
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if code and clash.exists():
        errors["code"] = ["指标代码在本版本中已存在"]
    if errors:
        raise ValidationFailed("指标信息有误", field_errors=errors)
    points = _decimal(data.get("points", 0), "points", "分值")
    before = None
    if indicator is None:
        indicator = Indicator(indicator_set=indicator_set)
    else:
        before = {"code": indicator.code, "points": str(indicator.points), "method": indicator.method}
    indicator.code, indicator.name, indicator.parent = code, name, parent
    indicator.level = parent.level + 1 if parent else 1
    indicator.points, indicator.method, indicator.params = points, method, params
    indicator.applies_to = data.get("applies_to") or Applies.ALL
    indicator.description = (data.get("description") or "")[:2000]
    indicator.basis = (data.get("basis") or "")[:300]
    indicator.position = int(data.get("position") or 0)
    indicator.save()
    log_action(
        "govcredit.evaluation.indicator_saved",
        actor=_user(access),
        obj=indicator,
        summary=f"{indicator_set}：{indicator}",
        before=before,
        after={"code": code, "points": str(points), "method": method, "params": params},
    )
    return indicator


@transaction.atomic
def delete_indicator(indicator: Indicator, *, access: Access | None) -> None:
    _require_manage(access)
    _editable(indicator.indicator_set)
    log_action(
        "govcredit.evaluation.indicator_deleted", actor=_user(access), obj=indicator, summary=str(indicator)
    )
    indicator.delete()


@transaction.atomic
def update_set(indicator_set: IndicatorSet, data: dict, *, access: Access | None) -> IndicatorSet:
    _require_manage(access)
    _editable(indicator_set)
    before = {"total": str(indicator_set.total), "bands": indicator_set.bands}
    if "name" in data:
        indicator_set.name = (data["name"] or indicator_set.name)[:200]
    if "approving_document" in data:
        indicator_set.approving_document = (data["approving_document"] or "")[:200]
    if "total" in data:
        indicator_set.total = _decimal(data["total"], "total", "总分")
    if "bands" in data:
        bands = data["bands"]
        if not isinstance(bands, list) or not all(
            isinstance(b, dict) and "min" in b and "label" in b for b in bands
        ):
            raise ValidationFailed(
                "等次划分格式有误", field_errors={"bands": ["每个等次须有 grade、label、min"]}
            )
        indicator_set.bands = bands
    if "appeal_working_days" in data:
        days = int(data["appeal_working_days"])
        if not 1 <= days <= 30:
            raise ValidationFailed(
                "申诉期应为1至30个工作日", field_errors={"appeal_working_days": ["应为1至30"]}
            )
        indicator_set.appeal_working_days = days
    if "methodology" in data:
        indicator_set.methodology = data["methodology"] or ""
    indicator_set.save()
    log_action(
        "govcredit.evaluation.set_changed",
        actor=_user(access),
        obj=indicator_set,
        summary=str(indicator_set),
        before=before,
        after={"total": str(indicator_set.total), "bands": indicator_set.bands},
    )
    return indicator_set


@transaction.atomic
def activate_set(indicator_set: IndicatorSet, *, access: Access | None) -> IndicatorSet:
    _require_manage(access)
    problems = validate_tree(indicator_set)
    if problems:
        raise ValidationFailed("指标体系不完整，不能启用：" + "；".join(problems))
    IndicatorSet.objects.filter(code=indicator_set.code, status=SetStatus.ACTIVE).exclude(
        pk=indicator_set.pk
    ).update(status=SetStatus.RETIRED)
    indicator_set.status = SetStatus.ACTIVE
    indicator_set.save(update_fields=["status", "updated_at"])
    log_action(
        "govcredit.evaluation.set_activated",
        actor=_user(access),
        obj=indicator_set,
        summary=str(indicator_set),
    )
    public_version.bump()
    return indicator_set


# -- runs -----------------------------------------------------------------------------------------
def parse_period(period: str) -> tuple[dt.date, dt.date]:
    period = (period or "").strip()
    if len(period) != 4 or not period.isdigit() or not 2000 <= int(period) <= 2100:
        raise ValidationFailed(
            "评价期应为年度，如 2026", field_errors={"period": ["评价期应为年度，如 2026"]}
        )
    year = int(period)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _units(unit_ids: list[int] | None = None) -> list[tuple[int, str]]:
    qs = engine.units_qs()
    if unit_ids is not None:
        qs = qs.filter(pk__in=unit_ids)
    return sorted(qs.values_list("pk", "kind"))


def _manual_inputs(line: ScoreLine) -> dict:
    return {
        "claimed": None if line.claimed_points is None else str(q(line.claimed_points)),
        "reviewed": None if line.reviewed_points is None else str(q(line.reviewed_points)),
        "evidence": line.evidence.count() if line.pk else 0,
    }


@transaction.atomic
def open_run(
    period: str,
    as_of: dt.date,
    *,
    access: Access | None,
    indicator_set: IndicatorSet | None = None,
    unit_ids: list[int] | None = None,
) -> EvaluationRun:
    """Freeze the set, gather the inputs at ``as_of`` (aggregate SQL), fill every automatic line."""
    _require_manage(access)
    start, end = parse_period(period)
    if as_of < start:
        raise ValidationFailed(
            "数据截止日不能早于评价期开始", field_errors={"as_of": ["数据截止日不能早于评价期开始"]}
        )
    if as_of > timezone.localdate():
        raise ValidationFailed("数据截止日不能晚于今天", field_errors={"as_of": ["数据截止日不能晚于今天"]})
    indicator_set = indicator_set or active_set()
    if indicator_set is None:
        raise Conflict("没有启用的评价指标体系，请信用办先启用一个版本")
    if indicator_set.status != SetStatus.ACTIVE:
        raise Conflict("只能按已启用的指标体系开展评价")
    snapshot = engine.snapshot_set(indicator_set)
    run = EvaluationRun.objects.create(
        indicator_set=indicator_set,
        set_snapshot=snapshot,
        period=period,
        period_start=start,
        period_end=end,
        as_of=as_of,
        created_by=_user(access),
    )
    units = _units(unit_ids)
    data = engine.gather([u for u, _ in units], start, min(as_of, end))
    computed = engine.compute({**snapshot, "_start": start, "_as_of": min(as_of, end)}, units, data, {})
    _store(run, computed)
    log_action(
        "govcredit.evaluation.run_opened",
        actor=_user(access),
        obj=run,
        summary=f"{run}：{len(units)}个单位，指标体系{indicator_set}，结果摘要{run.result_hash[:16]}…",
    )
    return run


def _store(run: EvaluationRun, computed: list[dict]) -> None:
    results = UnitResult.objects.bulk_create(
        [
            UnitResult(
                run=run,
                unit_id=u["unit"],
                group=u["group"],
                total=u["total"],
                grade=u["grade"],
                grade_label=u["grade_label"],
                rank=u["rank"],
                vetoed=u["vetoed"],
                veto_reason="；".join(line["text"] for line in u["lines"] if line["vetoed"]),
            )
            for u in computed
        ],
        batch_size=1000,
    )
    by_unit = {r.unit_id: r for r in results}
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(
                run=run,
                result=by_unit[u["unit"]],
                indicator_code=line["code"],
                method=line["method"],
                inputs=line["inputs"],
                raw_value=line["raw"],
                points=line["points"],
                explanation={"text": line["text"], "inputs": line["ids"]},
                state=LineState.PENDING if line["manual"] else LineState.AUTO,
            )
            for u in computed
            for line in u["lines"]
        ],
        batch_size=500,
    )
    run.inputs_hash = engine.inputs_hash(_meta(run), run.set_snapshot, computed)
    run.result_hash = engine.result_hash(run.inputs_hash, computed)
    run.save(update_fields=["inputs_hash", "result_hash", "updated_at"])


def _meta(run: EvaluationRun) -> dict:
    return {"period": run.period, "as_of": run.as_of.isoformat(), "run": run.pk}


def frozen_units(run: EvaluationRun) -> list[dict]:
    """The run's stored lines as the engine's unit dicts (what recompute and refresh read)."""
    units: dict[int, dict] = {}
    for r in run.results.order_by("pk").values("pk", "unit_id", "group"):
        units[r["pk"]] = {"unit": r["unit_id"], "group": r["group"], "lines": [], "_pk": r["pk"]}
    for line in run.lines.order_by("pk").values(
        "pk", "result_id", "indicator_code", "method", "inputs", "explanation", "points"
    ):
        units[line["result_id"]]["lines"].append(
            {
                "_pk": line["pk"],
                "code": line["indicator_code"],
                "method": line["method"],
                "inputs": line["inputs"],
                "ids": line["explanation"].get("inputs", {}),
                "stored_points": line["points"],
            }
        )
    return list(units.values())


def recompute(run: EvaluationRun) -> dict:
    """Scores and hashes from the frozen inputs only; nothing is written."""
    units = engine.rescore(run.set_snapshot, frozen_units(run))
    digest = engine.inputs_hash(_meta(run), run.set_snapshot, units)
    final = engine.result_hash(digest, units)
    stored = {r.unit_id: r for r in run.results.all()}
    differences = []
    for u in units:
        r = stored[u["unit"]]
        if q(r.total) != q(u["total"]) or r.grade != u["grade"] or r.rank != u["rank"]:
            differences.append({"unit": u["unit"], "stored": str(r.total), "recomputed": str(u["total"])})
        for line in u["lines"]:
            if q(line["stored_points"]) != q(line["points"]):
                differences.append(
                    {
                        "unit": u["unit"],
                        "indicator": line["code"],
                        "stored": str(line["stored_points"]),
                        "recomputed": str(line["points"]),
                    }
                )
    ledger = [e.object_id for e in history_of(f"{OBJECT_TYPE}.{run.pk}", final)] if final else []
    return {
        "run": run.pk,
        "inputs_hash": digest,
        "result_hash": final,
        "stored_hash": run.result_hash,
        "identical": not differences and final == run.result_hash and digest == run.inputs_hash,
        "differences": differences,
        "in_disclosure_ledger": bool(ledger),
        "units": len(units),
    }


def _refresh(run: EvaluationRun) -> None:
    """After a manual line changed: rescore the run from its (updated) frozen inputs and store."""
    units = engine.rescore(run.set_snapshot, frozen_units(run))
    lines, results = [], []
    for u in units:
        for line in u["lines"]:
            lines.append(ScoreLine(pk=line["_pk"], points=line["points"], raw_value=line["raw"]))
        results.append(
            UnitResult(
                pk=u["_pk"],
                total=u["total"],
                grade=u["grade"],
                grade_label=u["grade_label"],
                rank=u["rank"],
                vetoed=u["vetoed"],
            )
        )
    ScoreLine.objects.bulk_update(lines, ["points", "raw_value"], batch_size=500)
    UnitResult.objects.bulk_update(
        results, ["total", "grade", "grade_label", "rank", "vetoed"], batch_size=500
    )
    # the explanation text of manual lines follows the claim/review
    for line in run.lines.filter(state__in=[LineState.CLAIMED, LineState.REVIEWED, LineState.PENDING]):
        spec = next(i for i in run.set_snapshot["indicators"] if i["code"] == line.indicator_code)
        _points, _raw, text = engine.score_line(spec, registry()[line.method], line.inputs)
        if line.explanation.get("text") != text:
            line.explanation = {**line.explanation, "text": text}
            line.save(update_fields=["explanation"])
    run.inputs_hash = engine.inputs_hash(_meta(run), run.set_snapshot, units)
    run.result_hash = engine.result_hash(run.inputs_hash, units)
    run.save(update_fields=["inputs_hash", "result_hash", "updated_at"])


def _transition(run: EvaluationRun, expected: tuple[str, ...], new: str) -> EvaluationRun:
    locked = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if locked.status not in expected:
        raise Conflict(f"评价批次当前状态为“{locked.get_status_display()}”，不能执行此操作")
    locked.status = new
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def open_self_assessment(run: EvaluationRun, *, access: Access | None) -> EvaluationRun:
    _require_manage(access)
    run = _transition(run, (RunStatus.DRAFT,), RunStatus.SELF_ASSESSMENT)
    log_action("govcredit.evaluation.self_assessment_opened", actor=_user(access), obj=run, summary=str(run))
    return run


def _line_spec(line: ScoreLine) -> dict:
    return next(i for i in line.run.set_snapshot["indicators"] if i["code"] == line.indicator_code)


def _points_in(value: Any, spec: dict, field: str) -> Decimal:
    points = _decimal(value, field, "分值")
    if points > Decimal(spec["points"]):
        raise ValidationFailed(
            f"分值不能超过本项满分{spec['points']}分", field_errors={field: [f"不能超过{spec['points']}分"]}
        )
    return q(points)


@transaction.atomic
def claim_line(
    line: ScoreLine, *, points: Any, note: str, files: list[tuple[str, bytes]], access: Access
) -> ScoreLine:
    """A unit's self-assessment of one manual line, with evidence (at least one file in total)."""
    line = ScoreLine.objects.select_for_update().select_related("run", "result").get(pk=line.pk)
    if line.result.unit_id not in own_unit_ids(access):
        raise PermissionDenied("只能为本单位自评")
    if line.run.status != RunStatus.SELF_ASSESSMENT:
        raise Conflict("评价批次不在单位自评阶段")
    if line.state == LineState.AUTO:
        raise Conflict("该项为自动计分指标，不需自评")
    spec = _line_spec(line)
    value = _points_in(points, spec, "points")
    note = (note or "").strip()
    if not note or len(note) > MAX_NOTE:
        raise ValidationFailed(
            "请填写自评说明", field_errors={"note": [f"请填写自评说明（不超过{MAX_NOTE}字）"]}
        )
    files = check_uploads(files, field="evidence", max_files=10)
    if not files and not line.evidence.exists():
        raise ValidationFailed("自评须上传佐证材料", field_errors={"evidence": ["请上传至少一份佐证材料"]})
    stored = []
    try:
        for name, content in files:
            item = ClaimEvidence(line=line, uploaded_by=access.user)
            item.store(name, content)
            item.save()
            stored.append(item)
        before = str(line.claimed_points) if line.claimed_points is not None else None
        line.claimed_points, line.claim_note, line.claimed_by = value, note, access.user
        line.state = LineState.CLAIMED
        line.inputs = _manual_inputs(line)
        line.save()
        log_action(
            "govcredit.evaluation.claimed",
            actor=access.user,
            obj=line.run,
            summary=f"{line.result.unit.name} {line.indicator_code} 自评{value}分，佐证{len(files)}份",
            before={"claimed": before},
            after={"claimed": str(value), "evidence": [i.sha256 for i in stored]},
        )
        _refresh(line.run)
    except Exception:
        for item in stored:
            item.file.storage.delete(item.file.name)
        raise
    return line


@transaction.atomic
def open_review(run: EvaluationRun, *, access: Access | None) -> EvaluationRun:
    _require_manage(access)
    run = _transition(run, (RunStatus.SELF_ASSESSMENT,), RunStatus.REVIEW)
    log_action("govcredit.evaluation.review_opened", actor=_user(access), obj=run, summary=str(run))
    return run


@transaction.atomic
def review_line(line: ScoreLine, *, points: Any, note: str, access: Access) -> ScoreLine:
    line = (
        ScoreLine.objects.select_for_update().select_related("run", "result", "result__unit").get(pk=line.pk)
    )
    if not can_review(access):
        raise PermissionDenied("只有联席会议成员单位或信用办可以审核自评")
    if line.result.unit_id in own_unit_ids(access) and not access.has_role(Role.CREDIT_OFFICE):
        raise PermissionDenied("不能审核本单位的自评")
    if line.run.status != RunStatus.REVIEW:
        raise Conflict("评价批次不在审核阶段")
    if line.state == LineState.AUTO:
        raise Conflict("自动计分指标不需审核")
    spec = _line_spec(line)
    value = _points_in(points, spec, "points")
    note = (note or "").strip()
    if not note or len(note) > MAX_NOTE:
        raise ValidationFailed(
            "请填写审核意见", field_errors={"note": [f"请填写审核意见（不超过{MAX_NOTE}字）"]}
        )
    before = {"claimed": str(line.claimed_points) if line.claimed_points is not None else None}
    line.reviewed_points, line.review_note, line.reviewed_by = value, note, access.user
    line.state = LineState.REVIEWED
    line.inputs = _manual_inputs(line)
    line.save()
    log_action(
        "govcredit.evaluation.reviewed",
        actor=access.user,
        obj=line.run,
        summary=f"{line.result.unit.name} {line.indicator_code} 审核认定{value}分",
        before=before,
        after={"reviewed": str(value), "note": note},
    )
    _refresh(line.run)
    return line


@transaction.atomic
def publish(run: EvaluationRun, *, access: Access | None) -> EvaluationRun:
    _require_manage(access)
    if run.lines.filter(state=LineState.CLAIMED).exists():
        raise Conflict("还有单位自评未经审核，不能公布")
    run = _transition(run, (RunStatus.REVIEW,), RunStatus.PUBLISHED)
    deadline = deadline_after(timezone.localdate(), run.indicator_set.appeal_working_days)
    run.published_at = timezone.now()
    run.published_hash = run.result_hash
    run.appeal_due = deadline.due
    run.appeal_explain = deadline.explain()
    run.save(update_fields=["published_at", "published_hash", "appeal_due", "appeal_explain", "updated_at"])
    disclose("publish", object_type=f"{OBJECT_TYPE}.{run.pk}", object_id=run.result_hash, version=1)
    log_action(
        "govcredit.evaluation.published",
        actor=_user(access),
        obj=run,
        summary=f"{run}公布，结果摘要 {run.result_hash}，申诉截止{run.appeal_due:%Y-%m-%d}",
    )
    public_version.bump()
    return run


@transaction.atomic
def file_appeal(
    result: UnitResult,
    *,
    reason: str,
    access: Access,
    line: ScoreLine | None = None,
    requested_points: Any = None,
    today: dt.date | None = None,
) -> Appeal:
    run = EvaluationRun.objects.select_for_update().get(pk=result.run_id)
    if result.unit_id not in own_unit_ids(access):
        raise PermissionDenied("只能为本单位提出申诉")
    if run.status not in (RunStatus.PUBLISHED, RunStatus.APPEAL):
        raise Conflict("评价结果公布后、终定前才能申诉")
    today = today or timezone.localdate()
    if run.appeal_due and today > run.appeal_due:
        raise Conflict(f"申诉期已于{run.appeal_due:%Y年%m月%d日}届满（{run.appeal_explain}）")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_NOTE:
        raise ValidationFailed(
            "请填写申诉理由", field_errors={"reason": [f"请填写申诉理由（不超过{MAX_NOTE}字）"]}
        )
    if line is not None and line.result_id != result.pk:
        raise NotFound("评分明细不存在")
    requested = None
    if requested_points not in (None, ""):
        if line is None:
            raise ValidationFailed("请求分值须针对某一指标", field_errors={"line": ["请选择申诉的指标"]})
        requested = _points_in(requested_points, _line_spec(line), "requested_points")
    appeal = Appeal.objects.create(
        run=run,
        result=result,
        line=line,
        reason=reason,
        requested_points=requested,
        filed_by=access.user,
        filed_on=today,
    )
    if run.status == RunStatus.PUBLISHED:
        run.status = RunStatus.APPEAL
        run.save(update_fields=["status", "updated_at"])
    log_action(
        "govcredit.evaluation.appeal_filed",
        actor=access.user,
        obj=appeal,
        summary=f"{result.unit.name}对{run}提出申诉（截止{run.appeal_due:%Y-%m-%d}）",
    )
    return appeal


@transaction.atomic
def decide_appeal(
    appeal: Appeal, *, upheld: bool, decision: str, access: Access, points: Any = None
) -> Appeal:
    """Upheld on a manual line with ``points``: the line's reviewed points change and the run is
    rescored. Upheld on an automatic line: the source record is corrected through 异议 in records
    (the frozen run is not edited); the decision says so."""
    _require_manage(access)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("run", "line", "result__unit")
        .get(pk=appeal.pk)
    )
    if appeal.status != AppealStatus.OPEN:
        raise Conflict("该申诉已处理")
    decision = (decision or "").strip()
    if not decision or len(decision) > MAX_NOTE:
        raise ValidationFailed("请填写处理意见", field_errors={"decision": ["请填写处理意见"]})
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.decision, appeal.decided_by, appeal.decided_at = decision, access.user, timezone.now()
    appeal.save()
    if upheld and appeal.line is not None and points not in (None, ""):
        line = appeal.line
        if line.state == LineState.AUTO:
            raise Conflict("自动计分指标的得分来自已冻结的记录和事件，须通过信用记录异议更正后重新评价")
        line.reviewed_points = _points_in(points, _line_spec(line), "points")
        line.review_note = f"申诉成立：{decision}"
        line.reviewed_by = access.user
        line.state = LineState.REVIEWED
        line.inputs = _manual_inputs(line)
        line.save()
        _refresh(appeal.run)
    log_action(
        "govcredit.evaluation.appeal_decided",
        actor=access.user,
        obj=appeal,
        summary=f"{appeal.result.unit.name}的申诉：{appeal.get_status_display()}",
        after={"decision": decision, "points": None if points in (None, "") else str(points)},
    )
    return appeal


@transaction.atomic
def finalise(run: EvaluationRun, *, access: Access | None, today: dt.date | None = None) -> EvaluationRun:
    _require_manage(access)
    today = today or timezone.localdate()
    if run.appeals.filter(status=AppealStatus.OPEN).exists():
        raise Conflict("还有申诉未处理，不能终定")
    if run.appeal_due and today <= run.appeal_due:
        raise Conflict(f"申诉期至{run.appeal_due:%Y年%m月%d日}届满，届满后才能终定")
    run = _transition(run, (RunStatus.PUBLISHED, RunStatus.APPEAL), RunStatus.FINAL)
    run.finalised_at = timezone.now()
    run.save(update_fields=["finalised_at", "updated_at"])
    if run.result_hash != run.published_hash:
        disclose("correct", object_type=f"{OBJECT_TYPE}.{run.pk}", object_id=run.result_hash, version=2)
    log_action(
        "govcredit.evaluation.finalised",
        actor=_user(access),
        obj=run,
        summary=f"{run}终定，结果摘要 {run.result_hash}",
    )
    public_version.bump()
    return run


# -- what-if --------------------------------------------------------------------------------------
def what_if(result: UnitResult, overrides: dict[str, Any] | None = None) -> dict:
    """Which changes would raise this unit's grade: every line's room (full points − points) with what
    it would take, the points to the next band, the fewest lines that would get there; with
    ``overrides`` {indicator code: points}, the total, grade and rank they would give."""
    run = result.run
    snapshot = run.set_snapshot
    specs = {i["code"]: i for i in snapshot["indicators"]}
    lines = list(result.lines.order_by("pk"))
    bands = sorted(snapshot["bands"], key=lambda b: Decimal(str(b["min"])))
    higher = [b for b in bands if Decimal(str(b["min"])) > result.total]
    rooms = []
    for line in lines:
        spec = specs[line.indicator_code]
        room = q(Decimal(spec["points"]) - line.points)
        if room <= 0:
            continue
        ids = line.explanation.get("inputs", {})
        if line.state != LineState.AUTO:
            how = "单位自评并提供佐证，经联席会议审核认定"
        elif ids.get("records"):
            how = f"所涉{len(ids['records'])}条信用记录经异议核实更正、撤销或依法修复后不再计入"
        elif line.method in ("event_rate", "event_deduction"):
            how = "按时办结、按期兑现，减少逾期和未兑现事件"
        else:
            how = "增加本项所列正面事件"
        rooms.append(
            {
                "code": line.indicator_code,
                "name": spec["name"],
                "points": str(line.points),
                "full": spec["points"],
                "room": str(room),
                "how": how,
            }
        )
    rooms.sort(key=lambda r: -Decimal(r["room"]))
    out: dict[str, Any] = {
        "unit": result.unit_id,
        "total": str(result.total),
        "grade": result.grade_label,
        "lines": rooms,
    }
    if result.vetoed:
        out["next"] = {"note": "存在一票否决情形：否决所依据的记录不再计入前，等次不能提高"}
    elif higher:
        target = higher[0]
        need = q(Decimal(str(target["min"])) - result.total)
        picked, got = [], Decimal(0)
        for r in rooms:
            if got >= need:
                break
            picked.append(r["code"])
            got += Decimal(r["room"])
        out["next"] = {"grade": target["label"], "need": str(need), "reachable": got >= need, "via": picked}
    if overrides:
        points = {line.indicator_code: line.points for line in lines}
        for code, value in overrides.items():
            if code not in points:
                raise ValidationFailed(
                    f"指标{code}不适用于该单位", field_errors={"overrides": [f"指标{code}不适用"]}
                )
            points[code] = _points_in(value, specs[code], "overrides")
        total = q(sum(points.values(), Decimal(0)))
        band = engine.band_for(snapshot["bands"], total, result.vetoed)
        peers = run.results.filter(group=result.group).exclude(pk=result.pk)
        if result.vetoed:  # behind every unit without a veto, then by points among the vetoed
            ahead = Q(vetoed=False) | Q(vetoed=True, total__gt=total)
        else:
            ahead = Q(vetoed=False, total__gt=total)
        others = peers.filter(ahead).count()
        out["simulated"] = {"total": str(total), "grade": band.get("label", ""), "rank": others + 1}
    return out


# -- reads ----------------------------------------------------------------------------------------
def get_run(pk: int) -> EvaluationRun:
    run = EvaluationRun.objects.select_related("indicator_set").filter(pk=pk).first()
    if run is None:
        raise NotFound("评价批次不存在")
    return run


def public_run(year: int) -> EvaluationRun | None:
    """The public result of a year: the final run, else the latest published one."""
    runs = EvaluationRun.objects.filter(
        period=str(year), status__in=[RunStatus.PUBLISHED, RunStatus.APPEAL, RunStatus.FINAL]
    ).select_related("indicator_set")
    return (
        runs.filter(status=RunStatus.FINAL).order_by("-as_of", "-pk").first()
        or runs.order_by("-published_at", "-pk").first()
    )


def public_years() -> list[int]:
    periods = (
        EvaluationRun.objects.filter(status__in=[RunStatus.PUBLISHED, RunStatus.APPEAL, RunStatus.FINAL])
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted({int(p) for p in periods}, reverse=True)


def latest_public_results(unit_ids: list[int], on: dt.date) -> dict[int, UnitResult]:
    """Per unit, its result in the latest public run published on or before ``on``."""
    out: dict[int, UnitResult] = {}
    runs = EvaluationRun.objects.filter(
        status__in=[RunStatus.PUBLISHED, RunStatus.APPEAL, RunStatus.FINAL], period_end__lt=on
    ).order_by("-period", "-status", "-pk")
    for run in runs[:3]:
        for r in run.results.filter(unit_id__in=[u for u in unit_ids if u not in out]).select_related("run"):
            out[r.unit_id] = r
    return out


def public_explanation(line: ScoreLine) -> dict:
    """What the public may see of a line's inputs: public record ids; internal records and events as counts."""
    ids = line.explanation.get("inputs", {})
    records = ids.get("records", [])
    public = ids.get("public_records", [])
    return {
        "text": line.explanation.get("text", ""),
        "public_records": public,
        "internal_records": len(records) - len(public),
        "events": len(ids.get("events", [])),
    }


def runs_for(access: Access):
    qs = EvaluationRun.objects.select_related("indicator_set")
    if access.sees_everything or can_review(access):
        return qs
    return qs.filter(Q(results__unit_id__in=own_unit_ids(access))).distinct()
