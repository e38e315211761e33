"""Scoped reads of the "1+2" regime, the effective policy, and the yearly tallies.

Public for other apps (kept stable; evaluations and recognition may call these):

- ``yearly_tally(user, year) -> StaffTally | None``: one staff member's year — days reported
  against the minimum, by content type and by level visited, whether they completed. Not
  permission-scoped: the caller shows it beside a rating it already may see. Render it with
  ``{% include "fieldwork/_tally.html" with tally=tally %}``.
- ``visits_to_unit(user, org, year)``: the confirmed visits to ``org`` and the units under it,
  scoped to what ``user`` may see (a visit's ``str()`` names who, where, when, what).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from organizations.levels import level_order, plain_branch_q
from organizations.models import Level, Organization
from organizations.scoping import scoped

from . import rules
from .models import (
    Department,
    DepartmentPlan,
    FieldworkPolicy,
    LevelQuota,
    PlannedVisit,
    StaffAssignment,
    StaffPlan,
    VisitContent,
    VisitReport,
    staff_name,
)

PROVINCE_PATH = "department__organization__path"


# --- the policy --------------------------------------------------------------------------------


@dataclass
class Policy:
    """The rules in force for one province and year: the tightest of the policies on its path."""

    year: int
    minimum_days: int = 60
    report_late_days: int = 10
    plan_deadline_days: int = 10
    quotas: dict[int, tuple[Level, int]] = field(default_factory=dict)  # level id -> (level, days)
    sources: list[FieldworkPolicy] = field(default_factory=list)

    def plan_deadline(self, quarter: int) -> date:
        """The last day to register a quarter plan: step 1 asks for it "đầu mỗi quý" (seed 004)."""
        return date(self.year, 3 * quarter - 2, 1) + timedelta(days=self.plan_deadline_days - 1)


def _tightest(year: int, rows: list[FieldworkPolicy], *, quotas: bool) -> Policy:
    policy = Policy(year=year, sources=rows)
    if rows:
        policy.minimum_days = max(r.minimum_days for r in rows)
        policy.report_late_days = min(r.report_late_days for r in rows)
        policy.plan_deadline_days = min(r.plan_deadline_days for r in rows)
    for row in rows if quotas else []:
        for quota in row.quotas.all():
            known = policy.quotas.get(quota.level_id, (quota.level, 0))[1]
            policy.quotas[quota.level_id] = (quota.level, max(known, quota.minimum_days))
    return policy


def effective_policies(pairs: Iterable[tuple[Organization, int]], *, quotas: bool = True) -> dict:
    """The policy in force for each (unit, year), keyed by (unit id, year), in one query (two
    with the level quotas) whatever the number of pairs: the inbox and lists use it."""
    pairs = list(pairs)
    if not pairs:
        return {}
    paths = {p for org, _ in pairs for p in [*org.ancestor_paths(), org.path]}
    rows = FieldworkPolicy.objects.filter(year__in={y for _, y in pairs}, organization__path__in=paths)
    rows = rows.select_related("organization").order_by("organization__depth")
    if quotas:
        rows = rows.prefetch_related(Prefetch("quotas", LevelQuota.objects.select_related("level")))
    rows = list(rows)
    return {
        (org.pk, year): _tightest(
            year, [r for r in rows if r.year == year and org.path.startswith(r.organization.path)], quotas=quotas
        )
        for org, year in pairs
    }


def effective_policy(org: Organization, year: int) -> Policy:
    """Policies on ``org`` and its ancestors for ``year``; a lower one only tightens (more days,
    less time to plan or to report), so the strictest figure of each wins. Defaults: 60 days a
    year, plans within the first 10 days of the quarter, reports within 10 days of the visit."""
    return effective_policies([(org, year)])[(org.pk, year)]


# --- scoped reads ------------------------------------------------------------------------------


def assignments_visible(user, year: int | None = None) -> QuerySet:
    qs = scoped(user, StaffAssignment.objects.all(), PROVINCE_PATH).filter(rules.assignment_q(user))
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("user", "department", "department__organization")


def plans_visible(user) -> QuerySet:
    """Staff see their own plans, heads their department's, approvers the whole province."""
    qs = scoped(user, StaffPlan.objects.all(), f"assignment__{PROVINCE_PATH}")
    return qs.filter(rules.assignment_q(user, "assignment__")).select_related(
        "assignment__user", "assignment__department__organization", "department_plan"
    )


def department_plans_visible(user) -> QuerySet:
    staff_of = StaffAssignment.objects.filter(user=user).values("department_id")
    qs = scoped(user, DepartmentPlan.objects.all(), PROVINCE_PATH)
    return qs.filter(rules.department_q(user, "department__") | Q(department_id__in=staff_of)).select_related(
        "department__organization", "decided_by"
    )


def departments_visible(user) -> QuerySet:
    staff_of = StaffAssignment.objects.filter(user=user).values("department_id")
    qs = scoped(user, Department.objects.all(), "organization__path")
    return qs.filter(rules.department_q(user) | Q(pk__in=staff_of)).select_related("organization", "head")


def departments_managed(user) -> QuerySet:
    """Departments whose pages the user opens: as head, as organisation department, as manager."""
    qs = scoped(user, Department.objects.all(), "organization__path")
    return qs.filter(rules.department_q(user)).select_related("organization", "head")


def visits_visible(user) -> QuerySet:
    qs = scoped(user, PlannedVisit.objects.all(), f"assignment__{PROVINCE_PATH}")
    return qs.filter(rules.assignment_q(user, "assignment__")).select_related(
        "assignment__user", "assignment__department__organization", "target__level", "plan", "report"
    )


def confirmed_q(prefix: str = "") -> Q:
    """A visit that may take place: in an approved plan, or an unplanned visit consented to."""
    return Q(
        **{f"{prefix}status": PlannedVisit.Status.PLANNED, f"{prefix}plan__status": StaffPlan.Status.APPROVED}
    ) | Q(**{f"{prefix}status": PlannedVisit.Status.CONSENTED})


def visits_to_unit(user, org: Organization, year: int) -> QuerySet:
    """Step 5: confirmed visits to ``org`` or a unit under it, so the unit can prepare.

    Scoped by the visited unit's path: whoever sees the unit sees the visits to it."""
    qs = PlannedVisit.objects.filter(confirmed_q(), target__path__startswith=org.path, starts_on__year=year)
    return (
        scoped(user, qs, "target__path")
        .select_related("assignment__user", "assignment__department", "target__level", "report")
        .order_by("starts_on", "pk")
    )


def unplanned_staff(departments, year: int, quarter: int) -> QuerySet:
    """Staff of ``departments`` bound by the regime in ``year`` who have not registered a plan for
    ``quarter`` (none, or still a draft). A returned plan counts as registered: it was, on time or not."""
    registered = StaffPlan.objects.filter(assignment=OuterRef("pk"), quarter=quarter).exclude(
        status=StaffPlan.Status.DRAFT
    )
    return StaffAssignment.objects.filter(
        department__in=departments, year=year, post_kind=StaffAssignment.PostKind.MOVEMENT, exemption=""
    ).exclude(Exists(registered))


def unit_suggestions(province: Organization, limit: int = 500) -> QuerySet:
    """Districts and tổ chức cơ sở Đoàn of the province (chi đoàn cơ sở included; not chi đoàn: too
    many), to suggest visit targets."""
    qs = Organization.objects.filter(path__startswith=province.path, status="active").exclude(plain_branch_q())
    return qs.exclude(pk=province.pk).order_by("path").values_list("code", "name")[:limit]


def staff_provinces(user) -> list[Organization]:
    """Provinces with departments that the user may see (for the dashboard's headings)."""
    ids = departments_visible(user).values("organization_id")
    return list(Organization.objects.filter(pk__in=ids).order_by("path"))


# --- tallies -----------------------------------------------------------------------------------


@dataclass
class StaffTally:
    """One staff member's year in the "1+2" regime (public: evaluations shows it)."""

    assignment: StaffAssignment
    name: str
    department: str
    eligible: bool
    status_label: str  # "Thuộc diện" / the exemption or the post kind
    minimum_days: int
    days: int = 0
    visits: int = 0
    by_content: dict[str, int] = field(default_factory=dict)  # VisitContent value -> days
    by_level: dict[int, int] = field(default_factory=dict)  # Level id -> days
    quotas: list[tuple[Level, int, int]] = field(default_factory=list)  # level, required, done
    expected_by_now: int = 0
    year_over: bool = False
    late_reports: int = 0

    @property
    def completed(self) -> bool:
        """Days at least the minimum and every level quota met."""
        return self.days >= self.minimum_days and all(done >= need for _, need, done in self.quotas)

    @property
    def behind_pace(self) -> bool:
        return self.eligible and self.days < self.expected_by_now

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.days / self.minimum_days)) if self.minimum_days else 100


def year_fraction(year: int, as_of: date) -> Decimal:
    """How much of ``year`` has elapsed on ``as_of`` (0 before it, 1 after it)."""
    if as_of.year < year:
        return Decimal(0)
    if as_of.year > year:
        return Decimal(1)
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return Decimal((as_of - start).days) / Decimal((end - start).days)


def _report_figures(assignment_ids: list[int]):
    """One grouped query: days and visits per staff member, content type and level visited."""
    return (
        VisitReport.objects.filter(confirmed_q("visit__"), visit__assignment_id__in=assignment_ids)
        .values("visit__assignment_id", "visit__content", "visit__target__level_id")
        .annotate(days=Sum("days_spent"), visits=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
    )


def tallies(assignments: QuerySet, year: int, *, as_of: date | None = None) -> list[StaffTally]:
    """Tallies for the given assignments of ``year``, in a constant number of queries."""
    rows = list(assignments.filter(year=year).select_related("user", "department__organization"))
    policies = effective_policies({(a.department.organization, year) for a in rows})
    fraction = year_fraction(year, as_of or timezone.localdate())
    result: dict[int, StaffTally] = {}
    for a in rows:
        policy = policies[(a.department.organization_id, year)]
        label = (
            "Thuộc diện" if a.is_eligible else (a.get_exemption_display() if a.exemption else a.get_post_kind_display())
        )
        expected = (Decimal(policy.minimum_days) * fraction).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        result[a.pk] = StaffTally(
            assignment=a,
            name=staff_name(a.user),
            department=a.department.name,
            eligible=a.is_eligible,
            status_label=label,
            minimum_days=policy.minimum_days,
            expected_by_now=int(expected),
            year_over=fraction >= 1,
            quotas=[(lv, days, 0) for lv, days in policy.quotas.values()],
        )
    for fig in _report_figures(list(result)):
        t = result[fig["visit__assignment_id"]]
        t.days += fig["days"]
        t.visits += fig["visits"]
        t.late_reports += fig["late"]
        t.by_content[fig["visit__content"]] = t.by_content.get(fig["visit__content"], 0) + fig["days"]
        level_id = fig["visit__target__level_id"]
        t.by_level[level_id] = t.by_level.get(level_id, 0) + fig["days"]
    for t in result.values():
        t.quotas = [(lv, need, t.by_level.get(lv.pk, 0)) for lv, need, _ in t.quotas]
    return list(result.values())


def yearly_tally(user, year: int, *, as_of: date | None = None) -> StaffTally | None:
    """The staff member ``user``'s tally for ``year`` (None when not on a province's staff list
    that year). Stable public API: evaluations calls it beside the staff member's annual rating."""
    found = tallies(StaffAssignment.objects.filter(user=user), year, as_of=as_of)
    return found[0] if found else None


def province_tallies(root: Organization, year: int, *, as_of: date | None = None) -> list[StaffTally]:
    """Every staff member of every province at or under ``root`` (no user scope: report builder)."""
    qs = StaffAssignment.objects.filter(department__organization__path__startswith=root.path)
    return tallies(
        qs.order_by("department__organization__path", "department__name", "user__last_name", "pk"), year, as_of=as_of
    )


@dataclass
class Completion:
    eligible: int
    completed: int
    exempt: int
    not_required: int


def completion(items: list[StaffTally]) -> Completion:
    """Completion of eligible staff only: exemptions and non-movement posts are left out."""
    eligible = [t for t in items if t.eligible]
    return Completion(
        eligible=len(eligible),
        completed=sum(1 for t in eligible if t.completed),
        exempt=sum(1 for t in items if t.assignment.exemption),
        not_required=sum(1 for t in items if not t.assignment.exemption and not t.eligible),
    )


def content_labels() -> list[tuple[str, str]]:
    return list(VisitContent.choices)


def levels_visited(items: list[StaffTally]) -> list[Level]:
    """The levels that appear in the tallies (visited or with a quota), top level first."""
    ids = {lid for t in items for lid in t.by_level} | {lv.pk for t in items for lv, _, _ in t.quotas}
    return list(Level.objects.filter(pk__in=ids).order_by(*level_order(), "code"))
