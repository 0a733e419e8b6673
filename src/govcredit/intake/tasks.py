"""Background jobs of the upload page: the preview (dry run) and the import itself."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from govcredit.accounts.permissions import Access
from govcredit.core.errors import CreditError

from .models import ImportJob
from .services import import_file

State = ImportJob.State


def _run(job: ImportJob, *, dry_run: bool):
    def on_start(table):
        ImportJob.objects.filter(pk=job.pk).update(progress_total=table.total, encoding=table.encoding_label)

    def on_progress(rows, table):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=rows, progress_done=table.done())

    return import_file(
        job.stored_path,
        source_unit=job.source_unit,
        access=Access.for_user(job.created_by),
        submit=job.submit,
        dry_run=dry_run,
        report_path=job.report_path or None,
        on_start=on_start,
        on_progress=on_progress,
        label=job.file_name,
    )


@task()
def preview_import(job_id: int) -> None:
    """Dry run: every rule applied, nothing kept; the problems are shown before confirming."""
    job = ImportJob.objects.select_related("source_unit", "created_by").get(pk=job_id)
    try:
        result = _run(job, dry_run=True)
    except CreditError as exc:
        ImportJob.objects.filter(pk=job.pk).update(state=State.FAILED, message=exc.message)
        return
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.REFUSED if result.refused else State.PREVIEWED,
        message=result.message,
        preview=result.summary.as_dict(),
        problems=[p.as_dict() for p in result.sample],
        warnings=result.warnings,
        file_sm3=result.digest,
        encoding=result.encoding,
        finished_at=timezone.now() if result.refused else None,
    )


@task()
def run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("source_unit", "created_by").get(pk=job_id)
    try:
        result = _run(job, dry_run=False)
    except CreditError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            state=State.FAILED, message=exc.message, finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            state=State.REFUSED if result.refused else State.DONE,
            message=result.message,
            result=result.summary.as_dict(),
            problems=[p.as_dict() for p in result.sample],
            finished_at=timezone.now(),
        )
