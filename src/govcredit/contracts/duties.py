"""The contracts module's part of ``govcredit duties scan``: overdue obligations, arrears cases and the
findings behind them. Idempotent: a case exists once per obligation, a finding once per case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from govcredit.core import public_version

from . import rules
from .models import OPEN_OBLIGATION_STATES, ContractState, Obligation, ObligationKind, ObligationState
from .services import open_breach_finding, open_case_for

BATCH = 200


def scan(as_of: dt.date) -> dict[str, int]:
    grace = rules.int_value("arrears_grace_days")
    other_grace = rules.int_value("obligation_grace_days")
    # Missed deadlines become ``notMet`` (OCDS): one UPDATE over the (state, due_on) index.
    overdue = Obligation.objects.filter(
        state=ObligationState.SCHEDULED, due_on__lt=as_of, contract__state=ContractState.ACTIVE
    ).update(state=ObligationState.NOT_MET)

    cutoff = as_of - dt.timedelta(days=grace)
    payment_ids = list(
        Obligation.objects.filter(
            kind=ObligationKind.PAYMENT,
            state__in=OPEN_OBLIGATION_STATES,
            due_on__lt=cutoff,
            outstanding__gt=0,
            arrears_case__isnull=True,
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    cases = 0
    for start in range(0, len(payment_ids), BATCH):
        with transaction.atomic():
            for ob in (
                Obligation.objects.select_for_update(of=("self",))
                .select_related(
                    "contract", "contract__government", "contract__counterparty", "contract__unit"
                )
                .filter(pk__in=payment_ids[start : start + BATCH], arrears_case__isnull=True)
            ):
                open_case_for(ob, as_of=as_of, grace=grace)
                cases += 1
            public_version.bump()

    other_cutoff = as_of - dt.timedelta(days=other_grace)
    breaches = 0
    candidates = (
        Obligation.objects.filter(state__in=OPEN_OBLIGATION_STATES, due_on__lt=other_cutoff)
        .exclude(kind__in=(ObligationKind.PAYMENT, ObligationKind.ACCEPTANCE))
        .select_related("contract", "contract__government", "contract__counterparty")
    )
    from govcredit.duties.models import Finding

    known = set(
        Finding.objects.filter(module="contracts", rule="obligation_not_met").values_list(
            "object_id", flat=True
        )
    )
    for ob in candidates.iterator():
        if ob.pk in known:
            continue
        with transaction.atomic():
            open_breach_finding(ob.contract, obligation=ob, as_of=as_of)
        breaches += 1
    return {"overdue": overdue, "arrears_cases": cases, "findings": cases + breaches}
