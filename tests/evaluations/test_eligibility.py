"""Who is rated: ≥ 6 continuous months, transferred-in members, excluded categories."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evaluations import services
from evaluations.models import RatingPolicy
from evaluations.rules import eligibility
from evaluations.selectors import roster
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 10, 1)


def check(member, **kw):
    return eligibility(
        member, on=ON, min_months=kw.get("min_months", 6), exclude_party_members=kw.get("exclude", False)
    )


def test_it_rates_a_member_with_six_months_or_more():
    member = Member(admitted_on=date(2026, 4, 1), joined_branch_on=date(2026, 4, 1))
    assert check(member).eligible


def test_it_does_not_rate_a_member_admitted_less_than_six_months_ago():
    verdict = check(Member(admitted_on=date(2026, 4, 2), joined_branch_on=date(2026, 4, 2)))
    assert (verdict.eligible, verdict.reason) == (False, "Chưa đủ 6 tháng sinh hoạt")


def test_it_rates_a_recent_transfer_in_the_new_chi_doan():
    verdict = check(Member(admitted_on=date(2020, 3, 26), joined_branch_on=date(2026, 8, 1)))
    assert verdict.eligible and verdict.transferred_in


def test_it_excludes_party_members_when_the_policy_says_so():
    member = Member(admitted_on=date(2020, 3, 26), is_party_member=True)
    assert check(member).eligible
    assert not check(member, exclude=True).eligible


def test_it_uses_the_stricter_minimum_of_a_lower_policy(tree, users, period):
    RatingPolicy.objects.create(
        period=period, organization=tree.grassroots, subject_type="member", quota_percent=20, min_months_in_branch=12
    )
    newcomer = MemberFactory(branch=tree.branch, admitted_on=date(2025, 12, 1), joined_branch_on=date(2025, 12, 1))
    rows = {r.member.pk: r for r in roster(period=period, unit=tree.branch).members}
    assert not rows[newcomer.pk].eligible
    assert rows[newcomer.pk].reason == "Chưa đủ 12 tháng sinh hoạt"
    with pytest.raises(ValidationError, match="không thuộc diện xếp loại"):
        services.assessment_autosave(
            period=period, by=users.secretary, member=newcomer, data={"proposed_level": "HTNV"}
        )


def test_it_shows_the_old_units_comment_for_a_transferred_member(tree, users, period):
    from members.models import Transfer

    moved = MemberFactory(branch=tree.branch, admitted_on=date(2019, 3, 26), joined_branch_on=date(2026, 8, 1))
    Transfer.objects.create(
        member=moved,
        from_branch=tree.branch2,
        to_branch=tree.branch,
        status="accepted",
        reason="Tích cực, hoàn thành tốt nhiệm vụ",
    )
    assessment = services.assessment_autosave(
        period=period, by=users.secretary, member=moved, data={"proposed_level": "HTTNV"}
    )
    assert assessment.previous_unit_comment == "Chi đoàn thôn Tân Lập: Tích cực, hoàn thành tốt nhiệm vụ"
    row = next(r for r in roster(period=period, unit=tree.branch).members if r.member.pk == moved.pk)
    assert row.transferred_in
