"""The batch import is findable (issue 13 point 4): menu entry and 工作台 tile for those who submit,
a 导入模板 (CSV and XLSX, Chinese headers, one example row that imports cleanly) and the
exchange-format rules on the page."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from govcredit.intake import formats
from govcredit.intake.services import import_file
from govcredit.records.models import CreditRecord

from .conftest import HEADERS


def test_menu_and_dashboard_lead_to_the_import_page(client, personas):
    client.force_login(personas.court)
    home = client.get("/office/").content.decode()
    assert 'href="/office/intake/"' in home and "批量导入" in home
    assert "批量导入 · 待确认" in home
    page = client.get("/office/intake/").content.decode()
    assert "数据交换格式" in page and "决定文书号" in page and "document_no" in page
    assert "/office/intake/template.xlsx" in page and "/office/intake/template.csv" in page


@pytest.mark.parametrize("persona", ["dept", "auditor"])
def test_who_does_not_submit_sees_no_import_entry(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert 'href="/office/intake/"' not in client.get("/office/").content.decode()


def test_the_csv_template_has_the_headers_and_one_example_row(client, personas, tmp_path):
    client.force_login(personas.court)
    response = client.get("/office/intake/template.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == 2

    # the example row is a valid record: importing the template as it is creates it
    path = tmp_path / "模板.csv"
    path.write_bytes(response.content)
    result = import_file(path, source_unit=personas.unit("区法院"), access=personas.access(personas.court))
    assert result.exit_code == 0 and result.summary.created == 1
    assert CreditRecord.objects.get().document_no == rows[1][HEADERS.index("决定文书号")]


def test_the_xlsx_template(client, personas):
    client.force_login(personas.hr)
    response = client.get("/office/intake/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 2
    assert [v or "" for v in rows[1]] == formats.example_row()
    assert client.get("/office/intake/template.pdf").status_code == 404


def test_the_template_is_for_submitters_only(client, personas):
    client.force_login(personas.dept)
    assert client.get("/office/intake/template.csv").status_code == 403
