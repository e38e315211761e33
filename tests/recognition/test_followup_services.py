from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.recognition import services
from evaluations.recognition.models import Registration
from organizations.audit import history
from organizations.models import Post
from tests.factories import make_user

Status = Registration.Status


def test_assigning_a_cadre_accepts_the_registration(flow, users, district_staff):
    reg = flow.submitted()
    services.cadre_assign(registration=reg, cadre=district_staff, by=users.district_approver)
    assert reg.cadre == district_staff and reg.status == Status.ACCEPTED
    assert history(reg).filter(action="assign", to_state="Nguyễn Văn Theo Dõi").exists()


def test_the_cadre_must_hold_a_post_at_the_receiving_unit(flow, users):
    reg = flow.submitted()
    with pytest.raises(ValidationError, match="không giữ chức vụ"):
        services.cadre_assign(registration=reg, cadre=users.grassroots_secretary, by=users.district_approver)


@pytest.mark.parametrize("who", ["grassroots_secretary", "grassroots_approver", "outsider", "secretary"])
def test_only_a_level_above_assigns(flow, users, district_staff, who):
    reg = flow.submitted()
    with pytest.raises(PermissionDenied):
        services.cadre_assign(registration=reg, cadre=district_staff, by=getattr(users, who))


def test_the_assigned_cadre_logs_an_inspection(flow, district_staff):
    reg = flow.accepted()
    f = services.followup_add(
        registration=reg,
        kind="inspection",
        on_date=date.today(),
        participants="Đ/c Theo Dõi",
        findings="Sổ đoàn viên đầy đủ",
        by=district_staff,
    )
    assert f.get_kind_display() == "Kiểm tra tại cơ sở"
    assert history(reg).filter(action="followup").exists()


def test_a_followup_in_the_future_is_refused(flow, users):
    reg = flow.accepted()
    with pytest.raises(ValidationError, match="chưa đến"):
        services.followup_add(
            registration=reg,
            kind="note",
            on_date=date.today() + timedelta(days=3),
            participants="A",
            findings="B",
            by=users.district_approver,
        )


def test_a_followup_before_acceptance_is_refused(flow, users):
    reg = flow.submitted()
    with pytest.raises(ValidationError, match="Không thể ghi theo dõi"):
        services.followup_add(
            registration=reg,
            kind="note",
            on_date=date.today(),
            participants="A",
            findings="B",
            by=users.district_approver,
        )


def test_the_registrant_cannot_follow_itself(flow, users):
    reg = flow.accepted()
    with pytest.raises(PermissionDenied):
        services.followup_add(
            registration=reg,
            kind="note",
            on_date=date.today(),
            participants="A",
            findings="B",
            by=users.grassroots_approver,
        )


def test_evaluation_needs_evidence_for_every_criterion(flow, campaign, users):
    reg = flow.accepted()
    scores = {c.pk: services.Score(met=True, evidence="" if c.number == 2 else "Có") for c in campaign.criteria.all()}
    with pytest.raises(ValidationError, match="tiêu chí 2"):
        services.evaluation_save(registration=reg, scores=scores, by=users.district_approver)


def test_evaluation_records_each_criterion(flow, users):
    reg = flow.evaluated(fail_number=3)
    assert reg.status == Status.EVALUATED
    assert [e.met for e in reg.evaluations.order_by("criterion__number")] == [True, True, False]
    assert history(reg).get(action="evaluate").reason == "Đạt 2/3 tiêu chí"
    assert services.meets_all_criteria(reg) is False


def test_a_province_staff_member_may_evaluate_as_a_level_above(flow, users, campaign):
    from .conftest import all_met

    reg = flow.accepted()
    services.evaluation_save(registration=reg, scores=all_met(campaign), by=users.province_staff)
    assert services.meets_all_criteria(reg)


def test_a_linked_field_visit_must_target_the_registrant(flow, tree, users):
    from fieldwork import models as fw

    reg = flow.accepted()
    if not hasattr(fw, "PlannedVisit"):
        pytest.skip("fieldwork has no visit model")
    staff = make_user("canbo.tinh2", Post.Role.STAFF, tree.province)
    visit = _visit(fw, tree, staff, target=tree.grassroots2)
    with pytest.raises(ValidationError, match="không đến"):
        _inspection(reg, visit, users.district_approver)
    own = _visit(fw, tree, staff, target=tree.grassroots)
    f = _inspection(reg, own, users.district_approver)
    assert f.fieldwork_visit == own


def test_an_unconfirmed_field_visit_is_not_evidence(flow, tree, users):
    from fieldwork import models as fw

    reg = flow.accepted()
    staff = make_user("canbo.tinh3", Post.Role.STAFF, tree.province)
    requested = _visit(fw, tree, staff, target=tree.grassroots, status=fw.PlannedVisit.Status.REQUESTED)
    with pytest.raises(ValidationError, match="chưa được Thường trực"):
        _inspection(reg, requested, users.district_approver)


def _inspection(reg, visit, by):
    """An inspection follow-up on ``reg`` citing a "1+2" field visit."""
    return services.followup_add(
        registration=reg,
        kind="inspection",
        on_date=date.today(),
        participants="A",
        findings="B",
        fieldwork_visit=visit,
        by=by,
    )


def _visit(fw, tree, staff, target, status=None):
    dept, _ = fw.Department.objects.get_or_create(organization=tree.province, name="Ban Xây dựng Đoàn")
    assignment, _ = fw.StaffAssignment.objects.get_or_create(user=staff, department=dept, year=date.today().year)
    today = date.today()
    return fw.PlannedVisit.objects.create(
        assignment=assignment,
        target=target,
        content=fw.VisitContent.values[0],
        starts_on=today,
        ends_on=today,
        days=1,
        purpose="Kiểm tra",
        status=status or fw.PlannedVisit.Status.CONSENTED,  # an unplanned visit the Standing office agreed to
    )
