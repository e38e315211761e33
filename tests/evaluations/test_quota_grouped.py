"""The quota meter reads a unit's ratings grouped by the database (issue 13): whatever the
statuses and levels, and whichever of them a decision changes or adds, it counts what rating
by rating the rule says."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.models import GOOD_OR_BETTER, Assessment, RatingLevel, RatingPolicy, Status, SubjectType
from evaluations.policies import effective_policy
from evaluations.selectors import eligible_member_count, quota_meter
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

LEVELS = ["", *RatingLevel.values]
rating = st.tuples(st.sampled_from(Status.values), st.sampled_from(LEVELS), st.sampled_from(LEVELS))


def by_definition(period, unit, pending: dict, basis: str) -> tuple[int, int, int]:
    """(used, waiting, base) rating by rating: a rating the decision sets takes its level and
    counts as decided; the others keep theirs (decided: the final level, else final or proposed)."""
    after = []
    for a in Assessment.objects.filter(period=period, approving_unit=unit, subject_type=SubjectType.MEMBER):
        decided = a.pk in pending or a.status in Assessment.DECIDED
        kept = a.final_level if decided else (a.final_level or a.proposed_level)
        after.append((pending.get(a.pk) or kept, decided, a.status))
    after += [(level, True, None) for key, level in pending.items() if isinstance(key, str)]
    used = sum(1 for level, decided, _ in after if decided and level == RatingLevel.HTXSNV)
    waiting = sum(
        1 for level, decided, status in after if not decided and status == Status.SUBMITTED and level == "HTXSNV"
    )
    base = sum(1 for level, *_ in after if basis == RatingPolicy.QuotaBasis.ALL_RATED or level in GOOD_OR_BETTER)
    if basis == RatingPolicy.QuotaBasis.ALL_RATED:
        base = max(base, eligible_member_count(period, unit, effective_policy(period, unit, SubjectType.MEMBER)))
    return used, waiting, base


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ratings=st.lists(st.tuples(rating, st.integers(1, 4)), max_size=6),  # alike ratings, several of each
    changed=st.lists(st.tuples(st.integers(0, 23), st.sampled_from(LEVELS)), max_size=5),
    added=st.lists(st.sampled_from(RatingLevel.values), max_size=3),
    basis=st.sampled_from(RatingPolicy.QuotaBasis.values),
)
def test_the_grouped_meter_counts_what_the_rule_says_rating_by_rating(tree, period, ratings, changed, added, basis):
    with transaction.atomic():
        RatingPolicy.objects.filter(period=period).update(quota_basis=basis)
        saved = [
            Assessment.objects.create(
                period=period,
                unit=tree.branch,
                subject_type=SubjectType.MEMBER,
                member=MemberFactory(branch=tree.branch),
                approving_unit=tree.grassroots,
                status=status,
                proposed_level=proposed,
                final_level=final,
            )
            for (status, proposed, final), copies in ratings
            for _ in range(copies)
        ]
        pending = {saved[i].pk: level for i, level in changed if i < len(saved)}
        pending |= {f"new-{n}": level for n, level in enumerate(added)}  # subjects the decision adds
        meter = quota_meter(
            period=period, approving_unit=tree.grassroots, subject_type=SubjectType.MEMBER, pending=pending
        )
        assert (meter.used, meter.waiting, meter.base) == by_definition(period, tree.grassroots, pending, basis)
        transaction.set_rollback(True)
