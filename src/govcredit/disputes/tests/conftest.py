import pytest

PDF = b"%PDF-1.4\n% test evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def pdf():
    return ("证明材料.pdf", PDF)


@pytest.fixture
def record(publish):
    """A published court judgment about 区发改局 (decided 2026-06-01, repairable from 2026-09-01)."""
    return publish()


@pytest.fixture
def objection(record):
    from govcredit.disputes import services

    return services.file_objection(
        record_id=record.pk,
        applicant="周村区发展和改革局",
        contact="13800000000",
        reason="判决已于2026年7月履行完毕，记录内容与事实不符。",
        files=[("判决履行证明.pdf", PDF)],
    )


@pytest.fixture
def repair_case(record):
    from govcredit.disputes import services

    return services.file_repair(
        record_id=record.pk,
        applicant="周村区发展和改革局",
        contact="dept@example.com",
        measures_taken="已全额支付工程款并公开致歉，消除不良影响。",
        obligations_fulfilled=True,
        commitment_confirmed=True,
        files=[("付款凭证.pdf", PDF)],
    )
