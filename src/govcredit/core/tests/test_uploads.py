"""The one upload check (record evidence, rectification attachments, dispute evidence)."""

from __future__ import annotations

import io

import pytest

from govcredit.core.errors import ValidationFailed
from govcredit.core.uploads import check_uploads, read_upload, stored_name, upload_problem

PDF = b"%PDF-1.7\n..."
PNG = b"\x89PNG\r\n\x1a\n...."


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("决定书.pdf", PDF, ""),
        ("照片.PNG", PNG, ""),
        ("扫描.jpeg", b"\xff\xd8\xff\xe0..", ""),
        ("版式.ofd", b"PK\x03\x04..", ""),
        ("说明.txt", b"hello", "文件「说明.txt」类型不支持，仅接受 PDF、OFD、JPG、PNG"),
        ("无后缀", PDF, "类型不支持"),
        ("空.pdf", b"", "文件「空.pdf」是空文件"),
        ("假的.pdf", b"MZ\x90\x00", "文件「假的.pdf」的内容不是有效的 PDF 文件"),
        ("假的.png", PDF, "不是有效的 PNG 文件"),
    ],
)
def test_upload_problem(name, content, expected):
    problem = upload_problem(name, content)
    assert (problem == "") if expected == "" else (expected in problem)


def test_the_size_cap_is_the_setting(settings):
    settings.GOVCREDIT_EVIDENCE_MAX_BYTES = 1024 * 1024
    assert upload_problem("a.pdf", PDF + b"x" * (1024 * 1024)) == "文件「a.pdf」超过 1 MB 上限"
    assert upload_problem("a.pdf", PDF.ljust(1024 * 1024, b"x")) == ""
    # the reader stops one byte past the cap: enough to refuse, never the whole of a huge file
    assert len(read_upload(io.BytesIO(b"x" * (3 * 1024 * 1024)))) == 1024 * 1024 + 1


def test_check_uploads_names_every_bad_file_at_once_on_its_field():
    files = [("a.pdf", PDF), ("b.txt", b"x"), ("c.png", PDF)]
    with pytest.raises(ValidationFailed) as exc:
        check_uploads(files, field="attachments", message="附件有误")
    assert exc.value.message == "附件有误"
    problems = exc.value.field_errors["attachments"]
    assert len(problems) == 2 and "b.txt" in problems[0] and "c.png" in problems[1]
    assert check_uploads(files[:1]) == files[:1]


def test_check_uploads_counts_files():
    with pytest.raises(ValidationFailed) as exc:
        check_uploads([("a.pdf", PDF)] * 3, max_files=2)
    assert exc.value.field_errors == {"evidence": ["最多上传2个文件"]}


def test_stored_name_drops_folders_and_keeps_the_suffix():
    assert stored_name("/Users/张三/决定书.pdf") == "决定书.pdf"
    assert stored_name("长" * 300 + ".pdf").endswith(".pdf") and len(stored_name("长" * 300 + ".pdf")) == 150
