from django_tasks import task

from .services import expire_due_records


@task()
def expire_records() -> int:
    """End publication of records whose display window is over."""
    return expire_due_records()
