"""What is waiting for a user in the "1+2" regime, shown on their home page (doanhub.dashboard).

A handful of counts, each one query: staff plans waiting for their head's merge, department
plans waiting for the organisation department or the Standing office, unplanned visit requests,
the user's returned plans and overdue visit reports."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from organizations.inbox import InboxItem
from organizations.models import Post
from organizations.scoping import open_posts

from .models import DepartmentPlan, PlannedVisit, StaffPlan
from .selectors import confirmed_q


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

    waiting = StaffPlan.objects.filter(status=StaffPlan.Status.SUBMITTED, assignment__department__head=user)
    first = (
        waiting.order_by("assignment__year", "quarter")
        .values_list("assignment__department_id", "assignment__year", "quarter")
        .first()
    )
    if first:
        link = reverse("fieldwork:department", args=[first[0]]) + f"?nam={first[1]}&quy={first[2]}"
        add("Kế hoạch đi cơ sở của cán bộ chờ trưởng ban tổng hợp", waiting.count(), link=link)
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
                _standing_q(user, "assignment__department__organization__path"), status=PlannedVisit.Status.REQUESTED
            ).count(),
            link=reverse("fieldwork:requests"),
        )
    add(
        "Kế hoạch đi cơ sở của bạn bị trả lại",
        StaffPlan.objects.filter(status=StaffPlan.Status.RETURNED, assignment__user=user).count(),
        urgent=True,
    )
    add("Chuyến đi cơ sở quá hạn báo cáo", overdue_reports(user).count(), urgent=True)
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


def overdue_reports(user):
    """The user's confirmed visits ended more than 10 days ago and not yet reported (the common
    deadline; the report itself is flagged against the province's own policy when it comes)."""
    cutoff = timezone.localdate() - timedelta(days=10)
    return PlannedVisit.objects.filter(confirmed_q(), assignment__user=user, ends_on__lt=cutoff, report__isnull=True)
