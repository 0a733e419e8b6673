"""File imports (CLI and upload page) on top of the records' bulk service, and the problem report.

``import_file`` is the one entry point: it reads the file (reader), has ``records.bulk.upsert_rows``
validate and write the rows, writes the CSV report and answers the DESIGN §5 exit code: 0 all rows accepted,
1 some rows rejected, 2 the file itself is unreadable (nothing written).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes

from govcredit.accounts.models import Organisation
from govcredit.core.spreadsheets import formula_safe
from govcredit.records import services as records
from govcredit.records.bulk import Outcome, Summary, upsert_rows
from govcredit.records.validation import FIELD_LABELS

from .reader import FileRefused, Table, open_table

REPORT_HEADER = ("行号", "列", "原因", "原值")


def safe_cell(value) -> str:
    """A report cell Excel will never run as a formula (the rule is core.spreadsheets.formula_safe)."""
    return formula_safe("" if value is None else str(value))


def file_sm3(path: str | Path) -> str:
    digest = hashes.Hash(hashes.SM3())
    with Path(path).open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.finalize().hex()


@dataclass
class ProblemLine:
    line: int
    column: str
    reason: str
    raw: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": self.reason, "raw": self.raw}


@dataclass
class FileImportResult:
    exit_code: int
    summary: Summary = field(default_factory=Summary)
    refused: str = ""
    encoding: str = ""
    digest: str = ""
    warnings: list[str] = field(default_factory=list)
    sample: list[ProblemLine] = field(default_factory=list)  # the first problems, for screens

    @property
    def message(self) -> str:
        """One Chinese sentence saying what happened."""
        if self.refused:
            return f"文件未导入：{self.refused}"
        s = self.summary
        if s.accepted and s.changed_nothing and not s.updated:
            text = f"该文件已导入过：{s.unchanged:,} 条记录内容无变化，本次未作任何修改"
            if s.rejected:
                text += f"；退回 {s.rejected:,} 行（{s.problems:,} 个问题）"
            return text
        parts = [f"共 {s.rows:,} 行：新增 {s.created:,} 条，更新 {s.updated:,} 条，无变化 {s.unchanged:,} 条"]
        if s.submitted:
            parts.append(f"提交审核 {s.submitted:,} 条")
        if s.subjects_created:
            parts.append(f"新登记主体 {s.subjects_created:,} 个（待信用办确认）")
        if s.rejected:
            parts.append(f"退回 {s.rejected:,} 行（{s.problems:,} 个问题）")
        return "，".join(parts)


class ProblemReport:
    """Writes problems to the CSV report (UTF-8 with BOM) and keeps the first few for screens."""

    def __init__(self, path: str | Path | None, *, sample_size: int = 200):
        self.sample: list[ProblemLine] = []
        self.sample_size = sample_size
        self._fh = Path(path).open("w", encoding="utf-8-sig", newline="") if path else None  # noqa: SIM115
        self._writer = csv.writer(self._fh) if self._fh else None
        if self._writer:
            self._writer.writerow(REPORT_HEADER)

    def add(self, outcome: Outcome) -> None:
        data = outcome.data or {}
        for key, messages in outcome.errors.items():
            for message in messages:
                raw = data.get(key, "") if key else ""
                line = ProblemLine(
                    outcome.index, FIELD_LABELS.get(key, key or "整行"), message, _raw_text(raw)
                )
                if self._writer:
                    self._writer.writerow(
                        [line.line, line.column, safe_cell(line.reason), safe_cell(line.raw)]
                    )
                if len(self.sample) < self.sample_size:
                    self.sample.append(line)

    def close(self) -> None:
        if self._fh:
            self._fh.close()
            self._fh = None


def _raw_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= 500 else text[:500] + "…"


def check_source_unit(access, unit: Organisation | None) -> None:
    """The records' rule (``records.services.check_source_unit``), before a file is even stored."""
    if unit is not None:
        records.check_source_unit(access, unit)


def import_file(
    path: str | Path,
    *,
    source_unit: Organisation,
    access=None,
    submit: bool = False,
    dry_run: bool = False,
    report_path: str | Path | None = None,
    on_start: Callable[[Table], None] | None = None,
    on_progress: Callable[[int, Table], None] | None = None,
    chunk_rows: int | None = None,
    label: str = "",
) -> FileImportResult:
    """Import one exchange-format file for a source unit (see the module docstring)."""
    check_source_unit(access, source_unit)
    report = ProblemReport(report_path)
    try:
        try:
            table = open_table(path)
        except FileRefused as exc:
            return FileImportResult(exit_code=2, refused=exc.message)
        digest = file_sm3(path)
        if on_start:
            on_start(table)
        try:
            summary = upsert_rows(
                ((row.line, row.data, row.encoding_error) for row in table.rows()),
                source_unit=source_unit,
                access=access,
                submit=submit,
                dry_run=dry_run,
                label=label or Path(path).name,
                digest=digest,
                on_rejected=report.add,
                on_progress=(lambda rows: on_progress(rows, table)) if on_progress else None,
                **({"chunk_rows": chunk_rows} if chunk_rows else {}),
            )
        except FileRefused as exc:
            return FileImportResult(exit_code=2, refused=exc.message, encoding=table.encoding_label)
        if summary.rows == 0:
            return FileImportResult(
                exit_code=2,
                refused="文件只有表头，没有数据行",
                encoding=table.encoding_label,
                digest=digest,
                warnings=table.warnings,
            )
        summary.warnings = list(table.warnings)
        return FileImportResult(
            exit_code=1 if summary.rejected else 0,
            summary=summary,
            encoding=table.encoding_label,
            digest=digest,
            warnings=list(table.warnings),
            sample=report.sample,
        )
    finally:
        report.close()


# -- upload page jobs --------------------------------------------------------------------------------

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xls")
UPLOAD_MAX_BYTES = 300 * 1024 * 1024


def jobs_for(access):
    from .models import ImportJob

    qs = ImportJob.objects.select_related("source_unit", "created_by")
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    return qs.filter(source_unit_id__in=access.source_unit_ids())


def get_job_for_user(access, pk):
    from govcredit.core.errors import NotFound

    from .models import ImportJob

    try:
        return jobs_for(access).get(pk=int(pk))
    except (ImportJob.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("导入任务不存在或您无权查看") from exc


def start_upload(access, uploaded, *, source_unit: Organisation, submit: bool):
    """Keep the uploaded file privately and queue the preview (a dry run of the whole import)."""
    import secrets

    from django.conf import settings

    from govcredit.core.errors import ValidationFailed

    from .models import ImportJob
    from .tasks import preview_import

    check_source_unit(access, source_unit)
    name = Path(uploaded.name or "").name[-150:]
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationFailed("文件类型不支持", field_errors={"file": ["请上传 CSV 或 XLSX 文件"]})
    if uploaded.size > UPLOAD_MAX_BYTES:
        raise ValidationFailed("文件过大", field_errors={"file": ["文件不能超过 300 MB，请拆分后分批导入"]})
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    stored = folder / f"{token}{suffix}"
    with stored.open("wb") as fh:
        for chunk in uploaded.chunks():
            fh.write(chunk)
    job = ImportJob.objects.create(
        source_unit=source_unit,
        created_by=access.user,
        file_name=name,
        stored_path=str(stored),
        report_path=str(folder / f"{token}-report.csv"),
        submit=submit,
    )
    preview_import.enqueue(job.pk)
    return job


def confirm_job(access, job):
    """Import a previewed file for real (a background job)."""
    from govcredit.core.errors import Conflict

    from .models import ImportJob
    from .tasks import run_import

    check_source_unit(access, job.source_unit)
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEWED).update(
        state=ImportJob.State.IMPORTING, rows_done=0, progress_done=0
    )
    if updated != 1:
        raise Conflict("该导入任务已确认或已取消，请刷新页面")
    run_import.enqueue(job.pk)


def cancel_job(access, job):
    from django.utils import timezone

    from govcredit.core.errors import Conflict

    from .models import ImportJob

    check_source_unit(access, job.source_unit)
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEWED).update(
        state=ImportJob.State.CANCELLED, finished_at=timezone.now(), message="已取消，未导入任何记录"
    )
    if updated != 1:
        raise Conflict("只有待确认的导入任务可以取消")
    Path(job.stored_path).unlink(missing_ok=True)
