"""The unit's entry against its own submit, and the period lock against a reopen, at the same
moment (two threads, the harness of test_concurrent_deciders). Entry locks the batch before it
reads or writes a rating of it, and the period lock takes period → batches → ratings, the lock
order of services.py, so each pair waits in turn: no rating slips into or out of a batch being
sent, and no deadlock."""

import pytest
from django.db import connection

from evaluations import services
from evaluations.models import Assessment, Status, SubjectType, Submission
from tests.factories import make_user

from .conftest import MINUTES, fill, intermediate_batch, member_part, own_part
from .test_concurrent_deciders import Race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def grassroots_secretary(tree):
    return make_user("bithu.coso2", "secretary", tree.grassroots)


def _pause_after(monkeypatch, race, name):
    """Hold the first call right after ``services.<name>`` returns, inside its transaction."""
    real = getattr(services, name)

    def paused(*args, **kwargs):
        result = real(*args, **kwargs)
        race.pause()
        return result

    monkeypatch.setattr(services, name, paused)


def _submit(period, unit, by):
    return lambda: services.submission_submit(period=period, unit=unit, by=by, minutes=MINUTES)


def _start_collective(period, tree, by):
    return lambda: services.assessment_autosave(
        period=period, by=by, organization=tree.grassroots, collective=True, data={"proposed_level": "HTTNV"}
    )


def test_a_first_entry_during_the_submit_is_refused_and_the_batch_can_be_settled(
    monkeypatch, tree, period, grassroots_secretary
):
    """The BCH rating started while the đoàn cơ sở's batch is being sent: it waits for the submit
    and is refused, rather than landing as a draft in a sent batch that could never be settled."""
    services.assessment_autosave(
        period=period, by=grassroots_secretary, organization=tree.grassroots, data={"proposed_level": "HTTNV"}
    )
    race = Race()
    _pause_after(monkeypatch, race, "roster")  # the submit holds the batch, its list read
    outcomes = race.run(
        _submit(period, tree.grassroots, grassroots_secretary), _start_collective(period, tree, grassroots_secretary)
    )
    assert outcomes["first"] == "ok"
    assert "đã gửi; không thêm phiếu được" in outcomes["second"]
    batch = Submission.objects.get(period=period, unit=tree.grassroots)
    assert not batch.assessments.filter(subject_type=SubjectType.COLLECTIVE).exists()
    services.submission_approve(submission=batch, by=make_user("duyet.huyen", "approver", tree.district))
    batch.refresh_from_db()
    assert batch.status == Status.APPROVED


def test_a_submit_during_a_first_entry_waits_and_sends_the_new_rating(monkeypatch, tree, period, grassroots_secretary):
    services.assessment_autosave(
        period=period, by=grassroots_secretary, organization=tree.grassroots, data={"proposed_level": "HTTNV"}
    )
    race = Race()
    _pause_after(monkeypatch, race, "get_or_start")  # the BCH rating created, not committed
    outcomes = race.run(
        _start_collective(period, tree, grassroots_secretary), _submit(period, tree.grassroots, grassroots_secretary)
    )
    assert outcomes == {"first": "ok", "second": "ok"}
    collective = Assessment.objects.get(organization=tree.grassroots, subject_type=SubjectType.COLLECTIVE)
    assert collective.status == Status.SUBMITTED  # the submit saw it once the entry committed


def test_a_draft_save_during_the_submit_waits_and_is_refused(monkeypatch, tree, period, users):
    fill(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    member = Assessment.objects.get(member=tree.members[0])
    race = Race()
    _pause_after(monkeypatch, race, "roster")
    outcomes = race.run(
        _submit(period, tree.branch, users.secretary),
        lambda: services.assessment_save_draft(assessment=member, by=users.secretary, data={"proposed_level": ""}),
    )
    assert outcomes["first"] == "ok"
    assert "đã gửi" in outcomes["second"] and "không sửa được" in outcomes["second"]
    member.refresh_from_db()
    assert (member.status, member.proposed_level) == (Status.SUBMITTED, "HTTNV")


def test_a_submit_during_a_draft_save_sees_the_saved_proposal(monkeypatch, tree, period, users):
    """The secretary clears a proposal while the batch is sent: the submit waits for the save and
    then refuses the batch, instead of sending a rating with no proposed level."""
    fill(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    member = Assessment.objects.get(member=tree.members[0])
    race = Race()
    _pause_after(monkeypatch, race, "effective_policy")  # the save holds batch and rating
    outcomes = race.run(
        lambda: services.assessment_save_draft(assessment=member, by=users.secretary, data={"proposed_level": ""}),
        _submit(period, tree.branch, users.secretary),
    )
    assert outcomes["first"] == "ok"
    assert "chưa có mức đề xuất" in outcomes["second"]
    member.refresh_from_db()
    assert (member.status, member.proposed_level) == (Status.DRAFT, "")


@pytest.fixture
def approved_batch(tree, period, intermediate_approver, direct_approver):
    batch = intermediate_batch(period, tree, own_level="HTTNV")
    services.submission_approve(submission=batch, by=intermediate_approver)
    services.submission_approve(submission=batch, by=direct_approver)
    return batch


def test_a_period_lock_waits_for_a_reopen_without_deadlock(
    monkeypatch, tree, period, approved_batch, intermediate_approver
):
    """The reopen holds the batch; the lock waits for it (it takes batches before ratings) and
    then locks what is still approved: the reopened rating stays in review."""
    admin = make_user("quantri.tinh2", "admin", tree.province)
    race = Race()
    _pause_after(monkeypatch, race, "_lock_batches")
    outcomes = race.run(
        lambda: services.assessment_reopen(assessment=own_part(approved_batch), by=intermediate_approver, reason="x"),
        lambda: services.period_lock(period=period, by=admin),
    )
    assert outcomes == {"first": "ok", "second": "ok"}
    period.refresh_from_db()
    approved_batch.refresh_from_db()
    assert period.is_locked and approved_batch.status == Status.SUBMITTED
    assert (own_part(approved_batch).status, member_part(approved_batch).status) == (Status.SUBMITTED, Status.LOCKED)


def test_a_reopen_waits_for_a_period_lock_and_is_refused(
    monkeypatch, tree, period, approved_batch, intermediate_approver
):
    admin = make_user("quantri.tinh2", "admin", tree.province)
    race = Race()
    real = services.audit.record

    def record(**kwargs):  # the lock's audit line: every row locked and updated, not committed
        if kwargs["action"] == "lock":
            race.pause()
        return real(**kwargs)

    monkeypatch.setattr(services.audit, "record", record)
    outcomes = race.run(
        lambda: services.period_lock(period=period, by=admin),
        lambda: services.assessment_reopen(assessment=own_part(approved_batch), by=intermediate_approver, reason="x"),
    )
    assert outcomes["first"] == "ok"
    assert "đã khóa" in outcomes["second"]
    approved_batch.refresh_from_db()
    assert approved_batch.status == Status.LOCKED
    assert set(approved_batch.assessments.values_list("status", flat=True)) == {Status.LOCKED}


def test_a_period_lock_waits_for_an_approval_that_creates_its_quota_row(monkeypatch, tree, period, users):
    """The approval holds the batch and then inserts the unit's first quota row, which points at
    the period; the lock holds the period (NO KEY UPDATE, so the insert passes) and waits for the
    batch: no deadlock, and the approved results are then locked."""
    from .conftest import fill_and_submit

    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    race = Race()
    _pause_after(monkeypatch, race, "_lock_batches")
    outcomes = race.run(
        lambda: services.submission_approve(submission=batch, by=users.grassroots_approver),
        lambda: services.period_lock(period=period, by=users.province_admin),
    )
    assert outcomes == {"first": "ok", "second": "ok"}
    assert set(batch.assessments.values_list("status", flat=True)) == {Status.LOCKED}
