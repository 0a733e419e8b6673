from django_tasks import task

from .services import escalate_overdue, refresh_deadlines


@task()
def escalate_overdue_cases() -> dict:
    """Remind handlers of cases due soon and escalate overdue ones to the credit office."""
    return escalate_overdue()


@task()
def recompute_deadlines() -> int:
    """Recompute estimated deadlines (a year's holiday table may have been entered)."""
    return refresh_deadlines(only_estimated=True)
