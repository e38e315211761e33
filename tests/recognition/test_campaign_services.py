from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.recognition import services
from evaluations.recognition.models import Campaign
from organizations.audit import history


def test_it_seeds_the_standard_three_criteria_and_default_deadlines(campaign, year):
    assert [c.number for c in campaign.criteria.all()] == [1, 2, 3]
    assert campaign.criteria.first().title.startswith("Chủ động quản lý đoàn viên")
    assert campaign.registration_deadline == date(year - 1, 10, 10)
    assert campaign.report_deadline == date(year - 1, 10, 15)
    assert "3 chủ động" in campaign.name
    assert history(campaign).filter(action="campaign_create").exists()


def test_it_allows_the_four_criteria_variant(tree, users, year):
    campaign = services.campaign_create(province=tree.province, year=year, variant="4", by=users.province_admin)
    assert campaign.criteria.count() == 4
    assert "4 chủ động" in campaign.name


def test_it_refuses_a_second_campaign_the_same_year(campaign, tree, users, year):
    with pytest.raises(ValidationError, match="đã có đợt"):
        services.campaign_create(province=tree.province, year=year, by=users.province_approver)


@pytest.mark.parametrize("who", ["district_approver", "province_staff", "outsider", "grassroots_approver"])
def test_it_refuses_anyone_but_the_province_standing_office(tree, users, year, who):
    with pytest.raises(PermissionDenied):
        services.campaign_create(province=tree.province, year=year, by=getattr(users, who))


def test_it_refuses_a_report_deadline_before_the_registration_deadline(tree, users, year):
    with pytest.raises(ValidationError, match="Hạn báo cáo"):
        services.campaign_create(
            province=tree.province,
            year=year,
            by=users.province_approver,
            registration_deadline=date(year - 1, 10, 20),
            report_deadline=date(year - 1, 10, 15),
        )


def test_the_province_writes_sub_criteria_and_adds_a_criterion_before_registrations(campaign, users):
    first = campaign.criteria.get(number=1)
    services.criterion_save(
        campaign=campaign,
        criterion=first,
        title=first.title,
        sub_criteria="100% chi đoàn có sổ",
        by=users.province_approver,
    )
    first.refresh_from_db()
    assert first.sub_criteria == "100% chi đoàn có sổ"
    added = services.criterion_save(campaign=campaign, title="Chủ động thực hiện nhiệm vụ", by=users.province_approver)
    assert added.number == 4


def test_it_refuses_new_criteria_once_a_registration_is_sent(campaign, flow, users):
    flow.submitted()
    with pytest.raises(ValidationError, match="không thể thêm"):
        services.criterion_save(campaign=campaign, title="Thêm", by=users.province_approver)


def test_it_refuses_criteria_edits_by_a_district(campaign, users):
    with pytest.raises(PermissionDenied):
        services.criterion_save(
            campaign=campaign, title="Sửa", criterion=campaign.criteria.first(), by=users.district_approver
        )


def test_it_deletes_a_criterion_while_nothing_is_sent(campaign, users):
    services.criterion_delete(criterion=campaign.criteria.get(number=3), by=users.province_approver)
    assert Campaign.objects.get(pk=campaign.pk).criteria.count() == 2


def test_only_a_province_level_unit_runs_a_campaign(tree, users, year):
    with pytest.raises(ValidationError, match="chỉ cấp tỉnh"):
        services.campaign_create(province=tree.district, year=year, by=users.superuser)
