"""The rating period of tests/evaluations (chi đoàn deadline 31/10/2026, cơ sở 10/11/2026) and the
"3 chủ động" campaign of tests/recognition."""

import pytest

from tests.evaluations.conftest import make_period
from tests.fieldwork.conftest import fw  # noqa: F401  (the fieldwork fixture)
from tests.recognition.conftest import _media, campaign, district_staff, flow, year  # noqa: F401  (the campaign fixtures)


@pytest.fixture
def period(tree):
    return make_period(tree)


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DOANHUB_SITE_URL = "https://doanhub.example.vn"
