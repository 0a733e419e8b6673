import pytest

from govcredit.keytasks.models import TaskReport


@pytest.fixture
def token():
    from govcredit.accounts.services import create_token

    def make(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, name='t')[1]}"}

    return make


def test_list_filters_and_pages(tracked, personas, client, token):
    auth = token(personas.office)
    body = client.get("/api/v1/tasks", **auth).json()
    assert body["count"] == 18 and len(body["items"]) == 18
    t4 = body["items"][3]
    assert t4["lead_units"] == ["区委组织部", "区人社局"] and t4["deadline"] == "2018-12-31"
    assert t4["cooperating_units"] == ["区有关部门"] and t4["status"] == "in_progress"
    t16 = body["items"][15]
    assert t16["note"] == "涉及法律、行政法规的,按照立法程序推进" and t16["deadline"] is None
    assert client.get("/api/v1/tasks?overdue=true", **auth).json()["count"] == 18
    assert client.get("/api/v1/tasks?overdue=false", **auth).json()["count"] == 0
    assert client.get("/api/v1/tasks?lead_unit=区财政局", **auth).json()["count"] == 3
    assert client.get("/api/v1/tasks?status=completed", **auth).json()["count"] == 0
    assert client.get("/api/v1/tasks?page=2", **auth).json() == {"count": 18, "items": []}
    bad = client.get("/api/v1/tasks?lead_unit=区不存在局", **auth)
    assert bad.status_code == 422 and "未找到单位" in str(bad.json()["detail"])
    assert client.get("/api/v1/tasks?page=0", **auth).status_code == 422
    assert client.get("/api/v1/tasks").status_code == 401


def test_detail_has_live_figures(tracked, personas, client, token, publish):
    publish()
    body = client.get("/api/v1/tasks/5", **token(personas.office)).json()
    fig = {f["code"]: f["value"] for f in body["figures"]}
    assert fig["records_live"] == 1 and fig["records_published"] == 1
    assert body["policy_section"] == "（八）" and body["reports"] == []
    seven = client.get("/api/v1/tasks/7", **token(personas.office)).json()
    assert {f["code"] for f in seven["figures"]} >= {"objections_on_time", "repairs_on_time", "on_time_rate"}
    assert client.get("/api/v1/tasks/19", **token(personas.office)).status_code == 404
    assert client.get("/api/v1/tasks/abc", **token(personas.office)).status_code == 404


def test_report_by_multipart(tracked, personas, client, token, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(user, number, **data):
        files = data.pop("files", [SimpleUploadedFile("台账.pdf", pdf, content_type="application/pdf")])
        payload = {"period": "2026H1", "progress": "on_track", "summary": "按计划推进。", **data}
        return client.post(f"/api/v1/tasks/{number}/reports", {**payload, "evidence": files}, **token(user))

    refused = post(personas.court, 13)
    assert refused.status_code == 403 and "不是任务13" in refused.json()["detail"]
    bad_unit = post(personas.finance, 13, unit="区不存在局")
    assert bad_unit.status_code == 422
    no_file = post(personas.finance, 13, files=[])
    assert no_file.status_code == 422 and "至少一份" in str(no_file.json()["detail"])
    assert TaskReport.objects.count() == 0
    ok = post(personas.finance, 13)
    assert ok.status_code == 201, ok.json()
    body = ok.json()
    assert (
        body["unit"] == "区财政局"
        and body["period"] == "2026H1"
        and body["evidence"][0]["name"] == "台账.pdf"
    )
    assert post(personas.finance, 13).status_code == 409
    listed = client.get("/api/v1/tasks/13", **token(personas.office)).json()
    assert listed["last_report"]["id"] == body["id"] and len(listed["reports"]) == 1
