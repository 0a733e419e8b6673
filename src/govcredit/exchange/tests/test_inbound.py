import io

import pytest
from openpyxl import Workbook

from govcredit.core.errors import PermissionDenied, ValidationFailed
from govcredit.exchange import inbound
from govcredit.exchange.models import InboundEntry, ListKind, MatchStatus
from govcredit.records.models import CreditRecord, Status
from govcredit.subjects.models import Subject

pytestmark = pytest.mark.django_db

HEADER = "被执行人姓名/名称,证件号码,执行依据文号,发布时间,作出执行依据单位,失信被执行人行为具体情形\n"


def csv_bytes(*lines, encoding="utf-8"):
    return (HEADER + "\n".join(lines) + "\n").encode(encoding)


@pytest.fixture
def dept(reference):
    return Subject.objects.get(name="周村区发展和改革局")


@pytest.fixture
def other(reference):
    return (
        Subject.objects.filter(kind="department")
        .exclude(name="周村区发展和改革局")
        .exclude(uscc=None)
        .first()
    )


def run(personas, content, name="失信被执行人.csv", **kw):
    return inbound.import_list(
        name=name,
        content=content,
        kind=ListKind.DISHONEST_DEBTOR,
        access=personas.access(personas.office),
        **kw,
    )


def test_code_matches_become_proposed_records_and_name_only_waits(personas, dept, other):
    content = csv_bytes(
        f"{dept.name},{dept.uscc},（2026）鲁0306执1号,2026-05-10,周村区人民法院,有履行能力而拒不履行",
        f"{other.name},,（2026）鲁0306执2号,2026/5/11,周村区人民法院,违反限制消费令",
        "某某外地公司,91370000MA3C00000X,（2026）鲁0306执3号,2026年5月12日,周村区人民法院,规避执行",
        f"{dept.name},{dept.uscc},,2026-05-10,周村区人民法院,缺文号",
    )
    imported = run(personas, content)
    assert (imported.total, imported.matched, imported.name_only, imported.unmatched, imported.invalid) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert imported.proposed == 1
    record = CreditRecord.objects.get(document_no="（2026）鲁0306执1号")
    assert record.status == Status.SUBMITTED and record.proposed_by == "exchange.inbound"
    assert record.subject == dept and record.item.code == "dishonest_debtor" and record.severity == "serious"
    assert record.source_unit.short_name == "区法院"
    entry = InboundEntry.objects.get(document_no="（2026）鲁0306执2号")
    assert entry.match == MatchStatus.NAME_ONLY and entry.subject == other and entry.record is None
    assert "人工确认" in entry.note
    invalid = InboundEntry.objects.get(match=MatchStatus.INVALID)
    assert "缺少执行依据文号" in invalid.note
    # A person confirms the name-only match: it is proposed too.
    confirmed = inbound.confirm_entry(entry, access=personas.access(personas.office))
    assert confirmed.match == MatchStatus.CONFIRMED and confirmed.record.status == Status.SUBMITTED
    assert CreditRecord.objects.filter(proposed_by="exchange.inbound").count() == 2


def test_duplicate_import_proposes_nothing_new(personas, dept):
    content = csv_bytes(f"{dept.name},{dept.uscc},（2026）鲁0306执7号,2026-05-10,周村区人民法院,拒不履行")
    first = run(personas, content)
    assert first.proposed == 1
    record = CreditRecord.objects.get(document_no="（2026）鲁0306执7号")
    # The reviewer rejects it; the next list still carries the line: nothing is re-proposed.
    from govcredit.records import services

    services.reject_record(record, access=personas.access(personas.reviewer), reason="名单已更新")
    second = run(personas, content)
    assert second.duplicates == 1 and second.proposed == 0 and second.matched == 0
    record.refresh_from_db()
    assert record.status == Status.REJECTED
    assert CreditRecord.objects.filter(document_no="（2026）鲁0306执7号").count() == 1


def test_gbk_csv_and_xlsx_are_read(personas, dept):
    gbk = csv_bytes(
        f"{dept.name},{dept.uscc},（2026）鲁0306执8号,2026-05-10,周村区人民法院,拒不履行", encoding="gbk"
    )
    assert run(personas, gbk).matched == 1
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    import datetime as dt

    ws.append(
        [dept.name, dept.uscc, "（2026）鲁0306执9号", dt.date(2026, 5, 13), "周村区人民法院", "拒不履行"]
    )
    buf = io.BytesIO()
    wb.save(buf)
    imported = run(personas, buf.getvalue(), name="名单.xlsx")
    assert imported.matched == 1 and imported.proposed == 1
    assert InboundEntry.objects.get(document_no="（2026）鲁0306执9号").decided_on == dt.date(2026, 5, 13)


def test_person_codes_are_stored_masked_and_encrypted(personas):
    content = csv_bytes("张三丰,370306198001011234,（2026）鲁0306执10号,2026-05-10,周村区人民法院,拒不履行")
    run(personas, content)
    entry = InboundEntry.objects.get()
    assert entry.is_person and entry.code_display == "370306********1234"
    assert "370306198001011234" not in entry.code_cipher and entry.display_name == "张*丰"


def test_bad_files_are_refused_with_field_errors(personas):
    with pytest.raises(ValidationFailed) as exc:
        run(personas, "姓名,备注\n张三,无\n".encode())
    assert "执行依据文号" in exc.value.field_errors["file"][0]
    with pytest.raises(ValidationFailed):
        run(personas, b"")
    with pytest.raises(ValidationFailed) as exc:
        inbound.import_list(
            name="x.csv",
            content=csv_bytes(),
            kind=ListKind.SERIOUS_DISHONEST,
            access=personas.access(personas.office),
        )
    assert "item" in exc.value.field_errors and "source_unit" in exc.value.field_errors


def test_only_the_credit_office_imports(personas, dept):
    content = csv_bytes(f"{dept.name},{dept.uscc},（2026）鲁0306执11号,2026-05-10,周村区人民法院,拒不履行")
    with pytest.raises(PermissionDenied):
        inbound.import_list(
            name="x.csv", content=content, kind="dishonest_debtor", access=personas.access(personas.court)
        )
