"""Integrity checks (evaluations.integrity): each sign of an unreviewed batch, with its numbers, and
silence on normal batches (the demo data, an honest batch entered at a person's pace)."""

import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evaluations import integrity, rules
from evaluations.models import Assessment, RatingPeriod, RatingPolicy, Status, SubjectType, Submission
from members.models import Member
from organizations.models import Organization
from tests.factories import MemberFactory, make_unit, refresh_counts

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db

MIXED = ["HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTTNV", "HTNV", "HTTNV", "HTTNV", "KHTNV", "HTNV", "HTTNV", "HTNV"]


def new_branch(parent, code, size):
    """A chi đoàn of ``size`` members under ``parent`` (test set-up, counts refreshed)."""
    branch = make_unit(parent, code, f"Chi đoàn {code}", "chi-doan")
    MemberFactory.create_batch(size, branch=branch)
    refresh_counts()
    branch.refresh_from_db()
    return branch


def reported(period, branch, levels, *, points=None, own_level="HTTNV", status=Status.SUBMITTED):
    """What a unit reported, written as rows (no audit entries: nobody "typed" them): a batch of its
    members' levels (and points) and its own level, submitted (or decided)."""
    members = list(Member.objects.filter(branch=branch).order_by("pk"))
    decided = status in Assessment.DECIDED
    submission = Submission.objects.create(
        period=period,
        unit=branch,
        approving_unit=rules.member_approving_unit(branch),
        status=status,
        submitted_at=timezone.now(),
    )
    common = {"period": period, "unit": branch, "submission": submission, "status": status}
    rows = [
        Assessment(
            **common,
            subject_type=SubjectType.MEMBER,
            member=m,
            approving_unit=submission.approving_unit,
            proposed_level=level,
            final_level=level if decided else "",
            points=None if points is None else points[i],
        )
        for i, (m, level) in enumerate(zip(members, levels, strict=False))
    ]
    rows.append(
        Assessment(
            **common,
            subject_type=SubjectType.BRANCH,
            organization=branch,
            approving_unit=rules.org_approving_unit(branch),
            proposed_level=own_level,
            final_level=own_level if decided else "",
        )
    )
    Assessment.objects.bulk_create(rows)
    return submission


def flags_of(submission):
    return integrity.batch_flags([submission]).get(submission.pk, [])


def only_flag(submission) -> tuple[str, str]:
    [flag] = flags_of(submission)
    return flag.code, flag.message


def codes(submission):
    return [f.code for f in flags_of(submission)]


@pytest.fixture
def big(tree):
    return new_branch(tree.grassroots, "T1-H1-CS1-CD9", 12)


def test_it_flags_every_member_at_one_level(big, period):
    assert only_flag(reported(period, big, ["HTTNV"] * 12)) == (
        "one_level",
        "Cả 12 đoàn viên của Chi đoàn T1-H1-CS1-CD9 cùng một mức HTTNV (hoàn thành tốt nhiệm vụ): "
        "chưa thấy phân loại từng người.",
    )


def test_it_leaves_a_small_chi_doan_at_one_level_alone(tree, period):
    assert codes(reported(period, tree.branch, ["HTTNV"] * 3)) == []


def test_it_flags_identical_scores(big, period):
    assert only_flag(reported(period, big, MIXED, points=[Decimal(80)] * 12)) == (
        "same_score",
        "Cả 12 đoàn viên của Chi đoàn T1-H1-CS1-CD9 có cùng tổng điểm 80.",
    )


def test_it_flags_scores_spread_evenly_in_a_narrow_band(tree, period):
    branch = new_branch(tree.grassroots, "T1-H1-CS1-CD8", 32)
    scores = [Decimal(70 + (i * 15) // 31) for i in range(32)]  # 70…85, as even as a draw can be
    batch = reported(period, branch, (MIXED * 3)[:32], points=scores)
    [flag] = flags_of(batch)
    assert flag.code == "uniform_band"
    assert flag.message.startswith("32 điểm của đoàn viên Chi đoàn T1-H1-CS1-CD8 đều nằm trong khoảng 70–85 (rộng 15")
    assert "mỗi đoạn có 9, 8, 8, 7 điểm (từ 21,9% đến 28,1%)" in flag.message


def test_it_leaves_scores_that_gather_around_a_typical_value_alone(tree, period):
    branch = new_branch(tree.grassroots, "T1-H1-CS1-CD8", 40)
    rng = random.Random(5)
    scores = [Decimal(min(100, round(rng.gauss(82, 5)))) for _ in range(40)]
    assert codes(reported(period, branch, (MIXED * 4)[:40], points=scores)) == []


def test_it_flags_a_chi_doan_rated_above_its_members(big, period):
    levels = ["HTTNV"] * 8 + ["KHTNV"] * 3 + ["HTNV"]
    assert only_flag(reported(period, big, levels, own_level="HTXSNV")) == (
        "own_above_members",
        "Chi đoàn T1-H1-CS1-CD9 được xếp mức HTXSNV (hoàn thành xuất sắc nhiệm vụ) nhưng chỉ 9/12 đoàn viên "
        "(75,0%) hoàn thành nhiệm vụ trở lên; chi đoàn HTXSNV cần từ 90,0%.",
    )
    assert codes(reported(period, new_branch(big.parent(), "T1-H1-CS1-CD7", 3), MIXED[:3], own_level="HTXSNV")) == []


def _decided_year(tree, branch, year, excellent):
    """An earlier, decided year of the province (20 % member quota): ``excellent`` of the chi đoàn's
    members HTXSNV, the others mixed."""
    period = RatingPeriod.objects.create(
        year=year, root=tree.province, opens_on=date(year, 10, 1), locks_on=date(year, 12, 31)
    )
    RatingPolicy.objects.create(period=period, organization=tree.province, subject_type="member", quota_percent=20)
    reported(period, branch, ["HTXSNV"] * excellent + MIXED[1:], status=Status.APPROVED)


def test_it_flags_the_excellent_share_exactly_at_the_quota_three_years_running(tree, period, big):
    _decided_year(tree, big, 2024, 2)  # 12 rated: at most 2
    _decided_year(tree, big, 2025, 2)
    # 2026, being decided: the cơ sở's roll is 17 (this chi đoàn's 12 and 5 not yet rated), at most 3
    assert only_flag(reported(period, big, ["HTXSNV"] * 3 + MIXED[1:])) == (
        "cap_every_year",
        "Số đoàn viên HTXSNV do Đoàn xã Hùng Sơn công nhận đúng bằng chỉ tiêu 3 năm liền (năm 2024: 2/12, tối đa 2; "
        "năm 2025: 2/12, tối đa 2; năm 2026: 3/17, tối đa 3; chỉ tiêu 20,0%).",
    )


def test_it_leaves_two_years_at_the_quota_or_a_year_below_it_alone(tree, period, big):
    _decided_year(tree, big, 2024, 1)
    _decided_year(tree, big, 2025, 2)
    assert codes(reported(period, big, ["HTXSNV"] * 3 + MIXED[1:])) == []


def test_it_counts_the_members_not_yet_rated_in_the_year_being_decided(tree, period, big):
    _decided_year(tree, big, 2024, 2)
    _decided_year(tree, big, 2025, 2)
    # 2 of the 12 entered is at 20 % of them, but the roll of 17 still allows 3
    assert codes(reported(period, big, ["HTXSNV"] * 2 + MIXED[1:])) == []


def _caps_in_report(root) -> set[str]:
    """The units the ratings report rooted at ``root`` lists at the cap, from its integrity table."""
    from reports.builders import ratings as ratings_builder

    label = integrity.LABELS["cap_every_year"]
    data = ratings_builder.build(root=root, year=2026)
    tables = [t for t in data.tables if t.title == "Dấu hiệu cần xem lại, năm 2026"]
    return {code for t in tables for code, _, flag, *_ in t.rows if flag == label}


def test_a_report_below_the_deciding_unit_counts_all_it_decides(tree, period, big):
    # A report on one chi đoàn reads that chi đoàn's ratings, but the quota it fills is its cơ
    # sở's: counted over everything the cơ sở decides, as the queue and the province's report do.
    _decided_year(tree, big, 2024, 2)
    _decided_year(tree, big, 2025, 2)
    capped = reported(period, big, ["HTXSNV"] * 3 + MIXED[1:])
    assert _caps_in_report(big) == _caps_in_report(tree.province) == {"T1-H1-CS1-CD9"}
    other = new_branch(tree.grassroots, "T1-H1-CS1-CD7", 1)  # the roll 18: still at most 3
    reported(period, other, ["HTXSNV"])  # the cơ sở's fourth: over its quota, not at it
    assert _caps_in_report(big) == _caps_in_report(tree.province) == set()
    assert codes(capped) == []


def _enter_through_the_page(client, period, branch, levels):
    for member, level in zip(Member.objects.filter(branch=branch).order_by("pk"), levels, strict=True):
        url = reverse("evaluations:member_save", args=[period.pk, branch.code, member.pk])
        assert client.post(url, {"proposed_level": level}).status_code == 200


def test_it_flags_ratings_entered_faster_than_a_person_could(login, big, period):
    from tests.factories import make_user

    secretary = make_user("bithu.cd9", "secretary", big)
    _enter_through_the_page(login(secretary), period, big, MIXED)  # a script posting row after row
    batch = fill_and_submit(period, big, secretary, [])
    [flag] = flags_of(batch)
    assert flag.code == "fast_entry"
    assert flag.message.startswith("12 lần nhập mức đề xuất của Chi đoàn T1-H1-CS1-CD9 trong ")
    assert "giây giữa hai lần (dưới 2 giây: nhanh hơn người đọc và chọn từng phiếu)." in flag.message


def test_it_leaves_ratings_entered_at_a_persons_pace_alone(login, big, period):
    from tests.factories import make_user

    secretary = make_user("bithu.cd9", "secretary", big)
    start, ticks = timezone.now(), count()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: start + timedelta(seconds=4 * next(ticks))):
        _enter_through_the_page(login(secretary), period, big, MIXED)
    batch = fill_and_submit(period, big, secretary, [])
    times = sorted(integrity._entry_times(Q(pk__in=batch.assessments.values("pk"))).popitem()[1])
    assert len(times) == 12 and min(b - a for a, b in zip(times, times[1:], strict=False)) >= timedelta(seconds=4)
    assert codes(batch) == []


def test_a_flag_never_blocks_the_approval(login, big, users, period):
    from evaluations import services

    batch = reported(period, big, ["HTTNV"] * 12)
    assert codes(batch) == ["one_level"]
    services.assessments_approve(
        assessments=list(batch.assessments.filter(subject_type="member")),
        by=users.grassroots_approver,
        decision_number="1/QĐ",
        decision_on=date(2026, 11, 5),
    )
    assert batch.assessments.filter(status=Status.APPROVED).count() == 12


def test_the_demo_data_raises_no_flag(db):
    """Precision first: the demo's normal batches (seed_demo + demo_ratings) are not flagged."""
    call_command("seed_demo", "--members", "1500", "--seed", "7", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo_ratings", "--year", "2026", stdout=open("/dev/null", "w"))  # noqa: SIM115
    root = Organization.objects.get(depth=1)
    sent = list(Submission.objects.exclude(status=Status.DRAFT))
    assert len(sent) > 20 and max(s.assessments.count() for s in sent) >= integrity.MIN_BATCH
    assert integrity.batch_flags(sent) == {}
    assert integrity.subtree_flags(root=root, year=2026) == []
