"""主体管理 pages: scope per role, the create form's Chinese errors, unmasking, edits, export."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from govcredit.core.codes import make_uscc
from govcredit.core.models import AuditEntry
from govcredit.subjects import services
from govcredit.subjects.models import Subject, SubjectKind

ID_NUMBER = "11010519491231002X"


def login(client, user):
    client.force_login(user)
    return client


def person(**kw):
    unit = Subject.objects.get(name="周村区发展和改革局")
    return services.create_subject(
        services.SubjectData(
            kind=SubjectKind.CIVIL_SERVANT, name="张三明", id_number=ID_NUMBER, parent=unit, **kw
        )
    )


def test_list_filters_by_name_pinyin_and_kind(client, personas):
    login(client, personas.office)
    by_name = client.get("/office/subjects/", {"q": "发展和改革"}).context["page_obj"].object_list
    assert [s.name for s in by_name] == ["周村区发展和改革局"]
    by_initials = client.get("/office/subjects/", {"q": "zcqfgj"}).context["page_obj"].object_list
    assert "周村区发展和改革局" in [s.name for s in by_initials]
    governments = client.get("/office/subjects/", {"kind": "government"}).context["page_obj"]
    assert governments.paginator.count > 0
    assert all(s.kind == "government" for s in governments.object_list)
    placeholders = client.get("/office/subjects/", {"placeholder": "1"}).context["page_obj"]
    assert all(s.placeholder_code for s in placeholders.object_list)
    empty = client.get("/office/subjects/", {"q": "不存在的单位名称"})
    assert "没有符合条件的主体" in empty.content.decode()


def test_list_is_paged_by_20_with_bounded_queries(
    client, personas, django_assert_max_num_queries, nav_queries
):
    login(client, personas.office)
    with django_assert_max_num_queries(6 + nav_queries(personas.office)):
        response = client.get("/office/subjects/", {"sort": "-created"})
    assert len(response.context["page_obj"].object_list) <= 20
    assert (
        f"共 <strong>{response.context['page_obj'].paginator.count}</strong> 条" in response.content.decode()
    )


def test_people_are_masked_in_list_detail_and_export(client, personas):
    subject = person()
    login(client, personas.office)
    body = client.get("/office/subjects/", {"kind": "civil_servant"}).content.decode()
    assert "张*明" in body and "张三明" not in body and ID_NUMBER not in body
    detail = client.get(f"/office/subjects/{subject.pk}/").content.decode()
    assert "张三明" not in detail and ID_NUMBER not in detail and subject.id_masked in detail
    export = client.get("/office/subjects/", {"kind": "civil_servant", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.values)
    assert rows[0][0] == "名称"
    assert [r[0] for r in rows[1:]] == ["张*明"]
    assert rows[1][2] == subject.id_masked


def test_export_has_exactly_the_filtered_rows(client, personas):
    login(client, personas.office)
    response = client.get("/office/subjects/", {"kind": "government", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)[1:]
    assert len(rows) == Subject.objects.filter(kind="government").count()
    assert {r[1] for r in rows} == {"政府"}


def test_unmask_needs_the_permission_and_is_audited(client, personas):
    subject = person()
    response = login(client, personas.reviewer).post(f"/office/subjects/{subject.pk}/reveal/")
    assert response.status_code == 403
    assert "完整身份证号码" in response.content.decode()
    client.logout()
    before = AuditEntry.objects.filter(action="govcredit.pii.unmasked").count()
    response = login(client, personas.office).post(f"/office/subjects/{subject.pk}/reveal/")
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert AuditEntry.objects.filter(action="govcredit.pii.unmasked").count() == before + 1
    assert ID_NUMBER not in client.get(f"/office/subjects/{subject.pk}/").content.decode()


def test_invalid_uscc_is_refused_at_the_field_and_nothing_is_saved(client, personas):
    good = make_uscc("11370306", 94242)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    count = Subject.objects.count()
    response = login(client, personas.office).post(
        "/office/subjects/new/", {"kind": "department", "name": "周村区测试局", "uscc": bad}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "uscc" in errors and f"校验位应为 {good[17]}" in errors["uscc"][0]
    assert "校验位应为" in response.content.decode()
    assert Subject.objects.count() == count


def test_create_then_rename_confirm_and_replace_code(client, personas):
    login(client, personas.office)
    response = client.post(
        "/office/subjects/new/",
        {
            "kind": "department",
            "name": "周村区测试局",
            "uscc": make_uscc("11370306", 94243),
            "aliases": "区测试局",
        },
    )
    subject = Subject.objects.get(name="周村区测试局")
    assert response.status_code == 302 and response["Location"] == f"/office/subjects/{subject.pk}/"
    response = client.post(f"/office/subjects/{subject.pk}/rename/", {"name": "周村区新测试局", "reason": ""})
    assert response.status_code == 422 and "field-errors" in response.content.decode()
    response = client.post(
        f"/office/subjects/{subject.pk}/rename/", {"name": "周村区新测试局", "reason": "机构改革"}
    )
    assert response.status_code == 302
    detail = client.get(f"/office/subjects/{subject.pk}/").content.decode()
    assert "周村区新测试局" in detail and "周村区测试局" in detail and "机构改革" in detail

    placeholder = Subject.objects.filter(placeholder_code=True).first()
    real = make_uscc("11370306", 94244)
    assert client.post(f"/office/subjects/{placeholder.pk}/code/", {"uscc": real}).status_code == 302
    placeholder.refresh_from_db()
    assert placeholder.uscc == real and not placeholder.placeholder_code

    pending = Subject.objects.create(
        kind="department", name="待确认单位", uscc=make_uscc("11370306", 94245), needs_confirmation=True
    )
    assert client.post(f"/office/subjects/{pending.pk}/confirm/").status_code == 302
    pending.refresh_from_db()
    assert not pending.needs_confirmation


def test_tenure_is_added_for_civil_servants(client, personas):
    subject = person()
    unit = Subject.objects.get(name="周村区人力资源和社会保障局")
    response = login(client, personas.office).post(
        f"/office/subjects/{subject.pk}/tenures/new/",
        {"unit": unit.pk, "position": "科长", "start": "2025-01-01", "end": "2024-01-01"},
    )
    assert response.status_code == 422 and "不能早于开始日期" in response.content.decode()
    response = client.post(
        f"/office/subjects/{subject.pk}/tenures/new/",
        {"unit": unit.pk, "position": "科长", "start": "2025-01-01"},
    )
    assert response.status_code == 302
    assert subject.tenures.get().start == dt.date(2025, 1, 1)
    assert "科长" in client.get(f"/office/subjects/{subject.pk}/").content.decode()


def test_clerks_may_read_but_not_write(client, personas):
    subject = Subject.objects.get(name="周村区发展和改革局")
    login(client, personas.court)
    assert client.get("/office/subjects/").status_code == 200
    assert client.get(f"/office/subjects/{subject.pk}/").status_code == 200
    for url in ("/office/subjects/new/", f"/office/subjects/{subject.pk}/rename/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有信用办和系统管理员" in response.content.decode()
    assert client.post(f"/office/subjects/{subject.pk}/confirm/").status_code == 403


def test_people_outside_the_scope_are_hidden_from_clerks(client, personas):
    subject = person()
    login(client, personas.court)
    assert client.get(f"/office/subjects/{subject.pk}/").status_code == 404
    listed = client.get("/office/subjects/", {"kind": "civil_servant"}).context["page_obj"].paginator.count
    assert listed == 0
    client.logout()
    # the user of 区发改局 sees the civil servants of their own unit
    login(client, personas.dept)
    assert client.get(f"/office/subjects/{subject.pk}/").status_code == 200


def test_detail_lists_only_records_in_scope(client, personas, publish):
    record = publish()
    login(client, personas.hr)
    body = client.get(f"/office/subjects/{record.subject_id}/").content.decode()
    assert record.document_no not in body
    client.logout()
    login(client, personas.dept)
    body = client.get(f"/office/subjects/{record.subject_id}/").content.decode()
    assert record.document_no in body
