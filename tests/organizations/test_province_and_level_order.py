"""Levels are data (issue 15): the province is known by where its level hangs, not by the code
"tinh"; đoàn cơ sở lists before chi đoàn cơ sở (they share rank 3) by the levels' flags."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations.recognition import services as recognition
from evaluations.recognition.models import Campaign
from fieldwork import rules as fieldwork_rules
from organizations import selectors
from organizations.levels import LevelRoles, is_province_level, level_sort_key, province_levels
from organizations.models import Level, Post
from reports.builders.common import ChildRows, Placements
from tests.factories import make_unit, make_user
from tests.grassroots import make_grassroots_branch

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(tree):
    """A Thành đoàn whose level an administrator added with a code of its own."""
    level = Level.objects.create(code="thanh-doan", name="Thành đoàn trực thuộc Trung ương", rank=1)
    level.allowed_parents.set([Level.objects.get(code="tw")])
    Level.objects.get(code="huyen").allowed_parents.add(level)
    city = make_unit(tree.root, "TP1", "Thành đoàn Hải Phòng", "thanh-doan")
    city.officer = make_user("thuongtruc.tp", Post.Role.APPROVER, city)
    return city


def test_a_province_level_is_one_hanging_under_the_top_whatever_its_code(city):
    codes = set(province_levels().values_list("code", flat=True))
    assert codes == {"tinh", "thanh-doan"}
    assert is_province_level(city.level) and not is_province_level(Level.objects.get(code="huyen"))


def test_a_thanh_doan_opens_a_3_chu_dong_campaign_through_the_service_and_the_page(city, login):
    campaign = recognition.campaign_create(province=city, year=2031, by=city.officer)
    assert campaign.province == city
    client = login(city.officer)
    assert client.get("/3-chu-dong/dot/tao/").status_code == 200  # it may open one: the form is offered
    response = client.post("/3-chu-dong/dot/tao/", {"province": city.pk, "year": 2032, "variant": "3"})
    assert response.status_code == 302 and Campaign.objects.filter(province=city, year=2032).exists()


def test_a_district_still_cannot_open_one(tree, users):
    with pytest.raises(Exception, match="chỉ cấp tỉnh"):
        recognition.campaign_create(province=tree.district, year=2031, by=users.district_approver)


def test_the_1_2_page_offers_a_thanh_doan_its_set_up(city, login):
    assert fieldwork_rules.can_manage(city.officer, city)
    page = login(city.officer).get(reverse("fieldwork:index")).content.decode()
    assert reverse("fieldwork:setup", args=[city.code]) in page and "Thành đoàn Hải Phòng" in page


def test_doan_co_so_lists_before_chi_doan_co_so_though_they_share_a_rank(tree):
    levels = sorted(LevelRoles.load().levels.values(), key=level_sort_key)
    codes = [lv.code for lv in levels]
    assert codes.index("co-so") < codes.index("chi-doan-co-so")
    assert list(LevelRoles.load().levels.values()) == levels  # the report's levels come in that order
    # Units by their level: the district, then the đoàn cơ sở, then the chi đoàn cơ sở (a name
    # starting with "Chi" sorted before "Đoàn" by the old rank tie), each by name.
    make_grassroots_branch(tree.province, "T1-CDCS1", "Chi đoàn cơ sở Bệnh viện tỉnh", members=1)
    listed = [o.code for o in selectors.children(tree.province)]
    assert listed == ["T1-H1", "T1-CS2", "T1-CDCS1"]
    today = Placements(tree.province, {0: date.today()})  # the report's rows, as of today
    assert [u.code for u in ChildRows(tree.province, today, 0).units.values()] == listed


def test_the_ratings_report_lists_levels_in_that_order(tree, users):
    from reports.services import request_job, run_job

    make_grassroots_branch(tree.province, "T1-CDCS1", "Chi đoàn cơ sở Bệnh viện tỉnh", members=1)
    job = run_job(job_id=request_job(kind="ratings", root=tree.province, year=2025, by=users.province_admin).pk)
    by_level = next(t for t in job.result["tables"] if t["sheet"] == "Theo cấp")
    names = [row[0] for row in by_level["rows"]]
    assert names.index(Level.objects.get(code="co-so").name) < names.index(
        Level.objects.get(code="chi-doan-co-so").name
    )
