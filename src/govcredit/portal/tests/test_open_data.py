import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from govcredit.portal.exports import excel_safe
from govcredit.records import services

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_csv_is_excel_friendly_and_escapes_formulas(client, publish):
    record = publish(facts='=HYPERLINK("http://evil") 拖欠工程款', outcome="+1 罚款")
    response = client.get("/open-data/records.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = streamed(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["记录编号", "主体名称", "主体代码"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["记录编号"] == str(record.pk)
    assert row["主体名称"] == "周村区发展和改革局"
    assert row["失信（守信）事实"].startswith("'=HYPERLINK")
    assert row["处理结果"] == "'+1 罚款"
    assert row["链接"].endswith(f"/records/{record.pk}/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+x", "'+x"), ("-2", "'-2"), ("@A1", "'@A1"), ("正常", "正常"), ("", "")],
)
def test_excel_safe(value, expected):
    assert excel_safe(value) == expected


def test_csv_follows_list_filters(client, publish):
    publish(document_no="周法民〔2026〕1号", severity="一般")
    publish(document_no="周法民〔2026〕2号", severity="严重")
    raw = streamed(client.get("/open-data/records.csv", {"type": "negative", "severity": "serious"}))
    text = raw.decode("utf-8-sig")
    assert "周法民〔2026〕2号" in text and "周法民〔2026〕1号" not in text


def test_csv_masks_people(client, civil_servant_record):
    text = streamed(client.get("/open-data/records.csv")).decode("utf-8-sig")
    assert "张*明" in text and "张三明" not in text
    assert civil_servant_record.id_number not in text
    assert civil_servant_record.subject.public_id in text


def test_json_download(client, publish, personas):
    record = publish()
    revoked = publish(document_no="周法民〔2026〕5号")
    services.revoke_record(revoked, access=personas.access(personas.court), reason="文书有误")
    data = json.loads(streamed(client.get("/open-data/records.json")))
    assert [item["id"] for item in data["items"]] == [record.pk]
    item = data["items"][0]
    assert item["document_no"] == record.document_no and item["subject"]["name"] == "周村区发展和改革局"
    assert item["under_objection"] is False


def test_empty_downloads_are_valid(client, reference):
    assert json.loads(streamed(client.get("/open-data/records.json")))["items"] == []
    rows = list(csv.reader(io.StringIO(streamed(client.get("/open-data/records.csv")).decode("utf-8-sig"))))
    assert len(rows) == 1


def test_atom_feed_publications_and_withdrawals(client, publish, personas):
    kept = publish(document_no="周法民〔2026〕1号")
    gone = publish(document_no="周法民〔2026〕2号", facts="一段不应再出现的事实描述")
    services.revoke_record(gone, access=personas.access(personas.court), reason="文书有误")
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert len(titles) == 3
    assert any(t.startswith("撤下公示") for t in titles)
    assert any(kept.document_no in t for t in titles)
    # The withdrawn record's entries (its publication too) show no details any more.
    assert gone.document_no not in body and "一段不应再出现的事实描述" not in body


def test_open_data_page_documents_everything(client, reference):
    body = client.get("/open-data/").content.decode()
    for needle in (
        "/open-data/records.csv",
        "/open-data/records.json",
        "/feed.atom",
        "/api/v1/public/subjects",
        "/api/v1/public/records/{id}",
        "/api/v1/public/ledger/head",
        "UTF-8 带 BOM",
    ):
        assert needle in body
