"""Fixtures of the rating tests: a 2026 period of the province with a member quota of 20 %."""

from datetime import date

import pytest

from evaluations import services
from evaluations.models import RatingDeadline, RatingPeriod, RatingPolicy, SubjectType
from organizations.models import Level

MINUTES = services.Minutes(
    meeting_on=date(2026, 10, 20), attendance=3, attendance_total=3, votes_for=3, votes_against=0
)


@pytest.fixture
def period(tree):
    return make_period(tree)


def make_period(tree):
    p = RatingPeriod.objects.create(
        year=2026,
        root=tree.province,
        title="Xếp loại năm 2026",
        opens_on=date(2026, 10, 1),
        locks_on=date(2026, 12, 31),
    )
    RatingDeadline.objects.create(period=p, level=Level.objects.get(code="chi-doan"), due_on=date(2026, 10, 31))
    RatingDeadline.objects.create(period=p, level=Level.objects.get(code="co-so"), due_on=date(2026, 11, 10))
    RatingPolicy.objects.create(period=p, organization=tree.province, subject_type=SubjectType.MEMBER, quota_percent=20)
    return p


def fill(period, unit, by, levels, own_level="HTTNV"):
    """Enter a proposed level for each member of ``unit`` (in name order) and the unit's own."""
    from evaluations.selectors import roster

    rows = roster(period=period, unit=unit).eligible_rows
    for row, level in zip(rows, levels, strict=False):
        services.assessment_autosave(period=period, by=by, member=row.member, data={"proposed_level": level})
    return services.assessment_autosave(period=period, by=by, organization=unit, data={"proposed_level": own_level})


def fill_and_submit(period, unit, by, levels, own_level="HTTNV"):
    fill(period, unit, by, levels, own_level)
    return services.submission_submit(period=period, unit=unit, by=by, minutes=MINUTES)


# A chi đoàn under an intermediate unit (T1-CS2-BP1-CD1): its own rating is decided by the
# intermediate unit, its members by the đoàn cơ sở above (Đoàn trường).


@pytest.fixture
def intermediate_approver(tree):
    from tests.factories import make_user

    return make_user("duyet.khoatoan", "approver", tree.intermediate)


@pytest.fixture
def direct_approver(tree):
    """The đoàn cơ sở above the intermediate unit (Đoàn trường)."""
    from tests.factories import make_user

    return make_user("duyet.truong", "approver", tree.direct)


def intermediate_batch(period, tree, own_level="HTXSNV"):
    """The chi đoàn's batch: its own rating and one member's, submitted by its secretary."""
    from tests.factories import make_user

    secretary = make_user("bithu.k20a", "secretary", tree.branch3)
    return fill_and_submit(period, tree.branch3, secretary, ["HTTNV"], own_level=own_level)


def own_part(batch):
    return batch.assessments.get(subject_type=SubjectType.BRANCH)


def member_part(batch):
    return batch.assessments.get(subject_type=SubjectType.MEMBER)
