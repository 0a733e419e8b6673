"""Periodic jobs of the exchange, enqueued by the scheduler in `govcredit serve` (core/periodic.py).

Delivery runs every 2 s (the scheduler ticks every second, a worker polls every second), so a new
event leaves within about 4 s while the receiver answers; each run drains what is due.
"""

from .tasks import deliver_outbox, prune_task_results

DELIVERY_EVERY_SECONDS = 2

JOBS = [
    (deliver_outbox, DELIVERY_EVERY_SECONDS),
    (prune_task_results, 3600),
]
