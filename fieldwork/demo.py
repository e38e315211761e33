"""Demo data for the "1+2" regime: a year's policy, departments, staff, plans and reports for the
demo province, built through the same services as the pages (so it is audited and valid).

Idempotent: departments, staff and assignments are updated in place; a quarter already planned
by a staff member is left alone."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Level, Organization, Post

from . import services
from .models import PlannedVisit, StaffPlan, VisitContent

PASSWORD = "DoanHub@2026"  # members.demo.DEMO_PASSWORD; repeated so fieldwork never needs it present

DEPARTMENTS = [  # name, is the organisation department
    ("Ban Xây dựng Đoàn", True),
    ("Ban Tuyên giáo", False),
    ("Ban Phong trào", False),
    ("Văn phòng", False),
]

STAFF = [  # username, full name, department index, head?, post kind, exemption
    ("bxd.truongban", "Nguyễn Văn Xây Dựng", 0, True, "movement", ""),
    ("canbo.tinh", "Lê Văn Cán Bộ", 0, False, "movement", ""),
    ("btg.truongban", "Trần Thị Tuyên Giáo", 1, True, "movement", ""),
    ("btg.canbo", "Hoàng Minh Tuyên", 1, False, "movement", ""),
    ("bpt.truongban", "Phạm Đức Phong Trào", 2, True, "movement", ""),
    ("bpt.canbo", "Vũ Thị Phong", 2, False, "movement", "maternity"),
    ("vp.chanhvanphong", "Đỗ Văn Phòng", 3, True, "movement", ""),
    ("vp.laixe", "Bùi Văn Lái", 3, False, "driver", ""),
]


@dataclass
class DemoResult:
    province: Organization | None = None
    year: int = 0
    plans_created: int = 0
    reports_created: int = 0
    logins: list[str] = field(default_factory=list)


def demo_province() -> Organization | None:
    """The province where the demo user canbo.tinh (members/demo.py) works, else the first one."""
    post = (
        Post.objects.filter(user__username="canbo.tinh", ended_on__isnull=True).select_related("organization").first()
    )
    if post:
        return post.organization
    return Organization.objects.filter(level__code="tinh").order_by("path").first()


def _standing_user(province: Organization):
    User = get_user_model()
    user = User.objects.filter(username="thuongtruc.tinh").first()
    if user is None:
        user = User.objects.create_user(
            username="thuongtruc.tinh", password=PASSWORD, first_name="Trần Thị Thường", last_name="Trực"
        )
    if not Post.objects.filter(
        user=user, organization=province, role=Post.Role.APPROVER, ended_on__isnull=True
    ).exists():
        Post.objects.create(user=user, organization=province, role=Post.Role.APPROVER)
    return user


def _staff_user(username: str, full_name: str, province: Organization):
    User = get_user_model()
    first, _, last = full_name.rpartition(" ")
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    if not Post.objects.filter(user=user, organization=province, ended_on__isnull=True).exists():
        Post.objects.create(user=user, organization=province, role=Post.Role.STAFF, title="Cán bộ chuyên trách")
    return user


def _targets(province: Organization) -> dict[str, list[Organization]]:
    units = (
        Organization.objects.filter(path__startswith=province.path, status=Organization.Status.ACTIVE)
        .exclude(pk=province.pk)
        .select_related("level")
        .order_by("path")
    )
    found: dict[str, list[Organization]] = {"huyen": [], "co-so": [], "chi-doan": []}
    for unit in units.filter(level__code__in=list(found))[:400]:
        found[unit.level.code].append(unit)
    return {k: v for k, v in found.items() if v}


@transaction.atomic
def seed(*, year: int | None = None, today: date | None = None, seed: int = 4) -> DemoResult:
    today = today or timezone.localdate()
    year = year or today.year
    rng = random.Random(seed)
    province = demo_province()
    result = DemoResult(province=province, year=year)
    if province is None:
        return result
    standing = _standing_user(province)
    levels = {lv.code: lv for lv in Level.objects.filter(code__in=["chi-doan", "co-so", "huyen"])}
    quotas = {levels[c]: d for c, d in (("chi-doan", 30), ("co-so", 20), ("huyen", 10)) if c in levels}
    services.policy_save(
        organization=province,
        year=year,
        minimum_days=60,
        report_late_days=10,
        quotas=quotas,
        note="Hướng dẫn 37-HD/TĐTN-TCKT (mẫu)",
        by=standing,
    )
    people = [(spec, _staff_user(spec[0], spec[1], province)) for spec in STAFF]
    depts = [
        services.department_save(
            organization=province,
            name=name,
            is_organisation_department=org_dept,
            head=next(u for s, u in people if s[2] == i and s[3]),
            by=standing,
        )
        for i, (name, org_dept) in enumerate(DEPARTMENTS)
    ]
    assignments = []
    for (username, _, dept_index, _, kind, exemption), user in people:
        assignments.append(
            services.assignment_save(
                year=year,
                user=user,
                department=depts[dept_index],
                post_kind=kind,
                exemption=exemption,
                exemption_reason="Nghỉ thai sản từ tháng 3" if exemption else "",
                by=standing,
            )
        )
        result.logins.append(username)
    targets = _targets(province)
    last_quarter = 4 if year < today.year else (today.month - 1) // 3 + 1 if year == today.year else 0
    for quarter in range(1, last_quarter + 1):
        _run_quarter(
            rng, year, quarter, today, [a for a in assignments if a.is_eligible], depts, targets, standing, result
        )
    return result


def _run_quarter(rng, year, quarter, today, assignments, depts, targets, standing, result):
    """Plan, merge, forward and approve a quarter (the current one stays registered with the
    heads, for the inbox), then report the visits already over."""
    start, end = services.quarter_bounds(year, quarter)
    current = start <= today <= end
    for a in assignments:
        if StaffPlan.objects.filter(assignment=a, quarter=quarter).exists():
            continue
        plan = services.plan_create(assignment=a, quarter=quarter, by=a.user)
        _plan_visits(rng, plan, start, targets)
        # registered in the quarter's first days, now and then a day or two after the deadline
        submitted_on = min(today, start + timedelta(days=2 + a.pk % 10))
        services.plan_submit(plan=plan, by=a.user, submitted_on=submitted_on)
        result.plans_created += 1
    if current:
        return
    org_head = next(d.head for d in depts if d.is_organisation_department)
    for dept in depts:
        if not StaffPlan.objects.filter(
            assignment__department=dept, assignment__year=year, quarter=quarter, status=StaffPlan.Status.SUBMITTED
        ).exists():
            continue
        dplan = services.department_plan_merge(department=dept, year=year, quarter=quarter, by=dept.head)
        services.department_plan_forward(plan=dplan, by=org_head)
        services.department_plan_approve(plan=dplan, by=standing)
    for visit in PlannedVisit.objects.filter(
        plan__quarter=quarter,
        plan__assignment__year=year,
        report__isnull=True,
        plan__status=StaffPlan.Status.APPROVED,
        ends_on__lt=today,
    ).select_related("assignment__user", "assignment__department__organization"):
        late = rng.random() < 0.1
        reported = min(today, visit.ends_on + timedelta(days=rng.randint(12, 20) if late else rng.randint(1, 7)))
        services.visit_report(
            visit=visit,
            results=f"Đã {visit.get_content_display().lower()} tại {visit.target.name}.",
            days_spent=visit.days,
            reported_on=reported,
            by=visit.assignment.user,
        )
        result.reports_created += 1


def _plan_visits(rng, plan, start: date, targets) -> None:
    """About 22 days a quarter, mostly at chi đoàn and cơ sở, as the 30/20/10 split asks; now and
    then a trip fewer, so the dashboard has someone behind pace."""
    weights = [("chi-doan", 5, 2), ("co-so", 4, 2), ("huyen", 4, 1)]
    day = start + timedelta(days=rng.randint(2, 6))
    for code, trips, length in weights:
        for _ in range(trips - (rng.random() < 0.15)):
            if code not in targets:
                continue
            content = rng.choice(VisitContent.values)
            services.visit_add(
                plan=plan,
                target=rng.choice(targets[code]),
                content=content,
                starts_on=day,
                ends_on=day + timedelta(days=length - 1),
                days=length,
                purpose=f"{VisitContent(content).label} theo chương trình công tác quý {plan.quarter}.",
                by=plan.assignment.user,
            )
            day += timedelta(days=length + rng.randint(1, 4))
