from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from evaluations.recognition import services
from organizations.audit import history


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(15)))


def test_the_district_reports_its_registrations_on_time(flow, campaign, tree, users):
    flow.submitted()
    report = services.report_send(
        campaign=campaign, unit=tree.district, by=users.district_approver, now=_at(campaign.report_deadline)
    )
    assert report.registrant_count == 1 and report.is_late is False
    assert history(report).filter(action="report_send").exists()


def test_drafts_are_not_reported(flow, campaign, tree, users):
    flow.draft()
    report = services.report_send(campaign=campaign, unit=tree.district, by=users.district_approver)
    assert report.registrant_count == 0


def test_a_report_after_the_deadline_is_late_and_a_resend_replaces_it(flow, campaign, tree, users):
    services.report_send(
        campaign=campaign, unit=tree.district, by=users.district_approver, now=_at(campaign.report_deadline)
    )
    flow.submitted()
    report = services.report_send(
        campaign=campaign, unit=tree.district, by=users.district_approver, now=_at(date(campaign.year - 1, 10, 16))
    )
    assert report.is_late is True and report.registrant_count == 1
    assert history(report).filter(action="report_resend").exists()


@pytest.mark.parametrize("who", ["grassroots_approver", "outsider", "province_staff"])
def test_it_refuses_others(campaign, tree, users, who):
    with pytest.raises(PermissionDenied):
        services.report_send(campaign=campaign, unit=tree.district, by=getattr(users, who))


def test_the_province_does_not_report_to_itself(campaign, tree, users):
    with pytest.raises(PermissionDenied):
        services.report_send(campaign=campaign, unit=tree.province, by=users.province_approver)
