"""Uploaded files people attach (record evidence, rectification attachments, dispute evidence): the
one type / size / magic-bytes check and the one model base of a stored upload.

Every app keeps its own model (its own table, its own ``upload_to`` folder, its own owner) and
inherits ``StoredUpload``; every service checks files with ``upload_problem`` / ``check_uploads``
before saving anything, so one bad file leaves nothing half-saved."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse

from .errors import ValidationFailed

#: accepted suffix → content type (PDF, OFD, JPG, PNG: what offices scan decisions and receipts to)
UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
#: the bytes each accepted type starts with (an OFD is a zip container)
UPLOAD_MAGIC = {
    ".pdf": (b"%PDF",),
    ".ofd": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
ACCEPTED_LABEL = "PDF、OFD、JPG、PNG"
#: the longest file name kept (the tail, so the suffix survives)
NAME_LENGTH = 150


def max_upload_bytes() -> int:
    """The size cap of one file (``GOVCREDIT_EVIDENCE_MAX_BYTES``)."""
    return int(settings.GOVCREDIT_EVIDENCE_MAX_BYTES)


def read_upload(upload: Any) -> bytes:
    """The content of an uploaded file, read one byte past the cap at most (enough to refuse it)."""
    return bytes(upload.read(max_upload_bytes() + 1))


def suffix_of(name: str | None) -> str:
    return PurePath(name or "").suffix.lower()


def stored_name(name: str) -> str:
    """The file name as kept: no folders, at most ``NAME_LENGTH`` characters."""
    return PurePath(name).name[-NAME_LENGTH:]


def upload_problem(name: str, content: bytes) -> str:
    """What is wrong with one file, in Chinese naming the file, or "" when it may be stored:
    its type by suffix, its size, emptiness, and that its bytes are of the type its suffix says."""
    suffix = suffix_of(name)
    if suffix not in UPLOAD_TYPES:
        return f"文件「{name}」类型不支持，仅接受 {ACCEPTED_LABEL}"
    limit = max_upload_bytes()
    if len(content) > limit:
        return f"文件「{name}」超过 {limit // (1024 * 1024)} MB 上限"
    if not content:
        return f"文件「{name}」是空文件"
    if not content.startswith(UPLOAD_MAGIC[suffix]):
        return f"文件「{name}」的内容不是有效的 {suffix[1:].upper()} 文件"
    return ""


def check_uploads(
    files: Iterable[tuple[str, bytes]],
    *,
    field: str = "evidence",
    message: str = "上传的文件不符合要求",
    max_files: int | None = None,
) -> list[tuple[str, bytes]]:
    """The (name, content) pairs, or ``ValidationFailed`` on ``field`` listing every bad file at once
    (and too many files, when ``max_files`` is given)."""
    files = list(files or [])
    if max_files is not None and len(files) > max_files:
        raise ValidationFailed("文件过多", field_errors={field: [f"最多上传{max_files}个文件"]})
    problems = [p for p in (upload_problem(name, content) for name, content in files) if p]
    if problems:
        raise ValidationFailed(message, field_errors={field: problems})
    return files


class StoredUpload(models.Model):
    """An uploaded file kept on the storage with what the system knows of it. Subclasses declare
    ``file = models.FileField(upload_to=…)`` (their folder) and the row they belong to."""

    file: models.FileField
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def store(self, name: str, content: bytes) -> None:
        """Fill the row from a checked file and write the file to storage (the row is not saved):
        call inside the transaction that saves the row; on rollback delete ``self.file.name``."""
        self.original_name = stored_name(name)
        self.content_type = UPLOAD_TYPES.get(suffix_of(name), "application/octet-stream")
        self.size = len(content)
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.file.save(self.original_name, ContentFile(content), save=False)


def download_response(upload: StoredUpload) -> FileResponse:
    """The stored file as a download under its original name and type (the caller checks scope
    and writes the audit entry)."""
    return FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.original_name,
        content_type=upload.content_type or "application/octet-stream",
    )
