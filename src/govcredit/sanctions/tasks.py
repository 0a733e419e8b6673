from django_tasks import task

from .services import end_due_sanctions, escalate_overdue


@task()
def escalate_overdue_rectifications() -> int:
    """Flag overdue rectification tasks and notify the superior government and the credit office."""
    return escalate_overdue()


@task()
def end_sanctions() -> int:
    """Sanctions whose end date has passed become 已期满."""
    return end_due_sanctions()
