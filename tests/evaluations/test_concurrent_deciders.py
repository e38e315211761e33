"""Two deciders of one batch at the same moment: a chi đoàn under an intermediate unit has its own
rating decided by that unit and its members by the đoàn cơ sở (rules.py). The services lock the
batch before its subjects (services.py, "Row locks"), so the second decider waits for the first
to commit and then sees its decisions.

Each test runs two threads on their own connections: the first pauses inside its transaction,
after its writes, until the second is blocked on one of its locks (or, without those locks,
until the second has done its own writes); then the first commits and the second goes on."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluations import services
from evaluations.models import Status

from .conftest import intermediate_batch, member_part, own_part

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def batch(tree, period):
    return intermediate_batch(period, tree, own_level="HTTNV")


class Race:
    """``first`` runs until ``pause`` (called inside its transaction) holds it; ``second`` starts
    then; ``pause`` lets ``first`` go on once ``second`` waits for a lock or has called ``done``."""

    def __init__(self):
        self.paused, self.second_done, self.first_done = threading.Event(), threading.Event(), threading.Event()
        self.second_pid = None
        self.outcomes = {}

    def pause(self, timeout=10):
        self.paused.set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (self.second_done.is_set() or self._second_blocked()):
            time.sleep(0.05)

    def _second_blocked(self) -> bool:
        if self.second_pid is None:
            return False
        with connection.cursor() as cursor:  # the first thread's own connection: pg_locks is live
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [self.second_pid])
            return cursor.fetchone()[0]

    def _run(self, name, call, *, second):
        try:
            if second:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.second_pid = cursor.fetchone()[0]
            call()
            self.outcomes[name] = "ok"
        except ValidationError as exc:
            self.outcomes[name] = exc.messages[0]
        except Exception as exc:  # a deadlock or a broken lock order shows here
            self.outcomes[name] = repr(exc)
        finally:
            connection.close()

    def run(self, first, second):
        one = threading.Thread(target=self._run, args=("first", first), kwargs={"second": False})
        one.start()
        assert self.paused.wait(10), "the first call never reached its pause"
        two = threading.Thread(target=self._run, args=("second", second), kwargs={"second": True})
        two.start()
        one.join(30)
        two.join(30)
        assert not one.is_alive() and not two.is_alive()
        return self.outcomes


def _pause_settling(monkeypatch, race, first_by):
    """Hold the first decider inside ``_settle_submissions`` (its approval written, not committed).
    The second settles, says so, and commits only after the first settled: without the batch lock
    both would settle before either commits, each seeing the other's subject still waiting."""
    real = services._settle_submissions

    def settle(ids, *, by):
        if by == first_by:
            race.pause()
            real(ids, by=by)
            race.first_done.set()
        else:
            real(ids, by=by)
            race.second_done.set()
            race.first_done.wait(10)

    monkeypatch.setattr(services, "_settle_submissions", settle)


def test_two_deciders_approving_their_parts_at_once_settle_the_batch(
    monkeypatch, batch, intermediate_approver, direct_approver
):
    race = Race()
    _pause_settling(monkeypatch, race, intermediate_approver)
    outcomes = race.run(
        lambda: services.assessments_approve(assessments=[own_part(batch)], by=intermediate_approver),
        lambda: services.assessments_approve(assessments=[member_part(batch)], by=direct_approver),
    )
    assert outcomes == {"first": "ok", "second": "ok"}
    batch.refresh_from_db()
    assert set(batch.assessments.values_list("status", flat=True)) == {Status.APPROVED}
    assert batch.status == Status.APPROVED  # the second saw the first's approval once it could go on


def test_approve_all_by_both_deciders_at_once_settles_the_batch(
    monkeypatch, batch, intermediate_approver, direct_approver
):
    """The đoàn cơ sở's "Công nhận tất cả" (it may decide the chi đoàn too) while the intermediate
    unit approves the chi đoàn: its list is read once the batch is its, without the part just
    decided, rather than failing on it."""
    race = Race()
    _pause_settling(monkeypatch, race, intermediate_approver)
    outcomes = race.run(
        lambda: services.assessments_approve(assessments=[own_part(batch)], by=intermediate_approver),
        lambda: services.submission_approve(submission=batch, by=direct_approver),
    )
    assert outcomes == {"first": "ok", "second": "ok"}
    batch.refresh_from_db()
    assert batch.status == Status.APPROVED
    assert own_part(batch).approved_by == intermediate_approver and member_part(batch).approved_by == direct_approver


def test_a_return_waits_for_a_concurrent_approval_and_keeps_it(
    monkeypatch, batch, intermediate_approver, direct_approver
):
    race = Race()
    _pause_settling(monkeypatch, race, direct_approver)
    outcomes = race.run(
        lambda: services.assessments_approve(assessments=[member_part(batch)], by=direct_approver),
        lambda: services.submission_return(submission=batch, by=intermediate_approver, reason="Bổ sung tự đánh giá"),
    )
    assert outcomes == {"first": "ok", "second": "ok"}
    member, own = member_part(batch), own_part(batch)
    assert (member.status, member.final_level, member.approved_by) == (Status.APPROVED, "HTTNV", direct_approver)
    assert own.status == Status.RETURNED  # the intermediate unit's part goes back, the decided member stays
    batch.refresh_from_db()
    assert batch.status == Status.RETURNED


def test_an_approval_waits_for_a_concurrent_return_and_is_refused(
    monkeypatch, batch, intermediate_approver, direct_approver
):
    race = Race()
    real = services._returning_unit

    def returning_unit(submission, by):  # inside the return, after its locks
        race.pause()
        return real(submission, by)

    monkeypatch.setattr(services, "_returning_unit", returning_unit)
    member = member_part(batch)
    outcomes = race.run(
        lambda: services.submission_return(submission=batch, by=intermediate_approver, reason="Bổ sung"),
        lambda: services.assessments_approve(assessments=[member], by=direct_approver),
    )
    assert outcomes["first"] == "ok"
    assert "“Bị trả lại”" in outcomes["second"] and "không công nhận được" in outcomes["second"]
    member.refresh_from_db()
    assert (member.status, member.approved_by) == (Status.RETURNED, None)


def test_a_reopen_and_an_approval_of_one_batch_wait_in_turn_without_deadlock(
    monkeypatch, batch, intermediate_approver, direct_approver
):
    """Reopening takes the batch before the subject too (it sends the batch back to review):
    taken the other way round, it would hold the subject while waiting for the batch that an
    approval holds while waiting for the subject."""
    services.submission_approve(submission=batch, by=intermediate_approver)
    services.submission_approve(submission=batch, by=direct_approver)
    own = own_part(batch)
    race = Race()
    real = services._transition

    def transition(obj, to, **kwargs):
        if kwargs["action"] == "reopen":
            race.pause()
        return real(obj, to, **kwargs)

    monkeypatch.setattr(services, "_transition", transition)
    outcomes = race.run(
        lambda: services.assessment_reopen(assessment=own, by=intermediate_approver, reason="Đơn khiếu nại"),
        lambda: services.assessments_approve(assessments=[own], by=intermediate_approver, levels={own.pk: "HTNV"}),
    )
    assert outcomes == {"first": "ok", "second": "ok"}  # the approval saw the reopened subject
    own.refresh_from_db()
    batch.refresh_from_db()
    assert (own.status, own.final_level, own.reopened_count) == (Status.APPROVED, "HTNV", 1)
    assert batch.status == Status.APPROVED
