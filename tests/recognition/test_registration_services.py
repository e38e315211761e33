from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluations.recognition import services
from evaluations.recognition.models import Registration
from organizations.audit import history

from .conftest import plans_for

Status = Registration.Status


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(10)))


def test_the_grassroots_secretary_registers_with_the_district(flow, tree):
    reg = flow.draft()
    assert reg.status == Status.DRAFT
    assert reg.receiving_unit == tree.district
    assert reg.plans.count() == 3


def test_a_unit_directly_under_the_province_registers_with_the_province(campaign, tree, users):
    from organizations.models import Post
    from tests.factories import make_user

    secretary = make_user("bithu.truong", Post.Role.SECRETARY, tree.direct)
    reg = services.registration_save(
        campaign=campaign, organization=tree.direct, plans=plans_for(campaign), by=secretary
    )
    assert reg.receiving_unit == tree.province


@pytest.mark.parametrize("who", ["district_approver", "secretary", "outsider", "province_approver"])
def test_only_the_unit_itself_registers(campaign, tree, users, who):
    with pytest.raises(PermissionDenied):
        services.registration_save(campaign=campaign, organization=tree.grassroots, plans={}, by=getattr(users, who))


def test_it_refuses_a_unit_that_is_not_a_grassroots_unit(campaign, tree, users):
    with pytest.raises(
        ValidationError, match="không phải tổ chức cơ sở Đoàn: chỉ đoàn cơ sở và chi đoàn cơ sở đăng ký"
    ):
        services.registration_save(campaign=campaign, organization=tree.district, plans={}, by=users.superuser)


def test_it_refuses_a_unit_of_another_province(campaign, tree, users):
    with pytest.raises(ValidationError, match="không thuộc"):
        services.registration_save(campaign=campaign, organization=tree.grassroots2, plans={}, by=users.superuser)


def test_submitting_on_time_is_not_late(flow, campaign, users):
    reg = flow.draft()
    services.registration_submit(
        registration=reg, by=users.grassroots_secretary, now=_at(campaign.registration_deadline)
    )
    reg.refresh_from_db()
    assert reg.status == Status.SUBMITTED and reg.is_late is False
    assert history(reg).filter(action="submit", to_state="Đã gửi đăng ký").exists()


def test_submitting_after_the_deadline_is_flagged_late(flow, campaign, users):
    reg = flow.draft()
    services.registration_submit(
        registration=reg, by=users.grassroots_approver, now=_at(date(campaign.year - 1, 10, 11))
    )
    reg.refresh_from_db()
    assert reg.is_late is True
    assert "muộn" in history(reg).get(action="submit").reason


def test_it_refuses_to_submit_without_a_plan_for_every_criterion(campaign, tree, users):
    first = campaign.criteria.first()
    reg = services.registration_save(
        campaign=campaign, organization=tree.grassroots, plans={first.pk: "Có kế hoạch"}, by=users.grassroots_secretary
    )
    with pytest.raises(ValidationError, match="Chưa có kế hoạch cho tiêu chí: 2"):
        services.registration_submit(registration=reg, by=users.grassroots_secretary)


def test_a_sent_registration_cannot_be_edited(flow, campaign, tree, users):
    flow.submitted()
    with pytest.raises(ValidationError, match="không sửa được"):
        services.registration_save(
            campaign=campaign, organization=tree.grassroots, plans={}, by=users.grassroots_secretary
        )


def test_it_stores_attachments_under_media_recognition(flow, users, settings):
    reg = flow.draft()
    att = services.attachment_add(
        registration=reg, by=users.grassroots_secretary, file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 test")
    )
    assert att.file.name.startswith(f"recognition/{reg.campaign.year}/{reg.pk}/")
    stored = settings.MEDIA_ROOT / att.file.name
    assert stored.exists()
    services.attachment_remove(attachment=att, by=users.grassroots_secretary)
    assert not stored.exists()


def test_it_refuses_an_executable_attachment(flow, users):
    reg = flow.draft()
    with pytest.raises(ValidationError, match="chỉ nhận"):
        services.attachment_add(
            registration=reg, by=users.grassroots_secretary, file=SimpleUploadedFile("virus.exe", b"MZ")
        )


def test_the_district_returns_and_the_unit_resubmits(flow, campaign, tree, users):
    reg = flow.submitted()
    services.registration_return(registration=reg, reason="Bổ sung chỉ tiêu", by=users.district_approver)
    assert reg.status == Status.RETURNED
    services.registration_save(
        campaign=campaign,
        organization=tree.grassroots,
        plans=plans_for(campaign, "Đã bổ sung"),
        by=users.grassroots_secretary,
    )
    services.registration_submit(registration=reg, by=users.grassroots_secretary)
    assert reg.status == Status.SUBMITTED


def test_returning_needs_a_reason(flow, users):
    reg = flow.submitted()
    with pytest.raises(ValidationError, match="lý do"):
        services.registration_return(registration=reg, reason=" ", by=users.district_approver)


def test_the_unit_cannot_accept_its_own_registration(flow, users):
    reg = flow.submitted()
    with pytest.raises(PermissionDenied):
        services.registration_accept(registration=reg, by=users.grassroots_approver)


def test_the_district_accepts(flow, users):
    reg = flow.submitted()
    services.registration_accept(registration=reg, by=users.district_approver)
    assert reg.status == Status.ACCEPTED
    assert history(reg).filter(action="accept", by=users.district_approver).exists()
