"""Every endpoint against its own schema (schemathesis): generated requests by a province
approver's token on the reports' small demo never get a 5xx, and every 2xx body matches the
documented shape. Unknown codes and ids answer 404/400, which the schema does not list, so the
status-code check is left to the permission tests."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.tokens import create_token
from doanhub.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _one_connection(ratings, db):
    """As Django's test client does: a request's end must not close the test's one connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def secret(users):
    return create_token(user=users.province_approver, name="schemathesis", days=1)[1]


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)  # the schema view reads no table


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_as_its_schema_says(case, secret):
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)


def test_the_schema_and_so_the_property_test_covers_every_api_route():
    """schema.parametrize() generates cases for each operation of the schema: an endpoint routed
    but missing from the schema would go untested; the schema, docs and token pages are not API."""
    import re

    from django.urls import URLPattern

    from api import urls

    pages = {"schema", "docs", "redoc", "token-create", "token-revoke"}
    routed = {
        "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + ("id" if m[1] == "pk" else m[1]) + "}", str(p.pattern))
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and p.name not in pages
    }
    documented = set(schema.raw_schema["paths"])
    assert routed == documented
    operations = {(path, method) for path, methods in schema.raw_schema["paths"].items() for method in methods}
    assert ("/api/v1/report-jobs/", "post") in operations and len(operations) == len(documented) + 1
