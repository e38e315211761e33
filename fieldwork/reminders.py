""" "1+2" deadlines as the daily reminders read them (notifications.reminders). They are a person's,
not a unit's: each staff member bound by the regime who has not registered the quarter's plan
by the policy's first days of the quarter, and each confirmed visit not reported within the
policy's days after its last day. The staff member alone is reminded; a late one is reported to
the department head, then to the province's Standing office (``Overseer`` steps in place of the
tree's ancestors). One reminder period per province and year: "fieldwork-plan:<province>:<year>",
"fieldwork-report:<province>:<year>" (a ReminderPolicy row with that key sets its days)."""

from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from notifications.reminders import CHUNK, Obligation, Overseer, cached_schedule, lookahead
from organizations.models import Organization, Post

from .models import Department, FieldworkPolicy, PlannedVisit, StaffAssignment, StaffPlan, staff_name
from .selectors import confirmed_q, effective_policies, unplanned_staff
from .services import quarter_bounds

HORIZON = 90  # days after its deadline that a missing visit report is still chased
PLAN_KEY, REPORT_KEY = "fieldwork-plan", "fieldwork-report"


def source_key(kind: str, province_id: int, year: int) -> str:
    return f"{kind}:{province_id}:{year}"


def overseers(department: Department, owner_id: int, year: int, quarter: int) -> tuple[Overseer, ...]:
    """The department head (unless the late one heads it, or nobody does), then the Standing office."""
    province = department.organization
    standing = Overseer(
        province.pk,
        province.name,
        province.name,
        f"{reverse('fieldwork:index')}?nam={year}",
        roles=(Post.Role.APPROVER,),
    )
    if department.head_id is None or department.head_id == owner_id:
        return (standing,)
    link = f"{reverse('fieldwork:department', args=[department.pk])}?nam={year}&quy={quarter}"
    head = Overseer(province.pk, province.name, department.name, link, user_ids=(department.head_id,))
    return (head, standing)


def _chunks(rows: QuerySet, make) -> Iterator[list[Obligation]]:
    """``rows`` CHUNK at a time by primary key (memory stays one chunk, whatever the nation's
    size), each batch made into its obligations by ``make`` (which may drop some)."""
    after = 0
    while True:
        batch = list(rows.filter(pk__gt=after).order_by("pk")[:CHUNK])
        if not batch:
            return
        if made := make(batch):
            yield made
        after = batch[-1].pk


# --- step 1: the quarter plan ------------------------------------------------------------------


def plan_obligations(today: date) -> Iterator[list[Obligation]]:
    """Staff not registered for a quarter (none, or a draft: ``unplanned_staff``), from the
    reminders' first day before the plan deadline until the quarter ends."""
    departments: dict[Organization, list[Department]] = {}
    for dept in Department.objects.select_related("organization").order_by("organization__path", "pk"):
        departments.setdefault(dept.organization, []).append(dept)
    # This quarter's, and the next one's when its deadline is near (reminders start ≤ 31 days before).
    quarters = {_quarter_of(today), _quarter_of(today + timedelta(days=31))}
    policies = effective_policies({(p, year) for p in departments for year, _ in quarters}, quotas=False)
    for province, depts in departments.items():
        for year, quarter in sorted(quarters):
            key = source_key(PLAN_KEY, province.pk, year)
            due = policies[(province.pk, year)].plan_deadline(quarter)
            if not due - timedelta(days=lookahead(cached_schedule(key))) <= today <= quarter_bounds(year, quarter)[1]:
                continue
            draft = StaffPlan.objects.filter(assignment=OuterRef("pk"), quarter=quarter).values("pk")[:1]
            staff = unplanned_staff(depts, year, quarter).annotate(draft=Subquery(draft))
            staff = staff.select_related("user", "department__organization")
            yield from _chunks(staff, partial(_plan_obligations, key=key, quarter=quarter, due=due))


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _plan_obligations(batch: list[StaffAssignment], *, key: str, quarter: int, due: date) -> list[Obligation]:
    return [_plan_obligation(a, key, quarter, due) for a in batch]


def _plan_obligation(a: StaffAssignment, key: str, quarter: int, due: date) -> Obligation:
    province = a.department.organization
    index = f"{reverse('fieldwork:index')}?nam={a.year}"
    return Obligation(
        source_key=key,
        unit_id=province.pk,
        unit_path=province.path,
        unit_name=province.name,
        what=f"đăng ký kế hoạch đi cơ sở quý {quarter}/{a.year}",
        due_on=due,
        link=reverse("fieldwork:plan", args=[a.draft]) if a.draft else index,
        overview_link=index,
        owner_id=a.user_id,
        ref=f"staff-{a.pk}-q{quarter}",
        label=f"{staff_name(a.user)} ({a.department.name})",
        overseers=overseers(a.department, a.user_id, a.year, quarter),
    )


# --- step 6: the visit report ------------------------------------------------------------------


def report_obligations(today: date) -> Iterator[list[Obligation]]:
    """Confirmed visits over (a report is made after the last day) and not reported, from the
    reminders' first day before the report deadline up to HORIZON days after it."""
    longest = max(FieldworkPolicy.objects.values_list("report_late_days", flat=True), default=10)
    visits = (
        PlannedVisit.objects.filter(confirmed_q(), report__isnull=True)
        # No deadline is more than ``longest`` days after a last day; the exact window is per visit.
        .filter(ends_on__lte=today, ends_on__gte=today - timedelta(days=HORIZON + longest))
        .select_related("assignment__user", "assignment__department__organization", "target")
    )

    def make(batch: list[PlannedVisit]) -> list[Obligation]:
        policies = effective_policies({(v.assignment.department.organization, v.assignment.year) for v in batch})
        return [ob for ob in (_report_obligation(v, policies, today) for v in batch) if ob is not None]

    yield from _chunks(visits, make)


def _report_obligation(v: PlannedVisit, policies, today: date) -> Obligation | None:
    a = v.assignment
    province = a.department.organization
    key = source_key(REPORT_KEY, province.pk, a.year)
    due = v.ends_on + timedelta(days=policies[(province.pk, a.year)].report_late_days)
    if not due - timedelta(days=lookahead(cached_schedule(key))) <= today <= due + timedelta(days=HORIZON):
        return None
    return Obligation(
        source_key=key,
        unit_id=v.target_id,
        unit_path=v.target.path,
        unit_name=v.target.name,
        what="báo cáo chuyến đi cơ sở",
        due_on=due,
        link=reverse("fieldwork:visit", args=[v.pk]),
        overview_link=f"{reverse('fieldwork:index')}?nam={a.year}",
        owner_id=a.user_id,
        ref=f"visit-{v.pk}",
        label=f"{staff_name(a.user)} ({a.department.name}) — {v.target.name}, {v.starts_on:%d/%m/%Y}–{v.ends_on:%d/%m/%Y}",
        overseers=overseers(a.department, a.user_id, a.year, v.quarter),
    )
