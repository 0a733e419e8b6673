"""Defaults: the reminder ladder's rule rows (WAVE2 §0.6). Idempotent: existing rows (which the credit
office may have edited) are left alone."""

from __future__ import annotations

from .models import LadderStage, LegalStatus

LADDER = [
    (
        "notice",
        -5,
        False,
        LegalStatus.OFFICIAL,
        "到期前5个工作日提醒：潍坊市12345政务服务便民热线条例第二十六条（督办阶梯名称）",
    ),
    ("due", 0, False, LegalStatus.OFFICIAL, "到期日提醒"),
    ("urge", 1, False, LegalStatus.OFFICIAL, "逾期1个工作日催办：潍坊市12345政务服务便民热线条例第二十六条"),
    (
        "supervise",
        5,
        True,
        LegalStatus.OFFICIAL,
        "逾期5个工作日督办：潍坊市12345政务服务便民热线条例第二十六条",
    ),
    ("listed", 10, True, LegalStatus.LOCAL_CHOICE, "⚠ 逾期10个工作日挂牌督办：本区自定，可由信用办调整"),
]


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
    return f"{created} ladder rules added"
