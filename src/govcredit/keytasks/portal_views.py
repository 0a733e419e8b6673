"""Public 重点任务进展 on 信用周村: the annex's 18 rows, each with its lead units, schedule, status,
overdue flag, latest report and the live figures of the module that implements it."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from govcredit.portal.cache import public_page

from . import figures, services
from .models import KeyTask


@require_safe
@public_page
def progress_table(request):
    try:
        states = services.build_states(list(KeyTask.objects.order_by("number")))
    except services.Conflict:
        states = []
    rows = [(s, figures.figures_for(s.task.number)) for s in states]
    counts = {
        "total": len(states),
        "completed": sum(s.status == services.TaskStatus.COMPLETED for s in states),
        "overdue": sum(s.overdue for s in states),
        "reported": sum(bool(s.reports) for s in states),
    }
    return render(request, "keytasks/portal_table.html", {"rows": rows, "counts": counts})
