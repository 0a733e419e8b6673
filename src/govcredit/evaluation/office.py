"""政务诚信评价 in the back-office shell: menu entry and 工作台 tiles (self-assessment and review queues)."""

from __future__ import annotations

from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services
from .models import LineState, RunStatus, ScoreLine

ICON = '<path d="M3 3v18h18"/><path d="M7 14l4-4 4 4 5-6"/>'


def _counts(access: Access) -> dict[str, int]:
    def compute() -> dict[str, int]:
        mine = services.own_unit_ids(access)
        claim = (
            ScoreLine.objects.filter(
                run__status=RunStatus.SELF_ASSESSMENT, state=LineState.PENDING, result__unit_id__in=mine
            ).count()
            if mine
            else 0
        )
        review = (
            ScoreLine.objects.filter(run__status=RunStatus.REVIEW, state=LineState.CLAIMED).count()
            if services.can_review(access)
            else 0
        )
        return {"claim": claim, "review": review}

    return access.memo("evaluation.counts", compute)


def menu(access: Access) -> list[MenuEntry]:
    if not services.can_view(access):
        return []
    entries = [
        MenuEntry(
            "evaluation",
            "政务诚信评价",
            "evaluation:runs",
            order=160,
            group="政务诚信",
            icon=ICON,
            badge="evaluation_todo",
            badge_label="项待自评或审核",
        )
    ]
    if services.can_manage(access):
        entries.append(
            MenuEntry(
                "evaluation_sets", "评价指标体系", "evaluation:sets", order=161, group="政务诚信", icon=ICON
            )
        )
    return entries


def badges(access: Access) -> dict[str, int]:
    if not services.can_view(access):
        return {}
    c = _counts(access)
    return {"evaluation_todo": c["claim"] + c["review"]}


def tiles(access: Access) -> list[Tile]:
    if not services.can_view(access):
        return []
    c = _counts(access)
    url = reverse("evaluation:runs")
    out = []
    if services.own_unit_ids(access):
        out.append(
            Tile(
                "政务诚信评价待自评",
                c["claim"],
                url,
                hint="本单位须自评并上传佐证的指标",
                tone="warn",
                order=160,
            )
        )
    if services.can_review(access):
        out.append(
            Tile(
                "政务诚信评价待审核",
                c["review"],
                url,
                hint="各单位已自评、待联席会议审核的指标",
                tone="warn",
                order=161,
            )
        )
    return out


def audit_links() -> dict[str, str]:
    return {"evaluation.evaluationrun": "evaluation:run"}
