"""The evaluation as an input of the credit checks (policy （九）: 在改革试点、项目投资、社会管理等政策领域
和考核中应用政务诚信评价结果). Found by ``sanctions.checks.app_verdicts``.

For the ``policy_support`` purpose: a unit whose latest public evaluation result (published before
the check day) has the lowest grade gets ``attention``, the reason citing the run, its grade, total and
rank, the published result hash and the policy basis. Two queries per batch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from govcredit.sanctions.checks import AppVerdict

from .services import latest_public_results

PURPOSES = ("policy_support",)
BASIS = "《周村区人民政府关于加强政务诚信建设的实施意见》（周政发〔2018〕26号）（九）"


def consult(purpose: str, subject_ids: list[int], today: dt.date) -> dict[int, AppVerdict]:
    if purpose not in PURPOSES or not subject_ids:
        return {}
    out: dict[int, AppVerdict] = {}
    for unit_id, result in latest_public_results(subject_ids, today).items():
        bands = sorted(result.run.set_snapshot.get("bands", []), key=lambda b: Decimal(str(b["min"])))
        if not bands or result.grade != bands[0].get("grade"):
            continue
        run = result.run
        out[unit_id] = AppVerdict(
            reasons=[
                {
                    "status": "attention",
                    "item": "政务诚信评价",
                    "source": f"{run.period}年度政务诚信评价（批次{run.pk}，{run.get_status_display()}）",
                    "measure": (
                        f"{run.period}年度政务诚信评价等次为{result.grade_label}（{result.total}分，"
                        f"组内第{result.rank}名{'，一票否决' if result.vetoed else ''}），"
                        "在改革试点、项目投资等政策支持中审慎应用"
                    ),
                    "legal_basis": BASIS,
                    "note": f"结果摘要（SM3）{run.result_hash}，见公开事项日志",
                }
            ],
            handled=set(),
        )
    return out
