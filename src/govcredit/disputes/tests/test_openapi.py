def test_openapi(db):
    from django.test import Client

    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert (
        "/api/v1/public/objections" in paths
        and "/api/v1/public/cases/{tracking_code}" in paths
        and "/api/v1/disputes/cases" in paths
    )
