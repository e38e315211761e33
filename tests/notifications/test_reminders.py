"""The daily reminders at fixed dates (the service's ``today``, as ``send_reminders --date``):
T-7/3/1, overdue weekly, escalation to the parent then the level above, once each."""

from datetime import date, timedelta

import pytest
from django.core import mail

from notifications.models import Escalation, Kind, Notification, ReminderPolicy
from notifications.reminders import send_reminders
from organizations.models import Post
from tests.evaluations.conftest import fill_and_submit

pytestmark = pytest.mark.django_db


def run(day: date) -> list[Notification]:
    made = []
    send_reminders(today=day, report=made.append)
    return made


def own(made, user, unit):
    return [n for n in made if n.recipient_id == user.pk and n.unit.pk == unit.pk]


@pytest.mark.parametrize(
    "day, kind",
    [
        (date(2026, 10, 24), Kind.DUE_SOON),  # T-7
        (date(2026, 10, 25), None),
        (date(2026, 10, 28), Kind.DUE_SOON),  # T-3
        (date(2026, 10, 30), Kind.DUE_SOON),  # T-1
        (date(2026, 10, 31), None),  # the deadline itself: not late yet
        (date(2026, 11, 1), Kind.OVERDUE),  # first late day
        (date(2026, 11, 2), None),
        (date(2026, 11, 8), Kind.OVERDUE),  # a week later
    ],
)
def test_it_reminds_the_secretary_on_the_schedule(tree, users, period, day, kind):
    found = own(run(day), users.secretary, tree.branch)
    assert [n.kind for n in found] == ([kind] if kind else [])


def test_the_reminder_names_the_unit_and_deadline_and_links_to_the_work(tree, users, period):
    [n] = own(run(date(2026, 10, 28)), users.secretary, tree.branch)
    assert n.title == f"Sắp đến hạn xếp loại chất lượng năm 2026 của {tree.branch.name}: hạn 31/10/2026"
    assert n.link == f"/danh-gia/dot/{period.pk}/don-vi/{tree.branch.code}/"
    [late] = own(run(date(2026, 11, 8)), users.secretary, tree.branch)
    assert "Quá hạn" in late.title and "8 ngày" in late.title


def test_a_unit_that_sent_its_batch_gets_nothing(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    assert own(run(date(2026, 11, 1)), users.secretary, tree.branch) == []


def test_a_second_run_sends_nothing_twice(tree, users, period):
    users.secretary.email = "bithu@example.vn"
    users.secretary.save()
    first = run(date(2026, 11, 3))
    mails = len(mail.outbox)
    assert first and run(date(2026, 11, 3)) == []
    assert len(mail.outbox) == mails
    assert Notification.objects.count() == len(first)


def test_it_escalates_to_the_parent_after_n_days_with_how_late_and_who_holds_the_post(tree, users, period):
    assert [n for n in run(date(2026, 11, 2)) if n.kind == Kind.ESCALATION] == []
    digests = [n for n in run(date(2026, 11, 3)) if n.kind == Kind.ESCALATION]
    assert {n.recipient_id for n in digests} == {users.grassroots_secretary.pk, users.grassroots_approver.pk}
    digest = digests[0]
    assert digest.unit.pk == tree.grassroots.pk
    assert digest.title == f"2 đơn vị trực thuộc {tree.grassroots.name} quá hạn xếp loại chất lượng năm 2026"
    assert f"- {tree.branch.name}: quá hạn 3 ngày (hạn 31/10/2026); bithu (Bí thư)" in digest.body
    assert f"- {tree.branch2.name}: quá hạn 3 ngày (hạn 31/10/2026); chưa có người giữ chức vụ" in digest.body
    assert digest.link == f"/danh-gia/dot/{period.pk}/"


def test_after_2n_days_the_level_above_the_parent_hears_once(tree, users, period):
    run(date(2026, 11, 3))
    assert [n for n in run(date(2026, 11, 5)) if n.kind == Kind.ESCALATION] == []
    [digest] = [n for n in run(date(2026, 11, 6)) if n.kind == Kind.ESCALATION]
    assert (digest.recipient_id, digest.unit.pk) == (users.district_approver.pk, tree.district.pk)
    assert "quá hạn 6 ngày" in digest.body
    later = [n for n in run(date(2026, 11, 13)) if n.kind == Kind.ESCALATION]
    assert {n.due_on for n in later} == {date(2026, 11, 10)}  # only the cơ sở deadline's, now 3 days late
    assert Escalation.objects.filter(unit=tree.branch).count() == 2


def test_the_period_policy_sets_the_days(tree, users, period):
    ReminderPolicy.objects.create(source_key=f"rating:{period.pk}", days_before="5", escalate_after=1)
    assert [n.kind for n in own(run(date(2026, 10, 26)), users.secretary, tree.branch)] == [Kind.DUE_SOON]
    assert own(run(date(2026, 10, 24)), users.secretary, tree.branch) == []
    digests = [n for n in run(date(2026, 11, 1)) if n.kind == Kind.ESCALATION]
    assert {n.unit.pk for n in digests} == {tree.grassroots.pk}


def test_an_ended_post_and_a_locked_account_get_nothing(tree, users, period):
    day = date(2026, 11, 3)
    Post.objects.filter(user=users.secretary).update(ended_on=day - timedelta(days=1))
    users.grassroots_approver.is_active = False
    users.grassroots_approver.save()
    made = run(day)
    assert own(made, users.secretary, tree.branch) == []
    assert users.grassroots_approver.pk not in {n.recipient_id for n in made}
    [digest] = [n for n in made if n.kind == Kind.ESCALATION and n.unit.pk == tree.grassroots.pk]
    assert f"{tree.branch.name}: quá hạn 3 ngày (hạn 31/10/2026); chưa có người giữ chức vụ" in digest.body


def test_a_locked_period_reminds_nobody(tree, users, period):
    period.is_locked = True
    period.save()
    assert run(date(2026, 11, 1)) == []


def test_an_ancestor_whose_late_units_come_in_two_flushes_hears_of_all(tree, users, period, monkeypatch):
    from notifications import reminders

    monkeypatch.setattr(reminders, "CHUNK", 1)  # one unit a chunk ...
    monkeypatch.setattr(reminders, "FLUSH_AT", 1)  # ... and a flush after each
    digests = [n for n in run(date(2026, 11, 3)) if n.kind == Kind.ESCALATION and n.unit.pk == tree.grassroots.pk]
    listed = "".join(n.body for n in digests if n.recipient_id == users.grassroots_approver.pk)
    assert tree.branch.name in listed and tree.branch2.name in listed
