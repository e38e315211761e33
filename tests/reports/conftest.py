"""A hand-built rating data set on the shared tree where every figure is known.

Report of T1 (Tỉnh đoàn Thái Nguyên), children T1-H1 (Huyện đoàn Đại Từ) and T1-CS2 (Đoàn
trường Cao đẳng Sư phạm). Decided ratings, 2025:

    members   T1-H1: CD1 [HTXSNV, HTTNV, draft] + CD2 [HTXSNV, KHTNV]  -> 2/1/0/1 + 1 not rated of 5
              T1-CS2: BP1-CD1 [HTNV]                                 -> 0/0/1/0 + 0 of 1
    chi đoàn  CD1 HTXSNV, CD2 HTTNV, BP1-CD1 none                    -> 1/1/0/0 + 1 of 3
    cơ sở     T1-H1-CS1 HTXSNV, T1-CS2 none                          -> 1/0/0/0 + 1 of 2
    upper     T1-H1 HTTNV (T1 itself is rated too, but by TW: not in T1's report)
    BCH       none of T1-H1, T1-H1-CS1, T1-CS2                       -> 0 + 3 of 3
2024: member CD1[0] HTTNV; chi đoàn CD1 HTNV. T2 (the other province) has ratings that must
never show up in T1's report.
"""

from datetime import date

import pytest

from evaluations.models import Assessment, RatingPeriod, SubjectType

Status = Assessment.Status


def rate(period, subject, unit, level="", status=Status.APPROVED, member=None):
    unit = member.branch if member else unit
    return Assessment.objects.create(
        period=period,
        subject_type=subject,
        member=member,
        organization=None if member else unit,
        unit=unit,
        approving_unit=unit.parent() or unit,
        final_level=level,
        status=status,
    )


@pytest.fixture
def ratings(tree):
    t = tree
    p25 = RatingPeriod.objects.create(
        year=2025, root=t.province, opens_on=date(2025, 10, 1), locks_on=date(2025, 12, 15)
    )
    p24 = RatingPeriod.objects.create(
        year=2024, root=t.province, opens_on=date(2024, 10, 1), locks_on=date(2024, 12, 15)
    )
    other = RatingPeriod.objects.create(
        year=2025, root=t.province2, opens_on=date(2025, 10, 1), locks_on=date(2025, 12, 15)
    )
    M, B, G, U = SubjectType.MEMBER, SubjectType.BRANCH, SubjectType.GRASSROOTS, SubjectType.UPPER
    m1, m2 = t.members, t.members2
    rate(p25, M, None, "HTXSNV", member=m1[0])
    rate(p25, M, None, "HTTNV", status=Status.LOCKED, member=m1[1])
    rate(p25, M, None, "", status=Status.DRAFT, member=m1[2])
    rate(p25, M, None, "HTXSNV", member=m2[0])
    rate(p25, M, None, "KHTNV", member=m2[1])
    rate(p25, M, None, "HTNV", member=t.member3)
    rate(p25, B, t.branch, "HTXSNV")
    rate(p25, B, t.branch2, "HTTNV")
    rate(p25, G, t.grassroots, "HTXSNV")
    rate(p25, U, t.district, "HTTNV")
    rate(p25, U, t.province, "HTXSNV")  # the root itself: decided by TW, outside T1's report
    rate(p24, M, None, "HTTNV", member=m1[0])
    rate(p24, B, t.branch, "HTNV")
    rate(other, M, None, "HTXSNV", member=t.member_other)
    rate(other, B, t.branch_other, "HTXSNV")
    return t


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _memory_broker(celery_app):
    """Every test here runs with Celery on the in-memory broker (tests/conftest.py)."""
    return celery_app


@pytest.fixture
def done_job(ratings, users):
    """A ratings job of T1 for 2025, requested by the province staff and built (no worker)."""
    from reports.services import request_job, run_job

    job = request_job(kind="ratings", root=ratings.province, year=2025, years=[2024], by=users.province_staff)
    return run_job(job_id=job.pk)
