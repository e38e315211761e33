"""What is waiting for a user in the "1+2" regime, shown on their home page (doanhub.dashboard).

A handful of counts, each a query or three, none growing with the data: staff plans waiting for
their head's merge, staff who let the plan deadline pass, department plans waiting for the
organisation department or the Standing office, unplanned visit requests, the user's returned
plans and overdue visit reports (both deadlines from the policy in force)."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications.deadlines import due_note
from organizations.inbox import InboxItem
from organizations.models import Post
from organizations.scoping import open_posts

from . import rules
from .models import Department, DepartmentPlan, PlannedVisit, StaffAssignment, StaffPlan
from .selectors import confirmed_q, effective_policies, unplanned_staff


def _standing_q(user, path_field: str) -> Q | None:
    if user.is_superuser:
        return Q()
    paths = [p.organization.path for p in open_posts(user) if p.role == Post.Role.APPROVER]
    if not paths:
        return None
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def items(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    url = reverse("fieldwork:index")
    found: list[InboxItem] = []

    def add(title: str, count: int, urgent: bool = False, link: str = url):
        if count:
            found.append(InboxItem(title=title, url=link, count=count, urgent=urgent))

    headed = list(Department.objects.filter(head=user).select_related("organization").order_by("pk"))
    if headed:
        _waiting_plans(headed, add)
        _missing_plans(headed, add)
    _department_plans(
        add,
        "Kế hoạch đi cơ sở của các ban chờ Ban Tổ chức trình Thường trực",
        DepartmentPlan.objects.filter(
            status=DepartmentPlan.Status.SUBMITTED,
            department__organization__fieldwork_departments__head=user,
            department__organization__fieldwork_departments__is_organisation_department=True,
        ),
    )
    standing = _standing_q(user, "department__organization__path")
    if standing is not None:
        _department_plans(
            add,
            "Kế hoạch đi cơ sở chờ Thường trực phê duyệt",
            DepartmentPlan.objects.filter(standing, status=DepartmentPlan.Status.FORWARDED),
        )
        add(
            "Đề xuất đi cơ sở đột xuất chờ Thường trực đồng ý",
            PlannedVisit.objects.filter(
                _standing_q(user, "assignment__department__organization__path"),
                rules.consent_open_q(timezone.localdate()),  # past their first day: only to refuse
                status=PlannedVisit.Status.REQUESTED,
            ).count(),
            link=reverse("fieldwork:requests"),
        )
    mine = _mine(user)
    _own_missing_plan(mine, add)
    add(
        "Kế hoạch đi cơ sở của bạn bị trả lại",
        StaffPlan.objects.filter(status=StaffPlan.Status.RETURNED, assignment__user=user).count(),
        urgent=True,
    )
    add("Chuyến đi cơ sở quá hạn báo cáo", overdue_reports(user, mine).count(), urgent=True)
    _upcoming_visits(user, add)
    return found


def _upcoming_visits(user, add) -> None:
    """Step 5: a visited district, cơ sở or chi đoàn sees the province's visits of the next two
    weeks, so it can prepare. Posts at the visiting province itself are left out (its staff
    see their plans elsewhere)."""
    posts = [p for p in open_posts(user) if p.role in (Post.Role.SECRETARY, Post.Role.APPROVER)]
    if not posts:
        return
    q = Q(pk__in=[])
    for post in posts:
        q |= Q(target__path__startswith=post.organization.path) & ~Q(
            assignment__department__organization__path__startswith=post.organization.path
        )
    today = timezone.localdate()
    count = PlannedVisit.objects.filter(q, confirmed_q(), starts_on__range=(today, today + timedelta(days=14))).count()
    if count:
        link = reverse("fieldwork:unit_visits", args=[posts[0].organization.code])
        add("Chuyến đi cơ sở của cán bộ tỉnh sắp tới đơn vị (14 ngày tới)", count, link=link)


def _department_plans(add, title: str, plans) -> None:
    """One item for the department plans waiting; it opens the oldest (or the list when several)."""
    ids = list(plans.order_by("year", "quarter", "pk").values_list("pk", flat=True)[:2])
    if ids:
        link = reverse("fieldwork:department_plan", args=[ids[0]]) if len(ids) == 1 else reverse("fieldwork:index")
        add(title, plans.count() if len(ids) > 1 else 1, link=link)


def _mine(user) -> tuple[list[StaffAssignment], dict]:
    """The user's staff-list rows (one a year) and the policy in force for each: two queries."""
    assignments = list(StaffAssignment.objects.filter(user=user).select_related("department__organization"))
    if not assignments:
        return [], {}
    return assignments, effective_policies({(a.department.organization, a.year) for a in assignments}, quotas=False)


def overdue_reports(user, mine: tuple | None = None) -> QuerySet:
    """The user's confirmed visits not yet reported and past the report deadline of the policy in
    force for their province and year (10 days in Thái Nguyên; lower levels may only shorten it),
    the same deadline that flags the report late when it comes. Built from two queries (the
    user's staff-list rows, one a year, and their policies: ``_mine``), whatever the number of visits."""
    assignments, policies = mine or _mine(user)
    if not assignments:
        return PlannedVisit.objects.none()
    today = timezone.localdate()
    due = Q(pk__in=[])
    for a in assignments:
        late_days = policies[(a.department.organization_id, a.year)].report_late_days
        due |= Q(assignment=a, ends_on__lt=today - timedelta(days=late_days))
    return PlannedVisit.objects.filter(due, confirmed_q(), report__isnull=True)


def _own_missing_plan(mine: tuple, add) -> None:
    """Step 1 for the staff member: this quarter's plan not registered once its deadline is past,
    marked late for them as for their head (one query more, and only then)."""
    assignments, policies = mine
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for a in assignments:
        if a.year != year:
            continue
        due = policies[(a.department.organization_id, year)].plan_deadline(quarter)
        if today > due and unplanned_staff([a.department], year, quarter).filter(pk=a.pk).exists():
            title = f"Kế hoạch đi cơ sở quý {quarter}/{year} của bạn chưa đăng ký ({due_note(due, today)})"
            add(title, 1, urgent=True, link=f"{reverse('fieldwork:index')}?nam={year}")


def _waiting_plans(departments: list[Department], add) -> None:
    """Step 2 for the department head: registered staff plans to merge; opens the oldest quarter."""
    waiting = StaffPlan.objects.filter(status=StaffPlan.Status.SUBMITTED, assignment__department__in=departments)
    first = (
        waiting.order_by("assignment__year", "quarter")
        .values_list("assignment__department_id", "assignment__year", "quarter")
        .first()
    )
    if first:
        link = reverse("fieldwork:department", args=[first[0]]) + f"?nam={first[1]}&quy={first[2]}"
        add("Kế hoạch đi cơ sở của cán bộ chờ trưởng ban tổng hợp", waiting.count(), link=link)


def _missing_plans(departments: list[Department], add) -> None:
    """Step 1 for the department head: staff bound by the regime who have not registered this
    quarter's plan once the policy's first days of the quarter are over."""
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    policies = effective_policies({(d.organization, year) for d in departments}, quotas=False)
    late = [d for d in departments if today > policies[(d.organization_id, year)].plan_deadline(quarter)]
    if not late:
        return
    per_department = dict(
        unplanned_staff(late, year, quarter).order_by().values_list("department_id").annotate(n=Count("pk"))
    )
    if per_department:
        link = reverse("fieldwork:department", args=[min(per_department)]) + f"?nam={year}&quy={quarter}"
        title = f"Cán bộ chưa đăng ký kế hoạch đi cơ sở quý {quarter}/{year} (đã quá hạn)"
        add(title, sum(per_department.values()), urgent=True, link=link)
