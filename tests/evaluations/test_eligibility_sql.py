"""The eligibility rule counted in the database (a quota's base) says what the Python rule says,
member by member, on any day: month ends, short months and leap years included."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.rules import eligibility, eligible_q, months_between
from members.models import Member
from members.validation import months_before, years_before
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

days = st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31))


@given(on=days, months=st.integers(min_value=0, max_value=36))
def test_months_before_is_the_last_day_far_enough_back(on, months):
    cutoff = months_before(on, months)
    assert months_between(cutoff, on) >= months
    assert months_between(cutoff + timedelta(days=1), on) < months


def test_months_before_clamps_to_a_shorter_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2028, 3, 31), 1) == date(2028, 2, 29)
    assert months_before(date(2026, 1, 15), 6) == date(2025, 7, 15)
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)


# Members whose dates sit on and around the edges the rule turns on (a month end, the 29th-31st).
EDGE_DATES = [
    date(2025, m, d) for m in (2, 3, 4, 8, 9) for d in (1, 28, 29, 30, 31) if d <= calendar.monthrange(2025, m)[1]
]


@pytest.fixture
def members(tree):
    made = []
    for index, admitted in enumerate(EDGE_DATES):
        made.append(
            MemberFactory(
                branch=tree.branch,
                admitted_on=admitted if index % 3 else None,  # then the chi đoàn's date is the union's
                joined_branch_on=admitted,
                is_party_member=index % 4 == 0,
                status=[Member.Status.ACTIVE, Member.Status.TRANSFERRING, Member.Status.MATURED][index % 5 % 3],
            )
        )
    return made


# the members are only read: one set serves every example
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on=st.dates(min_value=date(2025, 3, 1), max_value=date(2026, 4, 30)), months=st.sampled_from([0, 1, 6, 12]))
def test_the_database_count_is_the_rule_member_by_member(members, on, months):
    for exclude in (False, True):
        expected = {
            m.pk for m in members if eligibility(m, on=on, min_months=months, exclude_party_members=exclude).eligible
        }
        rule = eligible_q(on=on, min_months=months, exclude_party_members=exclude)
        ours = Member.objects.filter(pk__in=[m.pk for m in members])
        found = set(ours.filter(rule).values_list("pk", flat=True))
        assert found == expected, (on, months, exclude)
