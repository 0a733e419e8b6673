from .tasks import escalate_overdue_cases, recompute_deadlines

JOBS = [(escalate_overdue_cases, 1800), (recompute_deadlines, 3600)]
