import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govcredit.exchange.models import EventStatus, InboundList, OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, personas):
    client.force_login(personas.office)
    return client


def test_event_list_shows_state_with_filters_and_empty_state(office_client, make_events):
    resp = office_client.get("/office/exchange/")
    assert resp.status_code == 200 and "还没有交换事件" in resp.content.decode()
    events = make_events(2)
    OutboxEvent.objects.filter(pk=events[0].pk).update(
        status=EventStatus.PARKED, parked_reason="对方拒收（HTTP 400）：格式错误"
    )
    page = office_client.get("/office/exchange/").content.decode()
    assert events[0].document_no in page and "已搁置" in page and "格式错误" in page
    page = office_client.get("/office/exchange/?status=parked").content.decode()
    assert events[0].document_no in page and events[1].document_no not in page
    page = office_client.get("/office/exchange/?status=delivered").content.decode()
    assert "没有符合条件的交换事件" in page
    assert office_client.get(f"/office/exchange/events/{events[0].pk}/").status_code == 200
    assert office_client.get("/office/exchange/events/999999/").status_code == 404


def test_retry_and_park_ask_first_naming_the_event(office_client, make_events):
    event = make_events(1)[0]
    page = office_client.get(f"/office/exchange/events/{event.pk}/park/").content.decode()
    assert f"搁置「{event.document_no}」" in page
    resp = office_client.post(f"/office/exchange/events/{event.pk}/park/", {"reason": ""})
    assert resp.status_code == 200 and "请填写搁置原因" in resp.content.decode()
    office_client.post(f"/office/exchange/events/{event.pk}/park/", {"reason": "市平台要求暂缓"})
    event.refresh_from_db()
    assert event.status == EventStatus.PARKED and "市平台要求暂缓" in event.parked_reason
    assert (
        f"重新投递「{event.document_no}」"
        in office_client.get(f"/office/exchange/events/{event.pk}/retry/").content.decode()
    )
    office_client.post(f"/office/exchange/events/{event.pk}/retry/")
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING


def test_staff_outside_the_office_cannot_act_and_outsiders_cannot_see(client, personas, make_events):
    event = make_events(1)[0]
    client.force_login(personas.auditor)
    assert client.get("/office/exchange/").status_code == 200
    assert client.post(f"/office/exchange/events/{event.pk}/retry/").status_code == 403
    client.force_login(personas.court)
    assert client.get("/office/exchange/").status_code == 403
    client.logout()
    assert client.get("/office/exchange/").status_code == 302


def test_reconciliation_report(office_client, make_events):
    events = make_events(3)
    OutboxEvent.objects.update(status=EventStatus.DELIVERED)
    ack = "\n".join([events[0].idempotency_key, events[1].idempotency_key, "f" * 32]).encode()
    resp = office_client.post("/office/exchange/reconcile/", {"ack_file": SimpleUploadedFile("ack.txt", ack)})
    page = resp.content.decode()
    assert resp.status_code == 200
    assert events[2].idempotency_key in page and "已投递未回执" in page and "f" * 32 in page
    resp = office_client.post(
        "/office/exchange/reconcile/", {"ack_file": SimpleUploadedFile("ack.json", b'{"x": 1}')}
    )
    assert "acknowledged" in resp.content.decode()


def test_inbound_upload_page(office_client, personas):
    from govcredit.subjects.models import Subject

    dept = Subject.objects.get(name="周村区发展和改革局")
    content = (
        "被执行人姓名/名称,证件号码,执行依据文号,发布时间\n"
        f"{dept.name},{dept.uscc},（2026）鲁0306执21号,2026-05-10\n"
    ).encode()
    assert "还没有导入过上游名单" in office_client.get("/office/exchange/inbound/").content.decode()
    resp = office_client.post(
        "/office/exchange/inbound/",
        {"kind": "dishonest_debtor", "file": SimpleUploadedFile("list.csv", content)},
    )
    imported = InboundList.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(f"/inbound/{imported.pk}/")
    page = office_client.get(resp["Location"]).content.decode()
    assert "（2026）鲁0306执21号" in page and "已提交审核" in page
    resp = office_client.post(
        "/office/exchange/inbound/",
        {"kind": "dishonest_debtor", "file": SimpleUploadedFile("bad.csv", "名称\n张三\n".encode())},
    )
    assert resp.status_code == 200 and "执行依据文号" in resp.content.decode()


def test_reconciliation_from_the_acknowledgement_endpoint(
    office_client, settings, http_exchange, make_events
):
    from govcredit.exchange.delivery import deliver_due

    settings.GOVCREDIT_EXCHANGE_ACK_URL = http_exchange.ack_url
    make_events(2)
    deliver_due()
    page = office_client.get("/office/exchange/reconcile/").content.decode()
    assert "从回执接口获取并对账" in page
    page = office_client.post("/office/exchange/reconcile/", {"source": "endpoint"}).content.decode()
    assert "对账一致" in page
    http_exchange.down()
    page = office_client.post("/office/exchange/reconcile/", {"source": "endpoint"}).content.decode()
    assert "无法连接回执接口" in page
