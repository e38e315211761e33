"""The whole flow through the services, role by role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.models import Assessment, Status, SubjectType, Submission
from organizations.audit import history

from .conftest import MINUTES, fill, fill_and_submit

pytestmark = pytest.mark.django_db


def test_it_runs_the_member_flow_from_entry_to_decision(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])
    assert submission.status == Status.SUBMITTED
    assert set(submission.assessments.values_list("status", flat=True)) == {Status.SUBMITTED}

    count = services.submission_approve(
        submission=submission, by=users.grassroots_approver, decision_number="12/QĐ-ĐTN"
    )
    assert count == 4  # three members and the chi đoàn itself
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED
    members = Assessment.objects.filter(period=period, subject_type=SubjectType.MEMBER).order_by("member__name_folded")
    assert sorted(members.values_list("final_level", flat=True)) == ["HTNV", "HTTNV", "HTXSNV"]
    assert all(a.approving_unit == tree.grassroots and a.decision_number == "12/QĐ-ĐTN" for a in members)


def test_it_makes_the_unit_read_only_after_submitting(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    assessment = Assessment.objects.filter(member=tree.members[0]).get()
    with pytest.raises(ValidationError, match="đã gửi"):
        services.assessment_save_draft(assessment=assessment, by=users.secretary, data={"proposed_level": "HTXSNV"})


def test_it_refuses_to_submit_with_members_missing_a_level(tree, users, period):
    fill(period, tree.branch, users.secretary, ["HTTNV"])
    with pytest.raises(ValidationError, match="Còn 2 đoàn viên chưa có mức đề xuất"):
        services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=MINUTES)


def test_it_refuses_minutes_with_more_votes_than_attendance(tree, users, period):
    fill(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    bad = services.Minutes(meeting_on=MINUTES.meeting_on, attendance=2, attendance_total=3, votes_for=3)
    with pytest.raises(ValidationError, match="Tổng số phiếu"):
        services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=bad)


def test_it_refuses_entry_by_someone_without_a_post_over_the_unit(tree, users, period):
    with pytest.raises(PermissionDenied):
        services.assessment_autosave(
            period=period, by=users.outsider, member=tree.members[0], data={"proposed_level": "HTNV"}
        )
    with pytest.raises(PermissionDenied):
        services.assessment_autosave(
            period=period, by=users.grassroots_approver, member=tree.members[0], data={"proposed_level": "HTNV"}
        )


def test_it_lets_only_the_level_above_decide(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=submission, by=users.secretary)
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=submission, by=users.outsider)


def test_it_sends_a_grassroots_rating_to_the_district(tree, users, period):
    submission = fill_and_submit(period, tree.grassroots, users.grassroots_secretary, [], own_level="HTXSNV")
    assert submission.approving_unit == tree.district
    own = submission.assessments.get()
    assert own.subject_type == SubjectType.GRASSROOTS
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=submission, by=users.grassroots_approver)  # not above itself
    services.submission_approve(submission=submission, by=users.district_approver, decision_number="5/QĐ")
    own.refresh_from_db()
    assert (own.status, own.final_level) == (Status.APPROVED, "HTXSNV")


def test_it_has_a_branch_under_an_intermediate_unit_decided_by_that_unit(tree, users, period):
    from tests.factories import make_user

    secretary = make_user("bithu.k20a", "secretary", tree.branch3)
    submission = fill_and_submit(period, tree.branch3, secretary, ["HTTNV"])
    own = submission.assessments.get(subject_type=SubjectType.BRANCH)
    member = submission.assessments.get(subject_type=SubjectType.MEMBER)
    assert own.approving_unit == tree.intermediate
    assert member.approving_unit == tree.direct  # members: the đoàn cơ sở decides


def test_it_changes_a_level_with_a_reason_and_keeps_it_in_history(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    assessment = Assessment.objects.get(member=tree.members[0])
    with pytest.raises(ValidationError, match="lý do"):
        services.assessment_change_level(assessment=assessment, by=users.grassroots_approver, level="HTNV", reason=" ")
    services.assessment_change_level(
        assessment=assessment, by=users.grassroots_approver, level="HTNV", reason="Vắng 3 buổi"
    )
    services.assessments_approve(assessments=[assessment], by=users.grassroots_approver)
    assessment.refresh_from_db()
    assert assessment.final_level == "HTNV"
    change = history(assessment).get(action="change_level")
    assert (change.by, change.from_state, change.to_state, change.reason) == (
        users.grassroots_approver,
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Vắng 3 buổi",
    )


def test_it_returns_a_batch_with_a_reason_and_lets_the_unit_correct_it(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    with pytest.raises(ValidationError):
        services.submission_return(submission=submission, by=users.grassroots_approver, reason="")
    services.submission_return(submission=submission, by=users.grassroots_approver, reason="Thiếu biên bản")
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == (Status.RETURNED, "Thiếu biên bản")
    assessment = Assessment.objects.get(member=tree.members[0])
    assert assessment.status == Status.RETURNED
    services.assessment_save_draft(assessment=assessment, by=users.secretary, data={"proposed_level": "HTNV"})
    services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=MINUTES)
    assert Submission.objects.get(pk=submission.pk).status == Status.SUBMITTED


def test_a_level_changed_before_a_return_gives_way_to_the_units_new_proposal(tree, users, period):
    """A return sends the batch back to the unit's meeting: the decider's changed level goes with
    it, so the proposal made after it is what "approve all" decides."""
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    assessment = Assessment.objects.get(member=tree.members[0])
    services.assessment_change_level(assessment=assessment, by=users.grassroots_approver, level="KHTNV", reason="x")
    services.submission_return(submission=submission, by=users.grassroots_approver, reason="Họp lại")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.proposed_level, assessment.final_level) == (Status.RETURNED, "HTTNV", "")
    services.assessment_save_draft(assessment=assessment, by=users.secretary, data={"proposed_level": "HTNV"})
    services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=MINUTES)
    services.submission_approve(submission=submission, by=users.grassroots_approver)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.final_level) == (Status.APPROVED, "HTNV")


def test_a_return_after_a_reopen_clears_the_old_decision(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    services.submission_approve(submission=submission, by=users.grassroots_approver, decision_number="12/QĐ")
    assessment = Assessment.objects.get(member=tree.members[0])
    services.assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="Khiếu nại")
    services.submission_return(submission=submission, by=users.grassroots_approver, reason="Họp lại")
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED
    assert (assessment.final_level, assessment.decision_number, assessment.decision_on) == ("", "", None)
    assert (assessment.approved_by, assessment.approved_at) == (None, None)
    kept = Assessment.objects.get(member=tree.members[1])  # decided and not reopened: stays decided
    assert (kept.status, kept.final_level, kept.decision_number) == (Status.APPROVED, "HTTNV", "12/QĐ")


def test_it_reopens_only_with_a_decider_and_a_reason_and_audits_it(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    services.submission_approve(submission=submission, by=users.grassroots_approver)
    assessment = Assessment.objects.get(member=tree.members[0])
    with pytest.raises(PermissionDenied):
        services.assessment_reopen(assessment=assessment, by=users.secretary, reason="Sai")
    with pytest.raises(ValidationError, match="lý do"):
        services.assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="")
    services.assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="Phát hiện vi phạm")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reopened_count) == (Status.SUBMITTED, 1)
    entry = history(assessment).get(action="reopen")
    assert (entry.by, entry.reason, entry.from_state) == (
        users.grassroots_approver,
        "Phát hiện vi phạm",
        "Đã công nhận",
    )
    assert Submission.objects.get(pk=submission.pk).status == Status.SUBMITTED


def test_it_locks_the_period_and_refuses_changes_after(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    services.submission_approve(submission=submission, by=users.grassroots_approver)
    with pytest.raises(PermissionDenied):
        services.period_lock(period=period, by=users.grassroots_approver)
    assert services.period_lock(period=period, by=users.province_admin) == 4
    assessment = Assessment.objects.get(member=tree.members[0])
    assert assessment.status == Status.LOCKED
    with pytest.raises(ValidationError, match="đã khóa"):
        services.assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="x")


def test_it_refuses_a_bad_level_and_out_of_range_marks(tree, users, period):
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.assessment_autosave(
            period=period, by=users.secretary, member=tree.members[0], data={"proposed_level": "XS"}
        )
    with pytest.raises(ValidationError, match="Tỷ lệ tham gia: 120 nằm ngoài khoảng 0 đến 100"):
        services.assessment_autosave(
            period=period, by=users.secretary, member=tree.members[0], data={"participation_percent": "120"}
        )
    with pytest.raises(ValidationError, match="không phải là số"):
        services.assessment_autosave(
            period=period, by=users.secretary, member=tree.members[0], data={"participation_percent": "abc"}
        )


def test_it_refuses_excellent_below_the_participation_floor(tree, users, period):
    policy = period.policies.get()
    policy.min_participation_excellent = 90
    policy.quota_percent = None
    policy.save()
    fill(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=MINUTES)
    submission = Submission.objects.get(unit=tree.branch)
    with pytest.raises(ValidationError, match="tham gia sinh hoạt từ 90,0%"):
        services.submission_approve(submission=submission, by=users.grassroots_approver)


def test_it_rates_the_grassroots_leadership_collective_with_the_unit(tree, users, period, login):
    from django.urls import reverse

    client = login(users.grassroots_secretary)
    save = reverse("evaluations:own_save", args=[period.pk, tree.grassroots.code])
    assert client.post(save, {"subject": "collective", "proposed_level": "HTTNV"}).status_code == 200
    submission = fill_and_submit(period, tree.grassroots, users.grassroots_secretary, [], own_level="HTXSNV")
    kinds = dict(submission.assessments.values_list("subject_type", "status"))
    assert kinds == {SubjectType.GRASSROOTS: Status.SUBMITTED, SubjectType.COLLECTIVE: Status.SUBMITTED}
    assert services.submission_approve(submission=submission, by=users.district_approver) == 2
    with pytest.raises(ValidationError, match="Ban Chấp hành"):
        services.assessment_autosave(
            period=period, by=users.secretary, organization=tree.branch, collective=True, data={}
        )


def test_it_rates_a_unit_only_in_the_nearest_period_of_the_year(tree, users, period):
    from datetime import date

    from evaluations.models import RatingPeriod

    national = RatingPeriod.objects.create(
        year=2026, root=tree.root, opens_on=date(2026, 10, 1), locks_on=date(2026, 12, 31)
    )
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        services.assessment_autosave(
            period=national, by=users.secretary, member=tree.members[0], data={"proposed_level": "HTNV"}
        )
    services.assessment_autosave(
        period=period, by=users.secretary, member=tree.members[0], data={"proposed_level": "HTNV"}
    )
