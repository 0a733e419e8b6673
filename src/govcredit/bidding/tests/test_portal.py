from django.test import Client

from govcredit.bidding import services
from govcredit.records import services as records


def test_public_list_and_archive_pages(personas, centre_clerk, violation, firm):
    assert "没有符合条件的招标投标失信记录" in Client().get("/bidding/blacklist/").content.decode()
    record, _ = services.submit_violation(violation(), access=personas.access(centre_clerk))
    records.approve_record(record, access=personas.access(personas.reviewer))
    page = Client().get("/bidding/blacklist/").content.decode()
    for text in (
        firm.name,
        "处理依据",
        "第六十八条",
        "中标无效",
        "淄博市公共资源交易中心周村分中心",
        "限制期满",
    ):
        assert text in page
    records.revoke_record(record, access=personas.access(centre_clerk), reason="复议撤销")
    assert firm.name not in Client().get("/bidding/blacklist/").content.decode()
    archive = Client().get("/bidding/blacklist/archive/?q=周联").content.decode()
    assert firm.name in archive and "已移出公告" in archive
