import datetime as dt

import pytest

from govcredit.records import services
from govcredit.subjects.models import Subject

pytestmark = pytest.mark.django_db

FGJ = "周村区发展和改革局"


def text(response) -> str:
    return response.content.decode()


def test_home_shows_counts_latest_and_links(client, publish):
    record = publish()
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert "公示中的失信记录" in body and "异议处理中" in body and "已信用修复" in body
    assert f"/records/{record.pk}/" in body
    for link in ("/objections/new/", "/repairs/new/", "/cases/", "/open-data/", "/ledger/"):
        assert link in body
    assert 'action="/search/"' in body


@pytest.mark.parametrize("q", ["发改", "zcqfgj", "ZCQFGJ", "ｚｃｑｆｇｊ", "区发改局"])
def test_search_by_name_initials_and_alias(client, reference, q):
    body = text(client.get("/search/", {"q": q}))
    assert FGJ in body


def test_search_by_uscc(client, reference):
    uscc = Subject.objects.get(name=FGJ).uscc
    body = text(client.get("/search/", {"q": uscc.lower()}))
    assert FGJ in body and uscc in body


def test_civil_servant_only_masked_full_name_and_with_public_record(client, civil_servant_record, personas):
    person = civil_servant_record.subject
    # A full name finds the masked person; a fragment or the ID number never does.
    body = text(client.get("/search/", {"q": "张三明"}))
    assert "张*明" in body and "张三明</a>" not in body and person.public_id in body
    assert person.public_id in text(client.get("/search/", {"q": person.public_id}))
    assert "张*明" not in text(client.get("/search/", {"q": "三明"}))
    assert "张*明" not in text(client.get("/search/", {"q": civil_servant_record.id_number}))
    page = client.get(f"/subjects/{person.public_id}/")
    assert page.status_code == 200
    assert "张*明" in text(page) and civil_servant_record.id_number not in text(page)
    assert person.id_masked not in text(page)
    # By ID number: not found.
    assert client.get(f"/subjects/{civil_servant_record.id_number}/").status_code == 404
    # Once the only record is revoked, the person disappears from the portal.
    services.revoke_record(civil_servant_record, access=personas.access(personas.hr), reason="文书送达有误")
    assert client.get(f"/subjects/{person.public_id}/").status_code == 404
    assert "张*明" not in text(client.get("/search/", {"q": "张三明"}))


def test_shared_item_about_a_person_is_never_public(client, make_person_record):
    record = make_person_record(
        name="李四", seq=23, item="disciplinary_sanction", document_no="周人社处〔2026〕9号"
    )
    assert record.status == "published" and record.disclosure == "shared"
    assert "李*" not in text(client.get("/search/", {"q": "李四"}))
    assert client.get(f"/subjects/{record.subject.public_id}/").status_code == 404
    assert client.get(f"/records/{record.pk}/").status_code == 404
    assert record.document_no not in text(client.get("/records/"))


def test_subject_page_shows_record_facts_and_report_link(client, publish):
    record = publish()
    subject = record.subject
    response = client.get(f"/subjects/{subject.uscc}/")
    assert response.status_code == 200
    body = text(response)
    for value in (record.item.name, record.document_no, record.decided_by, "2026-06-01", record.facts):
        assert value in body
    assert record.publish_until.isoformat() in body
    assert "建设中" not in body
    assert f"/subjects/{subject.uscc}/report.pdf" in body and "下载信用报告" in body


def test_subject_page_marks_objection(client, publish, personas):
    record = publish()
    services.open_objection(record, access=None, reason="主体对事实有异议")
    assert "异议处理中" in text(client.get(f"/subjects/{record.subject.uscc}/"))
    assert "异议处理中" in text(client.get(f"/records/{record.pk}/"))


def test_subject_public_id_redirects_to_uscc(client, reference):
    subject = Subject.objects.get(name=FGJ)
    response = client.get(f"/subjects/{subject.public_id}/")
    assert response.status_code == 301 and response["Location"] == f"/subjects/{subject.uscc}/"


def test_old_print_page_leads_to_the_report(client, publish):
    record = publish()
    response = client.get(f"/subjects/{record.subject.uscc}/print/")
    assert response.status_code == 302
    assert response["Location"] == f"/subjects/{record.subject.uscc}/report.pdf"


def test_record_permalink_and_withdrawal(client, publish, personas):
    record = publish()
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200
    assert record.facts in text(response) and record.document_no in text(response)
    services.revoke_record(record, access=personas.access(personas.court), reason="原判决已撤销")
    gone = client.get(f"/records/{record.pk}/")
    assert gone.status_code == 410
    body = text(gone)
    assert "已不再公示" in body
    assert record.facts not in body and record.document_no not in body


def test_never_public_record_is_404(client, personas, record_data):
    draft, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕99号"),
        source_unit=personas.unit("区法院"),
        access=personas.access(personas.court),
    )
    assert client.get(f"/records/{draft.pk}/").status_code == 404
    for bad in ("abc", "0", "-1", "99999999999999999999999", "１"):
        assert client.get(f"/records/{bad}/").status_code == 404


def test_record_list_filters_and_sorting(client, publish, personas):
    a = publish(document_no="周法民〔2026〕1号", severity="一般", decided_on=dt.date(2026, 3, 1))
    b = publish(document_no="周法民〔2026〕2号", severity="严重", decided_on=dt.date(2026, 6, 1))
    body = text(client.get("/records/", {"severity": "serious"}))
    assert b.document_no in body and a.document_no not in body
    body = text(client.get("/records/", {"date_from": "2026-01-01", "date_to": "2026-04-01"}))
    assert a.document_no in body and b.document_no not in body
    body = text(client.get("/records/", {"item": "court_judgment", "kind": "department"}))
    assert a.document_no in body and b.document_no in body
    body = text(client.get("/records/", {"unit": personas.unit("区财政局").pk}))
    assert "没有符合筛选条件的失信记录" in body
    body = text(client.get("/records/", {"sort": "decided"}))
    assert body.index(a.document_no) < body.index(b.document_no)
    body = text(client.get("/records/", {"sort": "-decided"}))
    assert body.index(b.document_no) < body.index(a.document_no)


def test_honours_list_shows_positive_items_only(client, publish, personas, record_data):
    negative = publish()
    record, _, _ = services.upsert_record(
        record_data(item="commendation", document_no="周人社奖〔2026〕1号", facts="年度考核优秀，予以表彰。"),
        source_unit=personas.unit("区人社局"),
        access=personas.access(personas.hr),
        submit=True,
    )
    services.approve_record(record, access=personas.access(personas.reviewer))
    body = text(client.get("/honours/"))
    assert "周人社奖〔2026〕1号" in body and negative.document_no not in body
    assert "周人社奖〔2026〕1号" not in text(client.get("/records/"))


@pytest.mark.parametrize(
    "query",
    [
        {"q": ""},
        {"q": "'; DROP TABLE subjects_subject; --"},
        {"q": "%' OR 1=1 --"},
        {"q": "\x00\u200b\u202e发改"},
        {"q": "🙂🙂"},
        {"q": "a" * 199},
        {"page": "-3", "q": "局"},
        {"page": "abc", "q": "局"},
        {"page": "99999999999999999999", "q": "局"},
    ],
)
def test_search_bad_input_never_500(client, reference, query):
    assert client.get("/search/", query).status_code == 200


def test_search_overlong_query_says_so_in_chinese(client, reference):
    response = client.get("/search/", {"q": "周" * 201})
    assert response.status_code == 200
    assert "搜索内容过长" in text(response)


@pytest.mark.parametrize(
    "query",
    [
        {"item": "nope", "severity": "x", "kind": "alien", "unit": "abc", "sort": "zzz"},
        {"date_from": "2026-13-45", "date_to": "yesterday"},
        {"date_from": "2026-06-01", "date_to": "2026-01-01"},
        {"q": "x" * 500},
        {"page": "0"},
        {"page": "1e9"},
        {"item": "\x00"},
    ],
)
def test_list_bad_filters_show_chinese_errors(client, reference, query):
    for path in ("/records/", "/honours/", "/open-data/records.csv", "/open-data/records.json"):
        response = client.get(path, query)
        assert response.status_code == 200, path


def test_list_bad_filter_message(client, reference):
    body = text(client.get("/records/", {"date_from": "2026-13-45", "severity": "x"}))
    assert "日期格式应为" in body and "严重程度应为" in body


def test_unknown_subject_code_is_chinese_404(client, reference):
    for code in ("NOPE", "91350100M000100Y43", "x" * 60, "%00"):
        response = client.get(f"/subjects/{code}/")
        assert response.status_code == 404
        assert "未找到该主体" in text(response)


def test_pagination_out_of_range_shows_last_page(client, reference):
    response = client.get("/search/", {"q": "局", "page": "9999"})
    assert response.status_code == 200 and "共找到" in text(response)


def test_pages_are_accessible_landmarks(client, publish):
    record = publish()
    for path in (
        "/",
        "/search/?q=zcqfgj",
        f"/subjects/{record.subject.uscc}/",
        f"/records/{record.pk}/",
        "/records/",
    ):
        body = text(client.get(path))
        assert '<main id="main"' in body and 'lang="zh-Hans"' in body and "跳至正文" in body


def test_home_count_of_records_in_publication_equals_the_list(client, publish):
    """One truth per figure: 公示中的失信记录 on the home page is the total /records/ lists, the record
    under objection included (it stays listed, marked 异议处理中), and it moves as soon as one is published."""
    import re

    from govcredit.disputes import services as disputes

    records = [publish(document_no=f"周法民〔2026〕{n}号") for n in range(1, 4)]
    disputes.file_objection(
        record_id=records[0].pk,
        applicant="周村区发展和改革局",
        contact="13800000000",
        reason="判决已于2026年7月履行完毕，记录内容与事实不符。",
    )

    def home_figure() -> int:
        body = text(client.get("/"))
        return int(re.search(r'data-testid="stat-published">([\d,]+)<', body).group(1).replace(",", ""))

    def list_total() -> int:
        body = text(client.get("/records/"))
        return int(re.search(r"共 <strong>([\d,]+)</strong> 条", body).group(1).replace(",", ""))

    assert home_figure() == list_total() == 3
    publish(document_no="周法民〔2026〕4号")
    assert home_figure() == list_total() == 4
