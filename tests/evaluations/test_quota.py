"""The quota for "excellent": visible, refused with the numbers, safe under concurrent approvals."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluations import services
from evaluations.models import Assessment, RatingPolicy, Status, SubjectType
from evaluations.selectors import quota_meter

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


def test_it_counts_the_quota_on_every_eligible_member_of_the_grassroots(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    meter = quota_meter(period=period, approving_unit=tree.grassroots, subject_type=SubjectType.MEMBER)
    assert (meter.base, meter.allowed, meter.used) == (5, 1, 0)  # 20 % of the 5 members of both chi đoàn


def test_it_refuses_an_approval_over_the_quota_with_the_numbers(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTXSNV", "HTTNV"])
    with pytest.raises(ValidationError) as exc:
        services.submission_approve(submission=submission, by=users.grassroots_approver)
    assert "sẽ có 2 HTXSNV trên 5 (40,0%), vượt mức tối đa 20,0%" in exc.value.messages[0]
    assert "= 1" in exc.value.messages[0]
    assert not Assessment.objects.filter(status=Status.APPROVED).exists()  # all or nothing


def test_it_lets_the_approver_lower_a_level_to_fit(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTXSNV", "HTTNV"])
    first = Assessment.objects.filter(member__branch=tree.branch, proposed_level="HTXSNV").first()
    services.assessment_change_level(
        assessment=first, by=users.grassroots_approver, level="HTTNV", reason="Vượt chỉ tiêu"
    )
    assert services.submission_approve(submission=submission, by=users.grassroots_approver) == 4


def test_it_allows_passing_the_quota_when_the_policy_says_so(tree, users, period):
    RatingPolicy.objects.filter(period=period).update(allow_over_quota=True)
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTXSNV", "HTTNV"])
    assert services.submission_approve(submission=submission, by=users.grassroots_approver) == 4


def test_it_counts_the_quota_on_good_or_better_when_the_policy_says_so(tree, users, period):
    RatingPolicy.objects.filter(period=period).update(quota_basis="good", quota_percent=50)
    fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])
    meter = quota_meter(period=period, approving_unit=tree.grassroots, subject_type=SubjectType.MEMBER)
    assert (meter.base, meter.allowed) == (2, 1)


def test_it_refuses_raising_an_approved_level_over_the_quota(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    services.submission_approve(submission=submission, by=users.grassroots_approver)
    good = Assessment.objects.filter(member__branch=tree.branch, final_level="HTTNV").first()
    with pytest.raises(ValidationError, match="Vượt chỉ tiêu"):
        services.assessment_change_level(assessment=good, by=users.grassroots_approver, level="HTXSNV", reason="Khen")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_concurrent_approvals_take_the_last_place(tree, users, period):
    first = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    from tests.factories import make_user

    secretary2 = make_user("bithu.cd2", "secretary", tree.branch2)
    second = fill_and_submit(period, tree.branch2, secretary2, ["HTXSNV", "HTTNV"])
    from tests.factories import make_user as mk

    approver2 = mk("duyet.coso.2", "approver", tree.grassroots)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(submission, user):
        from django.db import connection as conn

        try:
            barrier.wait()
            services.submission_approve(submission=submission, by=user)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            conn.close()

    threads = [
        threading.Thread(target=approve, args=(s, u))
        for s, u in ((first, users.grassroots_approver), (second, approver2))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=len)[0] == "ok"
    assert outcomes.count("ok") == 1 and "Vượt chỉ tiêu" in max(outcomes, key=len)
    assert Assessment.objects.filter(final_level="HTXSNV", status=Status.APPROVED).count() == 1
