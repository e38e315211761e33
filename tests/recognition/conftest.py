"""Fixtures of the "3 chủ động" tests: a campaign at the test province and helpers to move a
registration along the workflow through the services."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from evaluations.recognition import services
from organizations.models import Post
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year():
    return date.today().year + 1


@pytest.fixture
def campaign(tree, users, year):
    return services.campaign_create(province=tree.province, year=year, by=users.province_approver)


@pytest.fixture
def district_staff(tree):
    """A cadre of the district, to be assigned to follow registrants."""
    return make_user("canbo.huyen", Post.Role.STAFF, tree.district, first_name="Nguyễn Văn", last_name="Theo Dõi")


def plans_for(campaign, text="Kế hoạch cụ thể"):
    return {c.pk: f"{text} {c.number}" for c in campaign.criteria.all()}


def all_met(campaign, met=True, fail_number=None):
    return {
        c.pk: services.Score(met=met and c.number != fail_number, evidence=f"Biên bản {c.number}")
        for c in campaign.criteria.all()
    }


@pytest.fixture
def flow(campaign, tree, users, district_staff):
    """Steps of the workflow for the district's đoàn cơ sở (T1-H1-CS1), each through its service."""

    def draft(org=None, by=None):
        return services.registration_save(
            campaign=campaign,
            organization=org or tree.grassroots,
            plans=plans_for(campaign),
            by=by or users.grassroots_secretary,
        )

    def submitted(org=None, by=None):
        reg = draft(org, by)
        return services.registration_submit(registration=reg, by=by or users.grassroots_secretary)

    def accepted(org=None, by=None):
        reg = submitted(org, by)
        return services.cadre_assign(registration=reg, cadre=district_staff, by=users.district_approver)

    def evaluated(org=None, by=None, fail_number=None):
        reg = accepted(org, by)
        return services.evaluation_save(
            registration=reg, scores=all_met(campaign, fail_number=fail_number), by=users.district_approver
        )

    def decided(recognised=True, org=None, by=None):
        reg = evaluated(org, by, fail_number=None if recognised else 2)
        decision = services.decision_issue(
            campaign=campaign,
            issued_by=tree.district,
            number="12-QĐ/HĐTN",
            signed_on=date.today() - timedelta(days=1),
            signer="Bí thư Huyện đoàn",
            by=users.district_approver,
            outcomes=[
                services.Outcome(registration=reg, recognised=recognised, reason="" if recognised else "Chưa đạt")
            ],
        )
        reg.refresh_from_db()
        return reg, decision

    return SimpleNamespace(draft=draft, submitted=submitted, accepted=accepted, evaluated=evaluated, decided=decided)
