"""The one place where "a record changed state" is announced.

Receivers run *inside* the transaction of the change (the outbox, sanctions and the public
transparency log must commit or roll back together with it). Keep receivers fast and
idempotent; anything slow should enqueue a task.

``record_changed`` sends: ``record`` (CreditRecord after the change), ``event`` (one of
``records.events``), ``old_status``, ``actor`` (User or None for system jobs), ``reason``,
``version`` (the RecordVersion written for the change, or None).
"""

from django.dispatch import Signal

record_changed = Signal()
