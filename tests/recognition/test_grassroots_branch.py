"""A chi đoàn cơ sở registers for "3 chủ động" like a đoàn cơ sở (issue 15: it is a tổ chức cơ sở
Đoàn), with the district or province above it receiving, following and deciding; the campaign's
report gives it a row and counts it among the units that may register."""

import pytest
from django.core.exceptions import ValidationError

from evaluations.recognition import reporting, selectors, services
from evaluations.recognition.models import Registration
from tests.factories import make_user
from tests.grassroots import make_grassroots_branch

from .conftest import plans_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(tree):
    return {
        "district": make_grassroots_branch(tree.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bệnh viện Đại Từ"),
        "province": make_grassroots_branch(tree.province, "T1-CDCS2", "Chi đoàn cơ sở Công ty Gang thép"),
    }


@pytest.fixture
def secretary(units):
    return make_user("bithu.cdcs", "secretary", units["district"])


def _url(campaign, code):
    return f"/3-chu-dong/dot/{campaign.pk}/dang-ky/{code}/"


def test_its_secretary_registers_it_through_the_page(login, campaign, units, secretary):
    form = {f"plan_{c.pk}": f"Kế hoạch {c.number}" for c in campaign.criteria.all()} | {"submit": "1"}
    client = login(secretary)
    assert client.get(_url(campaign, "T1-H1-CDCS1")).status_code == 200
    response = client.post(_url(campaign, "T1-H1-CDCS1"), form)
    reg = Registration.objects.get(organization=units["district"])
    assert response.status_code == 302 and reg.status == Registration.Status.SUBMITTED


def test_its_registration_goes_to_the_unit_above_and_is_decided_there(tree, flow, units, secretary):
    reg = flow.draft(org=units["district"], by=secretary)
    assert reg.receiving_unit == tree.district
    reg, decision = flow.decided(org=units["district"], by=secretary)  # accepted, evaluated, decided there
    assert reg.status == Registration.Status.RECOGNISED and decision.issued_by == tree.district


def test_one_under_the_province_registers_with_the_province(tree, campaign, units):
    secretary = make_user("bithu.gangthep", "secretary", units["province"])
    reg = services.registration_save(
        campaign=campaign, organization=units["province"], plans=plans_for(campaign), by=secretary
    )
    assert reg.receiving_unit == tree.province


def test_a_chi_doan_still_cannot_register(tree, users, campaign):
    with pytest.raises(
        ValidationError, match="không phải tổ chức cơ sở Đoàn: chỉ đoàn cơ sở và chi đoàn cơ sở đăng ký"
    ):
        services.registration_save(campaign=campaign, organization=tree.branch, plans={}, by=users.secretary)


def test_its_secretary_sees_it_among_the_units_to_register(secretary, units):
    assert selectors.own_units(secretary) == [units["district"]]


def test_the_report_counts_it_and_gives_one_under_the_root_its_row(tree, campaign, units, secretary):
    reg = services.registration_save(
        campaign=campaign, organization=units["district"], plans=plans_for(campaign), by=secretary
    )
    services.registration_submit(registration=reg, by=secretary)
    data = reporting.build(root=tree.province, year=campaign.year)
    by_code = {row[0]: row for row in data.tables[0].rows}
    assert by_code[tree.district.code][1:4] == [
        tree.district.name,
        2,
        1,
    ]  # its đoàn cơ sở and the chi đoàn cơ sở; one registered
    assert by_code[units["province"].code][2:4] == [1, 0]  # directly under the province: a row of its own
