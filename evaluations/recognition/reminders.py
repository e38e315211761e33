""" "3 chủ động" deadlines as the daily reminders read them (notifications.reminders): a đoàn cơ sở
whose registration is still a draft or was returned, until the report deadline; a unit that
received registrations and has not reported them to the province, up to HORIZON days late."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from notifications.reminders import Obligation, lookahead, page_pattern, schedule_for, unit_chunks
from organizations.models import Organization

from .models import Campaign, Registration, RegistrationReport

HORIZON = 90  # days after a report deadline that a missing report is still chased
UNSENT = (Registration.Status.DRAFT, Registration.Status.RETURNED)


def recognition_obligations(today: date) -> Iterator[list[Obligation]]:
    for campaign in Campaign.objects.filter(report_deadline__gte=today - timedelta(days=HORIZON)).order_by("pk"):
        overview = reverse("recognition:campaign", args=[campaign.pk])
        what = f"“3 chủ động” năm {campaign.year}"
        key = f"recognition-registration:{campaign.pk}"
        if _in_window(campaign.registration_deadline, key, today, until=campaign.report_deadline):
            drafts = Registration.objects.filter(campaign=campaign, organization=OuterRef("pk"), status__in=UNSENT)
            yield from unit_chunks(
                Organization.objects.filter(Exists(drafts), status=Organization.Status.ACTIVE),
                source_key=key,
                what=f"gửi đăng ký {what}",
                due_on=campaign.registration_deadline,
                page=page_pattern("recognition:register", campaign.pk),
                overview=overview,
            )
        key = f"recognition-report:{campaign.pk}"
        if _in_window(campaign.report_deadline, key, today, until=campaign.report_deadline + timedelta(days=HORIZON)):
            received = Registration.objects.filter(campaign=campaign, receiving_unit=OuterRef("pk"))
            reported = RegistrationReport.objects.filter(campaign=campaign, unit=OuterRef("pk"))
            receivers = Organization.objects.filter(Exists(received), ~Exists(reported)).exclude(
                pk=campaign.province_id
            )
            yield from unit_chunks(
                receivers,
                source_key=key,
                what=f"báo cáo đăng ký {what} lên tỉnh",
                due_on=campaign.report_deadline,
                page=page_pattern("recognition:board", campaign.pk),
                overview=overview,
            )


def _in_window(due_on: date, key: str, today: date, *, until: date) -> bool:
    return due_on - timedelta(days=lookahead(schedule_for(key))) <= today <= until
