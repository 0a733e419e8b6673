from django_tasks import task

from .scanner import scan


@task()
def scan_duties() -> dict:
    """The nightly duty scan: reminder ladder, then each module's own scan."""
    return scan()
