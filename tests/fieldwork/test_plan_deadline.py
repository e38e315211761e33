"""Step 1's deadline: a quarter plan is registered "đầu mỗi quý" (seed 004), within the policy's
first days of the quarter (10 unless a province sets fewer). A later first registration is
flagged late; staff without a registered plan after it show in their head's inbox."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fieldwork import inbox, services
from fieldwork.models import StaffAssignment, StaffPlan
from fieldwork.selectors import effective_policy
from organizations import audit
from tests.factories import make_user

from .helpers import YEAR, add_visit, d


@pytest.fixture
def today():
    """Read per test, so a run crossing midnight (or a quarter's end) does not mix two days."""
    return timezone.localdate()


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _missing(day: date) -> str:
    return f"Cán bộ chưa đăng ký kế hoạch đi cơ sở quý {_quarter(day)}/{day.year} (đã quá hạn)"


def _plan(fw, tree, quarter=1, start=None):
    plan = services.plan_create(assignment=fw.assignment, quarter=quarter, by=fw.staff)
    add_visit(plan, tree.branch, start=start or d(3 * quarter - 2, 20))
    return plan


def _policy(org, by, year=YEAR, **figures):
    return services.policy_save(organization=org, year=year, minimum_days=60, report_late_days=10, by=by, **figures)


# --- the policy ----------------------------------------------------------------------------------


def test_the_default_deadline_is_the_tenth_day_of_the_quarter(tree):
    policy = effective_policy(tree.province, YEAR)
    assert policy.plan_deadline_days == 10
    assert [policy.plan_deadline(q) for q in (1, 2, 3, 4)] == [d(1, 10), d(4, 10), d(7, 10), d(10, 10)]


def test_zero_days_means_before_the_quarter_starts(tree, users):
    _policy(tree.province, users.province_approver, plan_deadline_days=0)
    assert effective_policy(tree.province, YEAR).plan_deadline(2) == d(3, 31)


def test_a_lower_level_may_shorten_the_deadline_but_not_lengthen_it(tree, users):
    _policy(tree.root, users.superuser, plan_deadline_days=7)
    with pytest.raises(ValidationError, match="không được dài hơn 7 ngày đầu quý"):
        _policy(tree.province, users.province_approver, plan_deadline_days=8)
    _policy(tree.province, users.province_approver)  # not given: the level above's 7 is kept
    assert effective_policy(tree.province, YEAR).plan_deadline_days == 7
    policy = _policy(tree.province, users.province_approver, plan_deadline_days=5)
    assert effective_policy(tree.province, YEAR).plan_deadline_days == 5
    assert effective_policy(tree.province2, YEAR).plan_deadline_days == 7
    assert "kế hoạch trong 5 ngày đầu quý" in audit.history(policy).first().to_state


# --- registering ---------------------------------------------------------------------------------


@pytest.mark.parametrize("day, late", [(d(1, 2), False), (d(1, 10), False), (d(1, 11), True)])
def test_a_plan_registered_after_the_deadline_is_flagged(fw, tree, day, late):
    plan = services.plan_submit(plan=_plan(fw, tree), by=fw.staff, submitted_on=day)
    assert plan.is_late is late and plan.submitted_at.date() == day
    assert ("nộp muộn" in audit.history(plan).first().to_state) is late


def test_a_tighter_policy_flags_earlier(fw, tree, users):
    _policy(tree.province, users.province_approver, plan_deadline_days=5)
    assert services.plan_submit(plan=_plan(fw, tree), by=fw.staff, submitted_on=d(1, 6)).is_late


def test_a_plan_returned_and_registered_again_keeps_its_first_flag(fw, tree, users):
    on_time = services.plan_submit(plan=_plan(fw, tree), by=fw.staff, submitted_on=d(1, 5))
    dplan = services.department_plan_merge(department=fw.dept, year=YEAR, quarter=1, by=fw.head)
    services.department_plan_return(plan=dplan, reason="Bổ sung chuyến đi", by=fw.org_head)
    again = services.plan_submit(plan=StaffPlan.objects.get(pk=on_time.pk), by=fw.staff, submitted_on=d(1, 25))
    assert not again.is_late


# --- pages ---------------------------------------------------------------------------------------


def test_the_plan_page_shows_the_deadline_and_a_late_registration(fw, tree, login, today):
    plan = _plan(fw, tree)
    client = login(fw.staff)
    client.post(reverse("fieldwork:plan_submit", args=[plan.pk]))  # today: long after last year's deadline
    assert StaffPlan.objects.get(pk=plan.pk).is_late
    page = client.get(reverse("fieldwork:plan", args=[plan.pk])).content.decode()
    assert "Nộp muộn" in page and f"hạn đăng ký 10/01/{YEAR}" in page and f"đã đăng ký {today:%d/%m/%Y}" in page


def test_a_plan_registered_ahead_through_the_page_is_on_time(fw, tree, users, login, today):
    ahead = today.year + 1
    assignment = services.assignment_save(year=ahead, user=fw.staff, department=fw.dept, by=users.province_approver)
    plan = services.plan_create(assignment=assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.branch, start=date(ahead, 1, 20))
    client = login(fw.staff)
    client.post(reverse("fieldwork:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == StaffPlan.Status.SUBMITTED and not plan.is_late
    page = client.get(reverse("fieldwork:plan", args=[plan.pk])).content.decode()
    assert "Nộp muộn" not in page and f"hạn đăng ký 10/01/{ahead}" in page


def test_the_dashboard_shows_deadlines_and_late_plans(fw, tree, login):
    services.plan_submit(plan=_plan(fw, tree, quarter=1), by=fw.staff, submitted_on=d(1, 12))
    services.plan_submit(plan=_plan(fw, tree, quarter=2), by=fw.staff, submitted_on=d(4, 3))
    page = login(fw.staff).get(reverse("fieldwork:index") + f"?nam={YEAR}").content.decode()
    assert f"Hạn đăng ký: 10/01/{YEAR}" in page and f"Hạn đăng ký: 10/10/{YEAR}" in page
    assert page.count("Nộp muộn") == 1  # quarter 1 only
    assert page.count("Quá hạn đăng ký") == 2  # quarters 3 and 4: never registered, the year is over


def test_the_department_page_names_who_has_not_registered(fw, tree, users, login):
    services.plan_submit(plan=_plan(fw, tree), by=fw.staff, submitted_on=d(1, 15))
    exempt = make_user("canbo.nghi", "staff", tree.province, first_name="Lý Thị", last_name="Nghỉ")
    services.assignment_save(
        year=YEAR,
        user=exempt,
        department=fw.dept,
        exemption=StaffAssignment.Exemption.MATERNITY,
        exemption_reason="Nghỉ thai sản",
        by=users.province_approver,
    )
    page = login(fw.head).get(reverse("fieldwork:department", args=[fw.dept.pk]) + f"?nam={YEAR}&quy=1")
    html = page.content.decode()
    assert f"Hạn đăng ký kế hoạch quý 1: <strong>10/01/{YEAR}</strong> (đã qua)" in html
    assert "Quá hạn, chưa đăng ký kế hoạch: Vũ Thị Phong." in html  # not the exempt one, not the one who did
    assert "Nộp muộn" in html


def test_setup_saves_the_deadline(tree, users, login):
    url = reverse("fieldwork:setup", args=["T1"]) + f"?nam={YEAR}"
    data = {"form": "policy", "year": YEAR, "minimum_days": 60, "report_late_days": 10, "plan_deadline_days": 7}
    client = login(users.province_approver)
    assert client.post(url, data).status_code == 302
    assert effective_policy(tree.province, YEAR).plan_deadline_days == 7
    assert "nộp kế hoạch trong 7 ngày đầu quý" in client.get(url).content.decode()
    _policy(tree.root, users.superuser, plan_deadline_days=7)
    page = client.post(url, {**data, "plan_deadline_days": 9}).content.decode()
    assert "Hạn nộp kế hoạch không được dài hơn 7 ngày đầu quý của cấp trên." in page


# --- the head's inbox ----------------------------------------------------------------------------


@pytest.fixture
def this_year(fw, tree, users, today):
    """This year's staff list; a deadline of 0 days has passed whatever day the tests run."""
    by = users.province_approver
    _policy(tree.province, by, year=today.year, plan_deadline_days=0)
    return [services.assignment_save(year=today.year, user=u, department=fw.dept, by=by) for u in (fw.staff, fw.staff2)]


def _titles(user):
    return {item.title: item for item in inbox.items(user)}


def test_the_head_sees_staff_without_a_plan_after_the_deadline(fw, tree, users, this_year, today):
    missing, quarter = _missing(today), _quarter(today)
    item = _titles(fw.head)[missing]
    assert item.count == 2 and item.urgent
    assert item.url == reverse("fieldwork:department", args=[fw.dept.pk]) + f"?nam={today.year}&quy={quarter}"
    assert missing not in _titles(fw.staff) and missing not in _titles(users.province_approver)
    plan = services.plan_create(assignment=this_year[0], quarter=quarter, by=fw.staff)
    assert _titles(fw.head)[missing].count == 2  # a draft is not registered
    start = date(today.year, 3 * quarter - 2, 1)
    add_visit(plan, tree.branch, start=start + timedelta(days=20))
    services.plan_submit(plan=plan, by=fw.staff)
    assert _titles(fw.head)[missing].count == 1
    services.assignment_save(
        year=today.year, user=fw.staff2, department=fw.dept, post_kind="driver", by=users.province_approver
    )
    assert missing not in _titles(fw.head)


def test_the_head_inbox_costs_the_same_for_any_number_of_staff(
    fw, tree, users, this_year, today, django_assert_max_num_queries
):
    inbox.items(fw.head)
    with django_assert_max_num_queries(20) as small:
        inbox.items(fw.head)
    for i in range(6):
        user = make_user(f"canbo.them{i}", "staff", tree.province)
        services.assignment_save(year=today.year, user=user, department=fw.dept, by=users.province_approver)
        plan = services.plan_create(assignment=this_year[0], quarter=1 + i % 4, by=fw.staff)
        add_visit(plan, tree.branch, start=date(today.year, 3 * (1 + i % 4) - 2, 15))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _titles(fw.head)[_missing(today)].count == 8


def test_the_home_page_points_the_head_to_the_missing_plans(fw, this_year, login, today):
    page = login(fw.head).get(reverse("home")).content.decode()
    link = reverse("fieldwork:department", args=[fw.dept.pk]) + f"?nam={today.year}&amp;quy={_quarter(today)}"
    assert _missing(today) in page and link in page
