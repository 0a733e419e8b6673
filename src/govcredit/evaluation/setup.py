"""``govcredit setup``: the default indicator set (active, version 1) and the joint-conference member
units that review runs (policy （九）: 区委组织部、区发改局、区人社局 lead). Idempotent: an existing set
(by code) is left as the credit office edited it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from govcredit.accounts.models import Organisation

from . import defaults
from .models import ConferenceMember, Indicator, IndicatorSet, SetStatus

CONFERENCE = ("区发改局", "区委组织部", "区人社局", "区政府办公室", "区财政局")


def create_default_set(status: str = SetStatus.ACTIVE) -> IndicatorSet:
    indicator_set = IndicatorSet.objects.create(
        code=defaults.CODE,
        version=1,
        name=defaults.NAME,
        effective_from=dt.date(2025, 1, 1),
        approving_document="",
        total=Decimal(100),
        bands=defaults.BANDS,
        bands_source=defaults.SOURCE,
        methodology=defaults.METHODOLOGY,
        status=status,
    )

    def add(nodes, parent, level):
        for position, (code, name, points, method, params, applies, description, children) in enumerate(
            nodes, 1
        ):
            node = Indicator.objects.create(
                indicator_set=indicator_set,
                parent=parent,
                code=code,
                name=name,
                level=level,
                points=Decimal(str(points)),
                method=method,
                params=params,
                applies_to=applies,
                description=description,
                basis=defaults.SOURCE[:300] if level == 1 else "",
                position=position,
            )
            add(children, node, level + 1)

    add(defaults.TREE, None, 1)
    return indicator_set


@transaction.atomic
def load_defaults() -> str:
    made = 0
    if not IndicatorSet.objects.filter(code=defaults.CODE).exists():
        create_default_set()
        made = 1
    members = 0
    for org in Organisation.objects.filter(short_name__in=CONFERENCE):
        _, created = ConferenceMember.objects.get_or_create(organisation=org)
        members += created
    return f"indicator sets created={made}, conference members added={members}"
