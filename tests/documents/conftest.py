"""The documents' tests build every workbook kind from the other areas' data sets: the hand-built
ratings (tests/reports) and the "3 chủ động" workflow (tests/recognition)."""

import pytest

from tests.recognition.conftest import campaign, district_staff, flow, year  # noqa: F401
from tests.reports.conftest import ratings  # noqa: F401


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _memory_broker(celery_app):
    """No job a test queues reaches a real broker."""
