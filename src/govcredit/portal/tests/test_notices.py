from govcredit.records import services as record_services
from govcredit.sanctions.models import CriticismNotice
from govcredit.sanctions.services import publish_notice


def test_published_notices_show_on_the_portal_until_the_record_is_withdrawn(publish, personas, client):
    record = publish(severity="严重")
    notice = CriticismNotice.objects.filter(record=record).first()
    assert notice is not None, "the default rules draft a criticism notice for a serious record"
    assert notice.title not in client.get("/notices/").content.decode()  # a draft is not public
    publish_notice(notice, access=personas.access(personas.office))
    page = client.get("/notices/").content.decode()
    assert notice.title in page and f"/records/{record.pk}/" in page
    record_services.revoke_record(record, access=personas.access(personas.court), reason="判决被撤销")
    assert notice.title not in client.get("/notices/").content.decode()
    assert "目前没有公开的通报批评" in client.get("/notices/").content.decode()
