from datetime import date

from fieldwork import services
from fieldwork.selectors import completion, province_tallies, yearly_tally
from tests.factories import level

from .helpers import YEAR, approved_visits, d, report


def _known_year(fw, tree, users):
    """canbo.tinh: 2 days at a chi đoàn (survey), 3 at a cơ sở (meeting), 1 at the district
    (survey, not yet reported); canbo.pt2: nothing."""
    visits = approved_visits(
        fw,
        users,
        fw.assignment,
        [
            (tree.branch, d(1, 10), 2, "survey"),
            (tree.grassroots, d(2, 3), 3, "meeting"),
            (tree.district, d(3, 3), 1, "survey"),
        ],
    )
    report(visits[0])
    report(visits[1])
    return visits


def test_the_tally_counts_reported_days_by_content_and_level(fw, tree, users):
    _known_year(fw, tree, users)
    t = yearly_tally(fw.staff, YEAR)
    assert (t.days, t.visits, t.minimum_days) == (5, 2, 60)
    assert t.by_content == {"survey": 2, "meeting": 3}
    assert t.by_level == {level("chi-doan").pk: 2, level("co-so").pk: 3}
    assert not t.completed


def test_the_tally_checks_the_split_by_level(fw, tree, users):
    services.policy_save(
        organization=tree.province,
        year=YEAR,
        minimum_days=5,
        report_late_days=10,
        quotas={level("chi-doan"): 3},
        by=users.province_approver,
    )
    _known_year(fw, tree, users)
    t = yearly_tally(fw.staff, YEAR)
    assert t.days == 5 and t.quotas == [(level("chi-doan"), 3, 2)]
    assert not t.completed


def test_a_staff_member_who_met_the_minimum_completed(fw, tree, users):
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=5, report_late_days=10, by=users.province_approver
    )
    _known_year(fw, tree, users)
    assert yearly_tally(fw.staff, YEAR).completed


def test_pace_is_the_minimum_times_the_elapsed_fraction(fw):
    t = yearly_tally(fw.staff, YEAR, as_of=date(YEAR, 7, 2))  # half the year gone: 30 of 60 days expected
    assert t.expected_by_now in (30, 31) and t.behind_pace
    assert not yearly_tally(fw.staff, YEAR, as_of=date(YEAR, 1, 1)).behind_pace


def test_no_tally_for_someone_not_on_the_staff_list(fw, users):
    assert yearly_tally(users.secretary, YEAR) is None
    assert yearly_tally(fw.staff, YEAR + 5) is None


def test_exempt_staff_are_left_out_of_the_completion_rate(fw, tree, users):
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=5, report_late_days=10, by=users.province_approver
    )
    _known_year(fw, tree, users)
    assert (
        completion(province_tallies(tree.province, YEAR)).completed,
        completion(province_tallies(tree.province, YEAR)).eligible,
    ) == (1, 2)
    services.assignment_save(
        year=YEAR,
        user=fw.staff2,
        department=fw.dept,
        exemption="maternity",
        exemption_reason="Nghỉ thai sản",
        by=users.province_approver,
    )
    c = completion(province_tallies(tree.province, YEAR))
    assert (c.completed, c.eligible, c.exempt) == (1, 1, 1)


def test_unapproved_and_refused_visits_do_not_count(fw, tree, users):
    plan = services.plan_create(assignment=fw.assignment, quarter=2, by=fw.staff)
    services.visit_add(
        plan=plan,
        target=tree.branch,
        content="survey",
        starts_on=d(4, 2),
        ends_on=d(4, 2),
        days=1,
        purpose="x",
        by=fw.staff,
    )
    assert yearly_tally(fw.staff, YEAR).days == 0


def test_the_tally_include_renders_beside_a_rating(fw, tree, users):
    from django.template.loader import render_to_string

    services.policy_save(
        organization=tree.province,
        year=YEAR,
        minimum_days=5,
        report_late_days=10,
        quotas={level("chi-doan"): 2},
        by=users.province_approver,
    )
    _known_year(fw, tree, users)
    html = render_to_string("fieldwork/_tally.html", {"tally": yearly_tally(fw.staff, YEAR)})
    assert f"Đi cơ sở năm {YEAR}: <strong>5</strong>/5 ngày" in html and "Hoàn thành" in html
    assert "Chi đoàn: 2/2" in html
    assert render_to_string("fieldwork/_tally.html", {"tally": None}).strip() == ""
