"""The audit log as an auditor reads it (issue 13 point 7): Chinese action names and object types
(a filter by 信用记录 finds records), before/after as a field-by-field table with Chinese field
names and values, logins as their own filterable kind, and the export saying the same."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from govcredit.core.ledger import log_action
from govcredit.core.models import AuditEntry
from govcredit.office import audit


def _auditor(client, personas):
    client.force_login(personas.auditor)
    return client


def _login_entries(personas):
    log_action(
        "govcredit.user.login_failed", actor=None, object_type="accounts.user", summary="court 登录失败"
    )
    log_action("govcredit.user.login", actor=personas.court, obj=personas.court, summary="登录")


def test_a_filter_by_the_chinese_object_type_finds_the_records(client, personas, publish):
    record = publish()
    response = _auditor(client, personas).get("/office/audit/", {"object_type": "信用记录"})
    entries = list(response.context["page_obj"].object_list)
    assert entries and {e.object_type for e in entries} == {"records.creditrecord"}
    assert str(record.pk) in {e.object_id for e in entries}
    body = response.content.decode()
    assert (
        "信用记录 #" in body and 'list="audit-object-types"' in body and '<option value="信用记录">' in body
    )
    # The technical name still works; a name nobody has gives an empty list, not an error.
    technical = client.get("/office/audit/", {"object_type": "records.creditrecord"})
    assert len(technical.context["page_obj"].object_list) == len(entries)
    assert not client.get("/office/audit/", {"object_type": "不存在的对象"}).context["page_obj"].object_list


def test_changes_are_a_table_with_chinese_field_names_and_values(client, personas, publish):
    record = publish()
    entry = AuditEntry.objects.filter(object_type="records.creditrecord", object_id=str(record.pk)).order_by(
        "-sequence"
    )[0]
    rows = {c.key: c for c in audit.changes(entry.object_type, entry.before, entry.after)}
    assert rows["status"].label == "状态"
    assert rows["status"].before == "待审核" and rows["status"].after == "已公示"
    body = _auditor(client, personas).get("/office/audit/", {"object_id": record.pk}).content.decode()
    assert '<th scope="col">字段</th><th scope="col">变更前</th><th scope="col">变更后</th>' in body
    assert '<th scope="row" title="status">状态</th>' in body


def test_unknown_keys_and_payloads_still_show(db):
    rows = audit.changes(
        "accounts.user", {"is_active": True, "whatever": 1}, {"is_active": False, "whatever": 2}
    )
    assert [(c.label, c.before, c.after) for c in rows] == [("有效", "是", "否"), ("whatever", "1", "2")]
    assert [(c.label, c.before, c.after) for c in audit.changes("", "旧", "新")] == [("", "旧", "新")]
    assert audit.changes("", None, None) == []


def test_logins_are_their_own_kind(client, personas, publish):
    publish()
    _login_entries(personas)
    response = _auditor(client, personas).get("/office/audit/", {"kind": "login"})
    actions = {e.action for e in response.context["page_obj"].object_list}
    assert actions == {"govcredit.user.login", "govcredit.user.login_failed"}
    body = response.content.decode()
    assert "登录与会话" in body and "登录失败" in body and 'aria-current="page">登录与会话' in body
    business = client.get("/office/audit/", {"kind": "business"}).context["page_obj"].object_list
    assert business and not {e.action for e in business} & set(audit.LOGIN_ACTIONS)
    assert all(audit.kind_of(e.action) == "business" for e in business)
    # A kind nobody knows is a form error answered with an empty list, never a 500.
    assert client.get("/office/audit/", {"kind": "nope"}).status_code == 200


def test_every_kind_counts_each_entry_once(client, personas, publish):
    publish()
    _login_entries(personas)
    log_action("govcredit.record.exported", actor=personas.court, summary="导出")
    total = AuditEntry.objects.count()
    assert sum(AuditEntry.objects.filter(audit.kind_filter(k.key)).count() for k in audit.KINDS) == total
    for entry in AuditEntry.objects.all():
        assert AuditEntry.objects.filter(audit.kind_filter(audit.kind_of(entry.action)), pk=entry.pk).exists()


def test_the_export_reads_like_the_page(client, personas, publish):
    publish()
    _login_entries(personas)
    response = _auditor(client, personas).get("/office/audit/", {"object_type": "信用记录", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    header = rows[0]
    assert header[:4] == ("序号", "时间（北京时间）", "类别", "操作人")
    kind, object_type, changes = (
        header.index("类别"),
        header.index("对象类型"),
        header.index("变更（字段：前 → 后）"),
    )
    assert {r[object_type] for r in rows[1:]} == {"信用记录"}
    assert {r[kind] for r in rows[1:]} == {"业务操作"}
    assert any("状态：待审核 → 已公示" in (r[changes] or "") for r in rows[1:])
    logins = list(
        load_workbook(
            BytesIO(client.get("/office/audit/", {"kind": "login", "export": "xlsx"}).content)
        ).active.values
    )
    assert len(logins) == 3 and {r[kind] for r in logins[1:]} == {"登录与会话"}
