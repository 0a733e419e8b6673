"""信用周村 end to end in Chromium: search, subject, record, CSV download, a revoked record disappearing."""

import csv
import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FGJ = "周村区发展和改革局"


@pytest.fixture
def published(publish, personas, record_data):
    from govcredit.records import services

    kept = publish(document_no="周法民〔2026〕1号", facts="拖欠工程款未按判决履行。")
    gone = publish(document_no="周法民〔2026〕2号", severity="严重", facts="拒不履行生效判决。")
    honour, _, _ = services.upsert_record(
        record_data(item="commendation", document_no="周人社奖〔2026〕1号", facts="年度考核优秀，予以表彰。"),
        source_unit=personas.unit("区人社局"),
        access=personas.access(personas.hr),
        submit=True,
    )
    services.approve_record(honour, access=personas.access(personas.reviewer))
    return kept, gone


def test_search_subject_record_and_download(page, published, shot):
    kept, gone = published
    page.goto("/")
    assert "信用周村" in page.title()
    shot(page, "home")

    # Search by name from the home page.
    page.get_by_role("searchbox", name="单位名称、拼音首字母或统一社会信用代码").fill("发改")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("link", name=FGJ).is_visible()

    # Search by pinyin initials.
    page.goto("/search/?q=zcqfgj")
    assert page.get_by_role("link", name=FGJ).is_visible()
    shot(page, "search-results")

    # Open the subject.
    page.get_by_role("link", name=FGJ).click()
    page.wait_for_url("**/subjects/*/")
    assert page.get_by_role("heading", name=FGJ, level=1).is_visible()
    body = page.inner_text("main")
    assert kept.document_no in body and gone.document_no in body and "建设中" not in body
    shot(page, "subject")

    # Open a record through its permalink.
    page.get_by_role("link", name="司法判决").first.click()
    page.wait_for_url("**/records/*/")
    assert "决定文书号" in page.inner_text("main")
    shot(page, "record")

    # Download the CSV from the filtered list and check its rows.
    page.goto("/records/?severity=serious")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 CSV（Excel）").click()
    raw = Path(info.value.path()).read_bytes()  # closed at once (warnings are errors)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["决定文书号"] for r in rows] == [gone.document_no]
    assert rows[0]["主体名称"] == FGJ and rows[0]["严重程度"] == "严重"
    shot(page, "record-list")


def test_revoked_record_disappears(page, published, personas):
    from govcredit.records import services

    kept, gone = published
    page.goto(f"/records/{gone.pk}/")
    assert gone.document_no in page.inner_text("main")
    services.revoke_record(gone, access=personas.access(personas.court), reason="原判决已撤销")
    response = page.goto(f"/records/{gone.pk}/")
    assert response.status == 410
    main = page.inner_text("main")
    assert "该记录已不再公示" in main and gone.document_no not in main
    page.goto("/records/")
    assert gone.document_no not in page.inner_text("main") and kept.document_no in page.inner_text("main")
    page.goto(f"/subjects/{kept.subject.uscc}/")
    assert gone.document_no not in page.inner_text("main")


def test_ledger_page_and_citizen_script_against_live_server(page, published, live_server, shot, capsys):
    import importlib.util
    from pathlib import Path

    page.goto("/ledger/")
    assert "当前链头" in page.inner_text("main")
    shot(page, "ledger")
    path = Path(__file__).resolve().parents[2] / "tools" / "verify_ledger.py"
    spec = importlib.util.spec_from_file_location("verify_ledger", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main([live_server.url]) == 0
    assert "核验通过" in capsys.readouterr().out


#: true when no table on the page scrolls sideways inside its wrapper (issue 13, point 14)
TABLES_FIT = "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth + 1)"


def test_phone_width(phone, published, shot):
    kept, _ = published
    phone.goto("/")
    shot(phone, "phone-home")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"/subjects/{kept.subject.uscc}/")
    shot(phone, "phone-subject")
    assert phone.evaluate(TABLES_FIT), (
        "the subject's records are cards at 375 px, not a sideways-scrolling table"
    )
    phone.goto("/ledger/")
    shot(phone, "phone-ledger")
    assert phone.evaluate(TABLES_FIT) and phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"/records/{kept.pk}/")
    shot(phone, "phone-record")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto("/search/?q=zcqfgj")
    shot(phone, "phone-search")
