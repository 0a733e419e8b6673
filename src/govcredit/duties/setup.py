"""Defaults: the reminder ladder's rule rows (WAVE2 §0.6). Idempotent: existing rows (which the credit
office may have edited) are left alone."""

from __future__ import annotations

from .models import LadderStage, LegalStatus

#: The ladder is the district's own (本区自定): no Shandong or national rule sets reminder steps for
#: these duties (issue 13, point 11 — earlier defaults cited another city's 12345 hotline rules).
LADDER = [
    ("notice", -5, False, LegalStatus.LOCAL_CHOICE, "本区自定：到期前5个工作日提醒，可由信用办调整"),
    ("due", 0, False, LegalStatus.LOCAL_CHOICE, "本区自定：到期日提醒"),
    ("urge", 1, False, LegalStatus.LOCAL_CHOICE, "本区自定：逾期1个工作日催办，可由信用办调整"),
    ("supervise", 5, True, LegalStatus.LOCAL_CHOICE, "本区自定：逾期5个工作日督办，可由信用办调整"),
    ("listed", 10, True, LegalStatus.LOCAL_CHOICE, "本区自定：逾期10个工作日挂牌督办，可由信用办调整"),
]
#: default sources of earlier versions, replaced where an installation still has them unchanged
SUPERSEDED = {
    "到期前5个工作日提醒：潍坊市12345政务服务便民热线条例第二十六条（督办阶梯名称）": "notice",
    "到期日提醒": "due",
    "逾期1个工作日催办：潍坊市12345政务服务便民热线条例第二十六条": "urge",
    "逾期5个工作日督办：潍坊市12345政务服务便民热线条例第二十六条": "supervise",
    "⚠ 逾期10个工作日挂牌督办：本区自定，可由信用办调整": "listed",
}


def load_defaults() -> str:
    created = 0
    for stage, offset, office, status, source in LADDER:
        _obj, made = LadderStage.objects.get_or_create(
            stage=stage,
            defaults={
                "offset_working_days": offset,
                "notify_office": office,
                "legal_status": status,
                "source": source,
            },
        )
        created += made
    for old, stage in SUPERSEDED.items():
        row = next(r for r in LADDER if r[0] == stage)
        LadderStage.objects.filter(stage=stage, source=old).update(legal_status=row[3], source=row[4])
    return f"{created} ladder rules added"
