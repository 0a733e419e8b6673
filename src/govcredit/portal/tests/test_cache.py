from govcredit.records import services as record_services


def test_pages_are_cached_until_public_data_changes(publish, personas, client):
    record = publish()
    url = f"/records/{record.pk}/"
    first = client.get(url)
    assert first.status_code == 200 and "X-Portal-Cache" not in first
    second = client.get(url)
    assert second["X-Portal-Cache"] == "hit" and second.content == first.content
    record_services.revoke_record(record, access=personas.access(personas.court), reason="判决被撤销")
    after = client.get(url)
    assert after.status_code == 410 and "X-Portal-Cache" not in after


def test_logged_in_users_and_posts_are_never_served_from_cache(publish, personas, client):
    publish()
    client.get("/")
    client.force_login(personas.office)
    assert "X-Portal-Cache" not in client.get("/")


def test_the_public_api_is_cached_but_case_tracking_never_is(publish, client):
    record = publish()
    url = f"/api/v1/public/records/{record.pk}"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Portal-Cache"] == "hit"
    client.get("/api/v1/public/cases/nonexistent-code-000000000000000")
    assert "X-Portal-Cache" not in client.get("/api/v1/public/cases/nonexistent-code-000000000000000")
