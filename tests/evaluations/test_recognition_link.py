"""A đoàn cơ sở's "3 chủ động" recognition beside its rating, and as a condition for excellent."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations import services
from evaluations.models import RatingPolicy, SubjectType

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def grassroots_batch(tree, users, period):
    RatingPolicy.objects.create(
        period=period,
        organization=tree.province,
        subject_type=SubjectType.GRASSROOTS,
        require_recognition_for_excellent=True,
    )
    return fill_and_submit(period, tree.grassroots, users.grassroots_secretary, [], own_level="HTXSNV")


def test_it_refuses_excellent_to_an_unrecognised_grassroots(tree, users, grassroots_batch):
    with pytest.raises(ValidationError, match="“3 chủ động” năm 2026"):
        services.submission_approve(submission=grassroots_batch, by=users.district_approver)


def test_it_accepts_excellent_once_recognised(tree, users, grassroots_batch, monkeypatch):
    from evaluations.recognition import selectors as recognition

    monkeypatch.setattr(recognition, "is_recognised", lambda org, year: org == tree.grassroots and year == 2026)
    assert services.submission_approve(submission=grassroots_batch, by=users.district_approver) == 1


def test_it_shows_the_recognition_on_the_grassroots_rating_page(login, tree, users, period, grassroots_batch):
    body = (
        login(users.district_approver)
        .get(reverse("evaluations:unit", args=[period.pk, tree.grassroots.code]))
        .content.decode()
    )
    assert "“3 chủ động” năm 2026" in body and "chưa đăng ký" in body
