"""The personnel file as an input of the credit checks (hook found by ``sanctions.checks.app_verdicts``).

For the recruitment, appointment and award checks, with the active ``PersonnelRule`` rows:
- a published 纪律处分 whose kind (警告/记过/记大过/降级/撤职) a rule knows → ``blocked`` from the
  decision to the end of its period (公务员法第六十四条), nothing the day after (第六十五条: the
  period ends by itself) — the sanctions' own judgement of that record is replaced, saying why;
- last year's review graded as a rule says (基本称职/不称职) → ``attention``;
- a personal-matters verification result a rule names (瞒报) → as the rule says.
A handful of queries per batch, whatever its size."""

from __future__ import annotations

import datetime as dt

from govcredit.records.models import LIVE_STATUSES, CreditRecord
from govcredit.sanctions.checks import AppVerdict

from .models import AnnualReview, MattersCompliance, PersonnelRule, RuleKind
from .services import add_months, discipline_kind

CHUNK = 5000


def _chunks(values: list):
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def consult(purpose: str, subject_ids: list[int], today: dt.date) -> dict[int, AppVerdict]:
    rules = [
        r
        for r in PersonnelRule.objects.filter(active=True).exclude(kind=RuleKind.TRAINING)
        if purpose in r.purposes
    ]
    if not rules:
        return {}
    by_kind: dict[str, dict[str, PersonnelRule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, {})[rule.match] = rule
    out: dict[int, AppVerdict] = {}

    def verdict(pk: int) -> AppVerdict:
        return out.setdefault(pk, AppVerdict(reasons=[], handled=set()))

    discipline = by_kind.get(RuleKind.DISCIPLINE, {})
    reviews = by_kind.get(RuleKind.REVIEW, {})
    matters = by_kind.get(RuleKind.MATTERS, {})
    for chunk in _chunks(subject_ids):
        if discipline:
            records = (
                CreditRecord.objects.filter(
                    subject_id__in=chunk, item__code="disciplinary_sanction", status__in=LIVE_STATUSES
                )
                .only("pk", "subject_id", "decided_on", "document_no", "outcome", "facts")
                .order_by("decided_on", "pk")
            )
            for record in records:
                kind = discipline_kind(record)
                rule = discipline.get(kind)
                if rule is None or not rule.months or record.decided_on > today:
                    continue  # an unknown kind stays with the sanctions' rules
                until = add_months(record.decided_on, rule.months)
                v = verdict(record.subject_id)
                v.handled.add(record.pk)
                if today <= until:
                    v.reasons.append(
                        {
                            "status": rule.effect or "blocked",
                            "record_id": record.pk,
                            "document_no": record.document_no,
                            "item": "纪律处分",
                            "measure": f"{kind}处分期内（{rule.months}个月），不得晋升、任用或评优",
                            "legal_basis": rule.legal_basis,
                            "until": until.isoformat(),
                            "note": f"处分期自{record.decided_on:%Y-%m-%d}起至{until:%Y-%m-%d}止，"
                            f"期满次日起不再限制（公务员法第六十五条）",
                        }
                    )
                else:
                    v.detail = (
                        f"{kind}处分期已于{until:%Y-%m-%d}届满（公务员法第六十四条），"
                        f"按第六十五条自动解除，不再限制"
                    )
        if reviews:
            for review in AnnualReview.objects.filter(
                file__subject_id__in=chunk, year=today.year - 1, grade__in=list(reviews)
            ).select_related("file"):
                rule = reviews[review.grade]
                verdict(review.file.subject_id).reasons.append(
                    {
                        "status": rule.effect or "attention",
                        "source": f"{review.year}年度考核",
                        "item": "年度考核",
                        "measure": f"{review.year}年度考核确定为{review.get_grade_display()}",
                        "legal_basis": rule.legal_basis,
                    }
                )
        if matters:
            for item in MattersCompliance.objects.filter(
                file__subject_id__in=chunk, year__gte=today.year - 1, result__in=list(matters)
            ).select_related("file"):
                rule = matters[item.result]
                verdict(item.file.subject_id).reasons.append(
                    {
                        "status": rule.effect or "attention",
                        "source": f"{item.year}年度个人有关事项报告",
                        "item": "个人有关事项报告",
                        "measure": f"抽查核实发现{item.get_result_display()}"
                        + (f"（{item.handling}）" if item.handling else ""),
                        "legal_basis": rule.legal_basis,
                    }
                )
    return out
