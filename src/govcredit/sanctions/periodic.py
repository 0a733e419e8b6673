"""Periodic jobs: overdue rectification escalation (hourly) and ending sanctions whose term is over.

Both are safe with two workers: each row is claimed by a compare-and-swap update
(``escalated_at`` NULL → now; ``status`` active → ended) inside its own transaction.
"""

from .tasks import end_sanctions, escalate_overdue_rectifications

JOBS = [(escalate_overdue_rectifications, 3600), (end_sanctions, 3600)]
