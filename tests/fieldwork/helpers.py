"""Helpers for the fieldwork tests: dates in last year and the plan → approve → report steps."""

from datetime import date, timedelta

from fieldwork import services
from fieldwork.models import StaffPlan, VisitContent

YEAR = date.today().year - 1


def d(month: int, day: int) -> date:
    return date(YEAR, month, day)


def add_visit(plan, target, *, start: date, days: int = 1, content: str = VisitContent.SURVEY):
    return services.visit_add(
        plan=plan,
        target=target,
        content=content,
        starts_on=start,
        ends_on=start + timedelta(days=days - 1),
        days=days,
        purpose="Khảo sát tình hình",
        by=plan.assignment.user,
    )


def approve_quarter(fw, users, quarter: int) -> None:
    """Steps 2–3 for every registered plan of the department in ``quarter``."""
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=quarter, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    services.department_plan_approve(plan=dplan, by=users.province_approver)


def approved_visits(fw, users, assignment, visits: list[tuple], quarter: int = 1):
    """A submitted and approved quarter plan with ``visits`` as (target, start, days, content)."""
    plan = services.plan_create(assignment=assignment, quarter=quarter, by=assignment.user)
    made = [add_visit(plan, target, start=start, days=days, content=content) for target, start, days, content in visits]
    services.plan_submit(plan=plan, by=assignment.user)
    approve_quarter(fw, users, quarter)
    plan.refresh_from_db()
    assert plan.status == StaffPlan.Status.APPROVED
    return made


def report(visit, days: int | None = None, *, after: int = 2):
    return services.visit_report(
        visit=visit,
        results="Đã làm việc với BCH",
        days_spent=days or visit.days,
        reported_on=visit.ends_on + timedelta(days=after),
        by=visit.assignment.user,
    )


ASKED_TODAY = object()  # ``requested_on`` left to the service: the request is made today


def request_visit(fw, target, *, starts_on: date, days: int = 1, requested_on=None, assignment=None, **fields):
    """An unplanned visit asked for the Standing office's consent (by default three days ahead)."""
    options = {} if requested_on is ASKED_TODAY else {"requested_on": requested_on or starts_on - timedelta(days=3)}
    return services.visit_request(
        assignment=assignment or fw.assignment,
        target=target,
        content=fields.pop("content", "activity"),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        days=days,
        purpose=fields.pop("purpose", "Đột xuất"),
        by=fw.staff,
        **options,
        **fields,
    )
