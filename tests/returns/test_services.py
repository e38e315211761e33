from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.models import Assessment, RatingDeadline, RatingPeriod
from evaluations.services import assessment_reopen
from notifications.models import Kind, Notification
from organizations.audit import history
from reports.returns import services
from reports.returns.models import Return, ReturnDeadline
from reports.serialize import to_json

from .conftest import live

Status = Return.Status


def test_it_freezes_a_finished_job_as_version_one_sent_to_the_parent(done_job, users, ratings):
    ret = services.submit(job=done_job, by=users.province_staff)
    assert (ret.kind, ret.root, ret.year, ret.version) == ("ratings", ratings.province, 2025, 1)
    assert ret.receiver == ratings.root and ret.source == Return.Source.JOB and ret.job == done_job
    assert ret.data == done_job.result and ret.submitted_by == users.province_staff
    assert history(ret).first().action == "return_submit"


def test_a_live_return_freezes_the_figures_of_its_moment(submit, ratings, users):
    ret = submit()
    assert ret.data == to_json(live(ratings.district)) and ret.receiver == ratings.province
    member = ratings.members[0]
    assessment = Assessment.objects.get(member=member, period__year=2025)
    assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="Đơn khiếu nại")
    ret.refresh_from_db()
    assert ret.data != to_json(live(ratings.district))  # the live figures moved; the frozen ones did not


def test_a_corrected_return_is_a_new_version_and_the_pending_one_is_superseded(submit):
    first, second = submit(), submit()
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == Status.SUPERSEDED and second.status == Status.SUBMITTED
    assert first.data == second.data  # the old version stays readable, whole
    assert [e.action for e in history(first)] == ["return_superseded", "return_submit"]


@pytest.mark.parametrize("who", ["province_staff", "outsider", "grassroots_secretary", "nopost"])
def test_only_officers_of_the_unit_itself_submit(submit, users, who):
    with pytest.raises(PermissionDenied):
        submit(by=getattr(users, who))
    assert not Return.objects.exists()


def test_an_unfinished_job_or_unknown_kind_is_refused_in_vietnamese(done_job, users, ratings):
    done_job.status = done_job.Status.RUNNING
    with pytest.raises(ValidationError, match="chưa lập xong"):
        services.submit(kind="ratings", root=ratings.province, year=2025, job=done_job, by=users.province_staff)
    with pytest.raises(ValidationError, match="không có hoặc chưa sẵn sàng"):
        services.submit(kind="khong-co", root=ratings.province, year=2025, by=users.province_staff)
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.submit(kind="ratings", root=ratings.province, year=1990, by=users.province_staff)
    assert not Return.objects.exists()


def test_the_parent_accepts_and_the_sender_hears(submit, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ret = submit()
    arrived = Notification.objects.get(event_key=f"return:{ret.pk}:submitted", recipient=users.province_approver)
    assert arrived.kind == Kind.ESCALATION and "chờ tiếp nhận" in arrived.title
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(ret=ret, by=users.province_approver)
    ret.refresh_from_db()
    assert ret.status == Status.ACCEPTED and ret.decided_by == users.province_approver
    told = Notification.objects.get(event_key=f"return:{ret.pk}:accepted", recipient=users.district_approver)
    assert told.kind == Kind.APPROVED
    with pytest.raises(ValidationError, match="không thể xử lý lại"):
        services.send_back(ret=ret, by=users.province_approver, reason="Sai")


def test_the_sender_cannot_accept_its_own_return(submit, users):
    ret = submit()
    for who in (users.district_approver, users.grassroots_approver, users.outsider):
        with pytest.raises(PermissionDenied):
            services.accept(ret=ret, by=who)
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED


def test_sending_back_needs_a_reason_and_keeps_it(submit, users, django_capture_on_commit_callbacks):
    ret = submit()
    with pytest.raises(ValidationError, match="Cần ghi lý do trả lại"):
        services.send_back(ret=ret, by=users.province_staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(ret=ret, by=users.province_staff, reason="Thiếu số liệu chi đoàn")
    ret.refresh_from_db()
    assert ret.status == Status.RETURNED and ret.decision_reason == "Thiếu số liệu chi đoàn"
    entry = history(ret).first()
    assert (entry.action, entry.reason, entry.by) == (
        "return_send_back",
        "Thiếu số liệu chi đoàn",
        users.province_staff,
    )
    told = Notification.objects.get(event_key=f"return:{ret.pk}:returned", recipient=users.district_approver)
    assert told.kind == Kind.RETURNED and told.body == "Thiếu số liệu chi đoàn"


def test_a_return_after_the_rating_deadline_of_its_level_is_late(submit, ratings):
    period = RatingPeriod.objects.get(root=ratings.province, year=2025)
    RatingDeadline.objects.create(period=period, level=ratings.district.level, due_on=date(2025, 11, 15))
    ret = submit()
    assert ret.due_on == date(2025, 11, 15) and ret.is_late


def test_the_receivers_deadline_applies_and_a_lower_one_may_only_be_earlier(submit, ratings, users, tw_staff):
    services.set_deadline(kind="ratings", year=2025, organization=ratings.root, due_on=date(2099, 12, 1), by=tw_staff)
    with pytest.raises(ValidationError, match="không được muộn hơn"):
        services.set_deadline(
            kind="ratings", year=2025, organization=ratings.province, due_on=date(2099, 12, 20), by=users.province_staff
        )
    services.set_deadline(
        kind="ratings", year=2025, organization=ratings.province, due_on=date(2099, 11, 30), by=users.province_staff
    )
    ret = submit()
    assert ret.due_on == date(2099, 11, 30) and not ret.is_late
    with pytest.raises(PermissionDenied):
        services.set_deadline(
            kind="ratings",
            year=2025,
            organization=ratings.province,
            due_on=date(2099, 11, 1),
            by=users.district_approver,
        )
    assert ReturnDeadline.objects.count() == 2
