import datetime as dt
import io

import pytest
from openpyxl import Workbook

from govcredit.bidding import services
from govcredit.core.crypto import sm3_hex
from govcredit.core.errors import ValidationFailed
from govcredit.records import services as records
from govcredit.sanctions.checks import verify_report


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_pre_opening_batch_check_and_bidder_report(personas, centre_clerk, violation, firm):
    record, _ = services.submit_violation(violation(), access=personas.access(centre_clerk))
    records.approve_record(record, access=personas.access(personas.reviewer))
    from govcredit.core.codes import make_uscc

    other = make_uscc("91370306", 71000099)
    content = xlsx([["统一社会信用代码"], [firm.uscc], [other], ["91370306ABC"]])
    office = personas.access(personas.office)
    bid = services.batch_check(
        file_name="投标人名单.xlsx",
        content=content,
        project_name="周村区城北路雨污分流改造工程",
        opening_on=dt.date(2026, 12, 8),
        access=office,
    )
    check = bid.credit_check
    assert check.purpose == "bidding" and (
        check.total,
        check.blocked_count,
        check.clear_count,
        check.error_count,
    ) == (3, 1, 1, 1)
    assert "开标前信用核查" in check.reason and len(bid.file_sha256) == 64
    row, row_hash = services.bidder_row(bid, 1)
    assert row["status"] == "blocked" and row_hash == sm3_hex(check.rows.get(position=1).data)
    assert verify_report(check.serial, check.digest).authentic  # the list at bid time can be proved
    pdf = services.bidder_report_pdf(bid, 1, access=office)
    assert pdf.startswith(b"%PDF")
    assert list(services.bid_checks_for(office)) == [bid]
    with pytest.raises(ValidationFailed):
        services.batch_check(
            file_name="名单.xlsx",
            content=xlsx([["代码"]]),
            project_name="x",
            opening_on=dt.date(2026, 12, 8),
            access=office,
        )
    with pytest.raises(ValidationFailed) as exc:
        services.batch_check(
            file_name="名单.xlsx", content=content, project_name="", opening_on=None, access=office
        )
    assert set(exc.value.field_errors) == {"project_name", "opening_on"}
