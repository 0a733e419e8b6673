"""Service items (promised ≤ legal), 办件 clocks with excluded intervals and the 一次性告知 flags, the CSV
import's problem report, monthly efficiency, 蜗牛奖 nominations with the cases, award, appeal."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command
from django.test import Client

from govcredit.efficiency import services
from govcredit.efficiency.models import CaseFile, ServiceItem

from .conftest import ROWS

pytestmark = pytest.mark.django_db


def test_a_promise_longer_than_the_legal_limit_is_refused(api, clerks):
    body = {
        "code": "X1",
        "name": "x",
        "unit": "区住建局",
        "kind": "promised",
        "legal_days": 10,
        "promised_days": 12,
    }
    r = api(clerks.zj).post("/api/v1/service-items", body)
    assert r.status_code == 422
    assert "不能超过法定办结时限" in str(r.json())
    assert not ServiceItem.objects.exists()
    assert api(clerks.zj).post("/api/v1/service-items", {**body, "promised_days": 8}).status_code == 201
    assert (
        api(clerks.sw).post("/api/v1/service-items", {**body, "code": "X2", "promised_days": 8}).status_code
        == 403
    )


def test_case_clocks_overruns_excluded_intervals_and_notice_flags(api, clerks, item):
    r = api(clerks.zj).post("/api/v1/service-cases/import", {"rows": ROWS})
    assert r.status_code == 200 and r.json()["created"] == 6, r.json()
    cases = {c.case_no: c for c in CaseFile.objects.all()}
    assert cases["A1"].overrun_days == 0 and cases["A1"].working_days == 4
    assert str(cases["A2"].due_on) == "2026-11-09" and cases["A2"].overrun_days == 5
    assert cases["A3"].overrun_days == 0 and "专家评审" in cases["A3"].due_explain
    assert cases["A4"].repeated_notice and cases["A4"].late_notice
    rows = api(clerks.zj).get("/api/v1/service-cases/efficiency", period="2026-11").json()["items"]
    assert rows[0]["unit"] == "周村区住房和城乡建设局" and rows[0]["cases"] == 6 and rows[0]["overruns"] == 3
    assert rows[0]["on_time_percent"] == "50.0"


def test_import_problems_are_reported_and_nothing_half_saved(api, clerks, item, tmp_path):
    bad = [
        {"case_no": "B1", "item": "NOPE", "received_on": "2026-11-02"},
        {"case_no": "B2", "item": "ZJ-XK-001", "received_on": "2026-11-10", "completed_on": "2026-11-02"},
        {"case_no": "B3", "item": "ZJ-XK-001", "received_on": "2026-11-02", "completed_on": "2026-11-05"},
    ]
    r = api(clerks.zj).post("/api/v1/service-cases/import", {"rows": bad}).json()
    assert r["created"] == 1 and r["rejected"] == 2
    assert {p["line"] for p in r["problems"]} == {2, 3}
    assert CaseFile.objects.count() == 1
    f = tmp_path / "cases.csv"
    f.write_text(
        "办件编号,事项编码,受理日期,办结日期\nC1,ZJ-XK-001,2026-11-02,2026-11-04\nC2,ZJ-XK-001,坏日期,\n",
        encoding="gbk",
    )
    report = tmp_path / "report.csv"
    with pytest.raises(SystemExit) as exit_:
        call_command("efficiency", "import", str(f), "--report", str(report))
    assert exit_.value.code == 1
    text = report.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "行号,列,原因,原值" and "3,受理日期" in text
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("efficiency", "import", str(junk))
    assert exit_.value.code == 2


def test_snail_nominations_name_the_cases_and_the_award_runs_to_appeal(api, personas, clerks, item):
    services.import_cases(ROWS)
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("snail", "nominate", "--period", "2026Q4", stdout=out)
    text = out.getvalue()
    assert (
        "周村区住房和城乡建设局" in text
        and "按时办结率50.0%" in text
        and "A2" in text
        and "超期5个工作日" in text
    )
    center = api(clerks.center)
    r = center.post(
        "/api/v1/snail-awards",
        {
            "period": "2026Q4",
            "unit": "区住建局",
            "reasons": "办事拖沓，超期办结3件",
            "decided_on": "2026-12-01",
        },
    )
    assert r.status_code == 201, r.json()
    award = r.json()
    assert {c["case_no"] for c in award["evidence"]["worst_cases"]} == {"A2", "A4", "A5"}
    assert (
        api(clerks.zj)
        .post("/api/v1/snail-awards", {"period": "2026Q4", "unit": "区商务局", "reasons": "x"})
        .status_code
        == 403
    )
    assert (
        center.post(
            "/api/v1/snail-awards", {"period": "2026Q4", "unit": "区住建局", "reasons": "again"}
        ).status_code
        == 409
    )
    assert (
        center.post(
            "/api/v1/snail-awards", {"period": "2026Q9", "unit": "区住建局", "reasons": "x"}
        ).status_code
        == 422
    )
    r = center.post(f"/api/v1/snail-awards/{award['id']}/publish")
    assert r.status_code == 200 and r.json()["appeal_due"]
    assert (
        api(clerks.sw).post(f"/api/v1/snail-awards/{award['id']}/appeal", {"reason": "x"}).status_code == 403
    )
    r = api(clerks.zj).post(f"/api/v1/snail-awards/{award['id']}/appeal", {"reason": "A2 超期因申请人补材料"})
    assert r.status_code == 200 and r.json()["status"] == "appealed"
    assert (
        api(clerks.zj).post(f"/api/v1/snail-awards/{award['id']}/appeal", {"reason": "again"}).status_code
        == 409
    )
    r = center.post(
        f"/api/v1/snail-awards/{award['id']}/answer", {"upheld": True, "answer": "补材料期间已扣除，仍超期"}
    )
    assert r.json()["status"] == "upheld"
    r = center.post(
        f"/api/v1/snail-awards/{award['id']}/rectified",
        {"follow_up": "压缩审批环节", "rectified_on": "2026-12-03"},
    )
    assert r.json()["status"] == "rectified"
    public = api(None).get("/api/v1/public/snail-awards").json()
    assert public["count"] == 1 and public["items"][0]["follow_up"] == "压缩审批环节"


def test_pages_with_the_chart(clerks, item):
    services.import_cases(ROWS)
    page = Client().get("/efficiency/?period=2026-11")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="efficiency-chart"' in html and "chart.umd.min.js" in html and "efficiency-data" in html
    assert Client().get("/efficiency/snail/").status_code == 200
    c = Client()
    c.force_login(clerks.zj)
    for url in (
        "/office/efficiency/?period=2026-11",
        "/office/efficiency/items/",
        "/office/efficiency/cases/?overrun=1",
        "/office/efficiency/awards/?period=2026Q4",
    ):
        assert c.get(url).status_code == 200, url
    assert c.get("/office/efficiency/?period=2026-11&export=xlsx").status_code == 200
    assert "A2" in c.get("/office/efficiency/awards/?period=2026Q4").content.decode()
