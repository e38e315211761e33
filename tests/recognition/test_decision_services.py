from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.recognition import services
from evaluations.recognition.models import Registration
from organizations.audit import history

Status = Registration.Status
YESTERDAY = date.today() - timedelta(days=1)


def _issue(campaign, tree, by, outcomes, number="12-QĐ/HĐTN", issued_by=None):
    return services.decision_issue(
        campaign=campaign,
        issued_by=issued_by or tree.district,
        number=number,
        signed_on=YESTERDAY,
        signer="Nguyễn Văn A",
        outcomes=outcomes,
        by=by,
    )


def test_the_district_recognises_a_unit_meeting_all_criteria(flow, campaign, tree, users):
    reg = flow.evaluated()
    decision = _issue(campaign, tree, users.district_approver, [services.Outcome(registration=reg, recognised=True)])
    reg.refresh_from_db()
    assert reg.status == Status.RECOGNISED and reg.decision == decision
    assert history(reg).filter(action="decide", to_state="Được công nhận").exists()
    assert history(decision).filter(action="decision_issue").exists()


def test_it_refuses_to_recognise_a_unit_missing_one_criterion(flow, campaign, tree, users):
    reg = flow.evaluated(fail_number=2)
    with pytest.raises(ValidationError, match="chưa đạt đủ tất cả tiêu chí"):
        _issue(campaign, tree, users.district_approver, [services.Outcome(registration=reg, recognised=True)])
    reg.refresh_from_db()
    assert reg.status == Status.EVALUATED


def test_not_recognising_needs_a_reason(flow, campaign, tree, users):
    reg = flow.evaluated(fail_number=2)
    with pytest.raises(ValidationError, match="lý do không công nhận"):
        _issue(campaign, tree, users.district_approver, [services.Outcome(registration=reg, recognised=False)])
    _issue(
        campaign,
        tree,
        users.district_approver,
        [services.Outcome(registration=reg, recognised=False, reason="Chưa đạt tiêu chí 2")],
    )
    reg.refresh_from_db()
    assert reg.status == Status.NOT_RECOGNISED and reg.decision_reason == "Chưa đạt tiêu chí 2"


def test_it_refuses_units_not_yet_evaluated(flow, campaign, tree, users):
    reg = flow.accepted()
    with pytest.raises(ValidationError, match="ra quyết định"):
        _issue(campaign, tree, users.district_approver, [services.Outcome(registration=reg, recognised=True)])


@pytest.mark.parametrize("who", ["grassroots_approver", "outsider", "province_staff"])
def test_only_the_standing_office_above_decides(flow, campaign, tree, users, who):
    reg = flow.evaluated()
    with pytest.raises(PermissionDenied):
        _issue(campaign, tree, getattr(users, who), [services.Outcome(registration=reg, recognised=True)])


def test_a_unit_decides_only_on_those_registered_with_it(flow, campaign, tree, users):
    reg = flow.evaluated()
    with pytest.raises(ValidationError, match="không đăng ký với"):
        _issue(
            campaign,
            tree,
            users.province_approver,
            [services.Outcome(registration=reg, recognised=True)],
            issued_by=tree.province,
        )


def test_a_decision_number_is_unique_per_unit_and_a_future_date_refused(flow, campaign, tree, users):
    reg, _ = flow.decided()
    with pytest.raises(ValidationError, match="đã có quyết định số"):
        _issue(campaign, tree, users.district_approver, [services.Outcome(registration=reg, recognised=True)])
    with pytest.raises(ValidationError, match="chưa đến"):
        services.decision_issue(
            campaign=campaign,
            issued_by=tree.district,
            number="99",
            signer="A",
            signed_on=date.today() + timedelta(days=2),
            outcomes=[],
            by=users.district_approver,
        )


def test_the_province_flags_a_decision_and_the_district_answers(flow, users):
    _, decision = flow.decided()
    flag = services.flag_raise(decision=decision, note="Thiếu biên bản kiểm tra", by=users.province_approver)
    assert history(decision).filter(action="flag").exists()
    services.flag_resolve(flag=flag, resolution="Đã bổ sung biên bản", by=users.district_approver)
    flag.refresh_from_db()
    assert flag.is_resolved and flag.resolved_by == users.district_approver
    with pytest.raises(ValidationError, match="đã được xử lý"):
        services.flag_resolve(flag=flag, resolution="Lần nữa", by=users.province_approver)


@pytest.mark.parametrize("who", ["district_approver", "province_staff", "outsider"])
def test_only_the_province_standing_office_flags(flow, users, who):
    _, decision = flow.decided()
    with pytest.raises(PermissionDenied):
        services.flag_raise(decision=decision, note="Xem lại", by=getattr(users, who))
