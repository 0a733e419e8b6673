import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_project_pages(personas, project):
    client = Client()
    client.force_login(personas.finance)
    assert project.code in client.get("/office/ppp/").content.decode()
    page = client.get(f"/office/ppp/{project.pk}/").content.decode()
    assert "识别阶段" in page and "今日无人在任" in page
    assert client.get("/office/ppp/?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
    other = Client()
    other.force_login(personas.court)
    assert other.get(f"/office/ppp/{project.pk}/").status_code == 404
