import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fieldwork import services
from fieldwork.models import PlannedVisit
from organizations import audit

from .helpers import ASKED_TODAY, YEAR, add_visit, approved_visits, d, report, request_visit


def _request(fw, tree, start=None, *, requested_on=None):
    return request_visit(
        fw,
        tree.grassroots,
        starts_on=start or d(5, 4),
        days=2,
        requested_on=requested_on,
        purpose="Phối hợp tổ chức ngày hội thanh niên",
    )


def test_an_unplanned_visit_waits_for_the_standing_office(fw, tree, users):
    visit = _request(fw, tree)
    assert visit.status == PlannedVisit.Status.REQUESTED
    with pytest.raises(ValidationError, match="chưa được phê duyệt"):
        report(visit)
    for wrong in (fw.head, fw.org_head, fw.staff, users.district_approver):
        with pytest.raises(PermissionDenied):
            services.visit_request_decide(visit=visit, consent=True, by=wrong)
    services.visit_request_decide(visit=visit, consent=True, by=users.province_approver, decided_on=d(5, 3))
    assert report(visit).days_spent == 2
    assert [e.action for e in audit.history(visit)] == ["report", "consent", "request"]


def test_a_refusal_needs_a_reason_and_cannot_be_reported(fw, tree, users):
    visit = _request(fw, tree)
    with pytest.raises(ValidationError, match="lý do"):
        services.visit_request_decide(visit=visit, consent=False, by=users.province_approver)
    services.visit_request_decide(visit=visit, consent=False, reason="Đã có đoàn khác", by=users.province_approver)
    with pytest.raises(ValidationError):
        services.visit_request_decide(visit=visit, consent=True, by=users.province_approver)
    with pytest.raises(ValidationError):
        report(visit)


def test_a_request_outside_the_year_is_refused(fw, tree):
    with pytest.raises(ValidationError, match="khoảng"):
        _request(fw, tree, start=d(12, 31))


def test_a_request_after_the_visit_began_is_refused(fw, tree):
    with pytest.raises(ValidationError, match="cần Thường trực đồng ý trước khi đi") as exc:
        _request(fw, tree, start=d(5, 4), requested_on=d(5, 5))
    assert f"04/05/{YEAR}" in exc.value.messages[0] and f"05/05/{YEAR}" in exc.value.messages[0]
    assert not PlannedVisit.objects.exists()


def test_a_request_on_the_first_day_still_asks_in_time(fw, tree):
    assert _request(fw, tree, start=d(5, 4), requested_on=d(5, 4)).status == PlannedVisit.Status.REQUESTED


def test_a_request_made_today_for_a_past_visit_is_refused(fw, tree):
    with pytest.raises(ValidationError, match="trước ngày đề xuất"):
        request_visit(fw, tree.grassroots, starts_on=d(5, 4), requested_on=ASKED_TODAY, purpose="Bổ sung sau")


def test_consent_is_given_at_the_latest_on_the_visits_first_day(fw, tree, users):
    visit = _request(fw, tree, start=d(5, 4))
    done = services.visit_request_decide(visit=visit, consent=True, by=users.province_approver, decided_on=d(5, 4))
    assert done.status == PlannedVisit.Status.CONSENTED


def test_consent_after_the_visit_began_is_refused_with_the_dates(fw, tree, users):
    visit = _request(fw, tree, start=d(5, 4))
    with pytest.raises(ValidationError, match="Đã quá hạn đồng ý") as exc:
        services.visit_request_decide(visit=visit, consent=True, by=users.province_approver, decided_on=d(5, 5))
    assert f"04/05/{YEAR}" in exc.value.messages[0] and f"05/05/{YEAR}" in exc.value.messages[0]
    assert "chọn “Không đồng ý”" in exc.value.messages[0]
    visit.refresh_from_db()
    assert visit.status == PlannedVisit.Status.REQUESTED and not audit.history(visit).filter(action="consent").exists()


def test_consent_given_today_to_last_years_visit_is_refused(fw, tree, users):
    """Without a date the decision is today's: long after last year's visit."""
    visit = _request(fw, tree, start=d(5, 4))
    with pytest.raises(ValidationError, match="Đã quá hạn đồng ý"):
        services.visit_request_decide(visit=visit, consent=True, by=users.province_approver)


def test_a_stale_request_may_still_be_refused(fw, tree, users):
    visit = _request(fw, tree, start=d(5, 4))
    with pytest.raises(ValidationError, match="lý do"):
        services.visit_request_decide(visit=visit, consent=False, by=users.province_approver)
    done = services.visit_request_decide(
        visit=visit, consent=False, reason="Đã qua ngày đi", by=users.province_approver
    )
    assert done.status == PlannedVisit.Status.REFUSED and done.decision_reason == "Đã qua ngày đi"


def test_a_planned_visit_is_reported_only_once_approved(fw, tree):
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    visit = add_visit(plan, tree.branch, start=d(1, 10))
    with pytest.raises(ValidationError, match="chưa được phê duyệt"):
        report(visit)


@pytest.mark.parametrize("after, late", [(0, False), (10, False), (11, True)])
def test_a_report_later_than_10_days_is_flagged(fw, tree, users, after, late):
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    assert report(visit, after=after).is_late is late


def test_a_tighter_province_policy_flags_earlier(fw, tree, users):
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=60, report_late_days=5, by=users.province_approver
    )
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 1, "survey")])
    assert report(visit, after=6).is_late


def test_it_refuses_bad_reports(fw, tree, users):
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    with pytest.raises(ValidationError, match="sau khi kết thúc"):
        services.visit_report(visit=visit, results="x", days_spent=1, reported_on=d(1, 10), by=fw.staff)
    with pytest.raises(ValidationError, match="từ 1 đến 2"):
        services.visit_report(visit=visit, results="x", days_spent=3, reported_on=d(1, 12), by=fw.staff)
    with pytest.raises(PermissionDenied):
        services.visit_report(visit=visit, results="x", days_spent=1, reported_on=d(1, 12), by=fw.head)
    report(visit)
    with pytest.raises(ValidationError, match="đã được báo cáo"):
        report(visit)


def test_the_quarter_report_is_compiled_from_visit_reports(fw, tree, users):
    v1, v2, _ = approved_visits(
        fw,
        users,
        fw.assignment,
        [
            (tree.branch, d(1, 10), 2, "survey"),
            (tree.grassroots, d(2, 3), 3, "meeting"),
            (tree.district, d(3, 3), 1, "survey"),
        ],
    )
    report(v1)
    report(v2, 2)
    quarter = services.quarter_report_submit(assignment=fw.assignment, quarter=1, notes="Đủ kế hoạch", by=fw.staff)
    assert (quarter.visits, quarter.days) == (2, 4)
    with pytest.raises(PermissionDenied):
        services.quarter_report_submit(assignment=fw.assignment, quarter=1, by=fw.head)


def test_the_department_consolidates_quarter_reports(fw, tree, users):
    (v1,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    report(v1)
    with pytest.raises(ValidationError, match="Chưa có cán bộ"):
        services.department_report_consolidate(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    services.quarter_report_submit(assignment=fw.assignment, quarter=1, by=fw.staff)
    with pytest.raises(PermissionDenied):
        services.department_report_consolidate(department=fw.dept, year=fw.year, quarter=1, by=fw.staff)
    total = services.department_report_consolidate(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    assert (total.staff_reported, total.staff_total, total.days) == (1, 2, 2)
