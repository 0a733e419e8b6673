"""``govcredit setup``: the annex's 18 key tasks and the reporting rule. Idempotent: a task that
exists (by its number) is left as the credit office may have edited it; missing lead units are added."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import Organisation

from . import periods
from .annex import ONGOING, TASKS, section
from .models import KeyTask, LegalStatus, ReportingRule, TaskLead


@transaction.atomic
def load_defaults() -> str:
    units = {o.short_name: o for o in Organisation.objects.filter(short_name__gt="")}
    missing = sorted({s for t in TASKS for s in t["leads"] if s not in units})
    if missing:
        return "skipped: reference units missing (" + "、".join(missing) + ")"
    created = 0
    for spec in TASKS:
        task, made = KeyTask.objects.get_or_create(
            number=spec["number"],
            defaults={
                "title": spec["title"],
                "responsibility": spec["responsibility"],
                "lead_mode": spec.get("lead_mode", "lead"),
                "cooperating": spec["cooperating"],
                "schedule": spec.get("schedule", ONGOING),
                "deadline": spec.get("deadline"),
                "note": spec.get("note", ""),
                "policy_section": section(spec["number"]),
            },
        )
        created += made
        for position, short in enumerate(spec["leads"], 1):
            TaskLead.objects.get_or_create(task=task, unit=units[short], defaults={"position": position})
    today = timezone.localdate()
    ReportingRule.objects.get_or_create(
        key="default",
        defaults={
            "cadence": "half_year",
            "due_working_days": 10,
            "tracking_from": periods.period_of(today, "half_year").start,
            "legal_status": LegalStatus.LOCAL_CHOICE,
            "source": "⚠ 附件未规定报送周期：本区自定每半年报送一次、期末后10个工作日内报送，"
            "自系统启用的报送期起计，区信用办可调整",
        },
    )
    return f"{created} key tasks added ({KeyTask.objects.count()} in all)"
