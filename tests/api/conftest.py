"""API fixtures: a client per auth kind; the reports', recognition's and fieldwork's data sets."""

import pytest
from rest_framework.test import APIClient

from api.tokens import create_token
from tests.fieldwork.conftest import fw  # noqa: F401 - the other apps' own fixtures, one copy
from tests.recognition.conftest import campaign, district_staff, flow, year  # noqa: F401
from tests.reports.conftest import _media, _memory_broker, done_job, ratings  # noqa: F401


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def bearer():
    """``bearer(user)``: a client sending a fresh personal token of ``user`` (as a province's tool would)."""

    def _client(user, days: int = 30):
        _, secret = create_token(user=user, name="Công cụ thống kê", days=days)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return _client


@pytest.fixture
def session():
    """``session(user)``: a browser's logged-in session."""

    def _client(user):
        client = APIClient()
        client.force_login(user)
        return client

    return _client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    from django.core.cache import cache

    cache.clear()
