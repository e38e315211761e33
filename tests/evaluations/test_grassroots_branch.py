"""A chi đoàn cơ sở (issue 15): a tổ chức cơ sở Đoàn that holds members itself, directly under a
district. Its members are decided by it, so its quota (suất HTXSNV) is computed at it and HTXSNV is
possible; it is rated as a tổ chức cơ sở Đoàn (with its BCH) by the district above it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import rules, services
from evaluations.importers import RatingImporter
from evaluations.models import Assessment, Status, SubjectType
from evaluations.selectors import queue, quota_meter
from tests.factories import MemberFactory, make_user
from tests.grassroots import make_grassroots_branch

from .conftest import fill_and_submit
from .test_import import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdcs(tree):
    """Under the district, with five members."""
    return make_grassroots_branch(tree.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bệnh viện Đa khoa Đại Từ")


@pytest.fixture
def people(cdcs):
    return {
        "secretary": make_user("bithu.cdcs", "secretary", cdcs),
        "approver": make_user("duyet.cdcs", "approver", cdcs),
    }


def _batch(period, cdcs, people, levels, own="HTXSNV"):
    return fill_and_submit(period, cdcs, people["secretary"], levels, own_level=own)


def test_its_members_are_decided_by_it_and_it_by_the_district(tree, period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV"])
    members = batch.assessments.filter(subject_type=SubjectType.MEMBER)
    assert members.count() == 5 and {a.approving_unit_id for a in members} == {cdcs.pk}
    own = batch.assessments.get(organization=cdcs)
    assert (own.subject_type, own.approving_unit_id) == (SubjectType.GRASSROOTS, tree.district.pk)
    assert rules.member_approving_unit(cdcs) == cdcs


def test_its_quota_is_computed_at_it_and_htxsnv_is_possible(tree, period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV"])
    meter = quota_meter(period=period, approving_unit=cdcs, subject_type=SubjectType.MEMBER)
    assert (meter.base, meter.allowed) == (5, 1)  # 20 % of its own five members: one suất, not "0/0"
    assert services.submission_approve(submission=batch, by=people["approver"]) == 5
    assert Assessment.objects.get(member__branch=cdcs, final_level="HTXSNV").status == Status.APPROVED
    meter = quota_meter(period=period, approving_unit=cdcs, subject_type=SubjectType.MEMBER)
    assert (meter.used, meter.allowed) == (1, 1)


def test_it_refuses_its_members_over_its_quota_with_the_numbers(period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTNV"])
    with pytest.raises(ValidationError) as exc:
        services.submission_approve(submission=batch, by=people["approver"])
    assert "sẽ có 2 HTXSNV trên 5 (40,0%), vượt mức tối đa 20,0%" in exc.value.messages[0]
    assert not Assessment.objects.filter(status=Status.APPROVED).exists()


def test_the_district_decides_it_as_a_grassroots_organisation(tree, users, period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTTNV"] * 5)
    assert batch in queue(users.district_approver, period) and batch in queue(people["approver"], period)
    assert services.submission_approve(submission=batch, by=people["approver"]) == 5  # its members only
    batch.refresh_from_db()
    assert batch.status == Status.SUBMITTED
    assert services.submission_approve(submission=batch, by=users.district_approver) == 1
    batch.refresh_from_db()
    own = batch.assessments.get(organization=cdcs)
    assert (batch.status, own.status, own.final_level) == (Status.APPROVED, Status.APPROVED, "HTXSNV")


def test_another_grassroots_and_another_province_decide_nothing_of_it(tree, users, period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTTNV"] * 5)
    for user in (users.grassroots_approver, users.secretary, people["secretary"], users.outsider):
        with pytest.raises(PermissionDenied):
            services.submission_approve(submission=batch, by=user)
    assert batch not in queue(users.grassroots_approver, period)


def test_its_bch_is_rated_as_a_grassroots_bch_but_a_chi_doans_is_not(tree, period, cdcs, people):
    bch = services.assessment_autosave(
        period=period, by=people["secretary"], organization=cdcs, collective=True, data={"proposed_level": "HTTNV"}
    )
    assert (bch.subject_type, bch.approving_unit_id) == (SubjectType.COLLECTIVE, tree.district.pk)
    secretary = make_user("bithu.cd1", "secretary", tree.branch)
    with pytest.raises(ValidationError, match="“Chi đoàn thôn Đồng Tâm” là chi đoàn: chỉ tổ chức cơ sở Đoàn"):
        services.get_or_start(period=period, by=secretary, organization=tree.branch, collective=True)


def test_its_page_holds_members_its_own_rating_and_its_bch(login, period, cdcs, people):
    url = reverse("evaluations:unit", kwargs={"period_id": period.pk, "code": cdcs.code})
    body = login(people["secretary"]).get(url).content.decode()
    assert body.count('data-testid="member-row"') == 5
    assert 'data-testid="own-row"' in body and 'data-testid="collective-row"' in body


def test_its_page_costs_the_same_queries_with_six_times_the_members(
    login, period, cdcs, people, django_assert_max_num_queries
):
    client = login(people["secretary"])
    url = reverse("evaluations:unit", kwargs={"period_id": period.pk, "code": cdcs.code})
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    MemberFactory.create_batch(25, branch=cdcs)
    with django_assert_max_num_queries(len(five.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('data-testid="member-row"') == 30


def test_its_approver_approves_its_members_on_the_review_page(login, period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV"])
    client = login(people["approver"])
    response = client.post(reverse("evaluations:approve", args=[batch.pk]), {"everything": "1"}, follow=True)
    assert "Đã công nhận 5 phiếu" in response.content.decode()
    assert batch.assessments.get(organization=cdcs).status == Status.SUBMITTED  # the district's part


def test_its_review_page_is_404_outside_the_scope(login, users, period, cdcs, people):
    batch = _batch(period, cdcs, people, ["HTTNV"] * 5)
    assert login(users.outsider).get(reverse("evaluations:review", args=[batch.pk])).status_code == 404
    assert login(users.grassroots_approver).get(reverse("evaluations:review", args=[batch.pk])).status_code == 404


def test_a_chi_doan_under_an_intermediate_unit_still_rolls_up_to_its_doan_co_so(tree):
    assert rules.member_approving_unit(tree.branch3) == tree.direct
    assert rules.org_subject_type(tree.intermediate) == SubjectType.BRANCH
    assert rules.org_subject_type(tree.district) == SubjectType.UPPER


def test_the_ratings_import_reads_chi_doan_co_so_and_rates_its_members_at_it(tree, users, period, cdcs, tmp_path):
    member = cdcs.members.order_by("pk").first()
    rows = [[2026, "Chi đoàn cơ sở", cdcs.code, "HTTNV", ""], [2026, "Đoàn viên", member.citizen_id, "HTXSNV", ""]]
    wrong = RatingImporter(user=users.district_approver, year=2026).run(
        xlsx(tmp_path, [*rows, [2026, "Chi đoàn", cdcs.code, "HTTNV", ""]])  # it is no chi đoàn
    )
    assert [(e.row, e.message) for e in wrong.errors] == [
        (4, f"Không tìm thấy chi đoàn mã “{cdcs.code}” trong phạm vi của bạn.")
    ]
    assert not Assessment.objects.exists()  # nothing half-written
    result = RatingImporter(user=users.district_approver, year=2026).run(xlsx(tmp_path, rows))
    assert result.ok, result.errors
    own = Assessment.objects.get(organization=cdcs)
    rated = Assessment.objects.get(member=member)
    assert (own.subject_type, own.approving_unit, own.final_level) == (SubjectType.GRASSROOTS, tree.district, "HTTNV")
    assert (rated.approving_unit, rated.final_level, rated.status) == (cdcs, "HTXSNV", Status.APPROVED)
