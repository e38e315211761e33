from django.core.management import call_command
from django.urls import reverse

ENDPOINTS = [
    "/api/v1/units/",
    "/api/v1/units/{code}/",
    "/api/v1/units/{code}/children/",
    "/api/v1/members/",
    "/api/v1/ratings/",
    "/api/v1/rollups/",
    "/api/v1/recognition/",
    "/api/v1/fieldwork/",
    "/api/v1/report-jobs/",
    "/api/v1/report-jobs/{id}/",
    "/api/v1/report-jobs/{id}/download/",
]


def test_it_generates_a_valid_openapi_schema_without_warnings(tmp_path):
    # drf-spectacular checks the document against the OpenAPI 3 JSON schema; a warning fails too
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "openapi: 3" in (tmp_path / "schema.yaml").read_text()


def test_it_serves_every_endpoint_in_the_schema_with_vietnamese_descriptions(anon, db):
    response = anon.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert set(ENDPOINTS) <= set(schema["paths"])
    assert schema["paths"]["/api/v1/members/"]["get"]["summary"] == "Đoàn viên của một đơn vị"
    assert "personalToken" in schema["components"]["securitySchemes"]


def test_its_docs_pages_load_their_assets_from_the_site_not_a_cdn(anon, db):
    for name in ("api:docs", "api:redoc"):
        html = anon.get(reverse(name)).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn." not in html and "unpkg" not in html
