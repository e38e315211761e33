""" "1+2" field visits: tally, year-end report and dashboard speed on PostgreSQL.

    .venv/bin/python bench/fieldwork.py [STAFF] [VISITS_PER_STAFF]      (default 200 × 64)

Builds a demo tree in its own database (doanhub_bench_fieldwork), a province with STAFF staff
members in 5 departments, each with four approved quarter plans holding VISITS_PER_STAFF
reported visits (rows written in bulk: the services are exercised by the tests), then times the
province's tallies, the year-end ReportData build, the dashboard page and the visited unit's page."""

import random
import sys
from datetime import date, timedelta

from _setup import peak_rss_mb, setup, timed


def build_data(staff: int, per_staff: int, year: int):
    from django.contrib.auth import get_user_model

    from fieldwork.models import (
        Department,
        DepartmentPlan,
        PlannedVisit,
        StaffAssignment,
        StaffPlan,
        VisitContent,
        VisitReport,
    )
    from members import demo
    from organizations.models import Organization, Post

    demo.seed(members=20000, seed=7)
    province = Organization.objects.filter(level__code="tinh", code__startswith="T").order_by("path").first()
    units = list(Organization.objects.filter(path__startswith=province.path).exclude(pk=province.pk)[:2000])
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"bench.canbo{i}", last_name=f"Cán bộ {i}") for i in range(staff))
    Post.objects.bulk_create(Post(user=u, organization=province, role=Post.Role.STAFF) for u in users)
    depts = [Department.objects.create(organization=province, name=f"Ban {i}", head=users[i]) for i in range(5)]
    assignments = StaffAssignment.objects.bulk_create(
        StaffAssignment(year=year, user=u, department=depts[i % 5]) for i, u in enumerate(users)
    )
    dplans = {
        (d.pk, q): DepartmentPlan.objects.create(department=d, year=year, quarter=q, status="approved")
        for d in depts
        for q in range(1, 5)
    }
    plans = StaffPlan.objects.bulk_create(
        StaffPlan(assignment=a, quarter=q, status="approved", department_plan=dplans[(a.department_id, q)])
        for a in assignments
        for q in range(1, 5)
    )
    rng = random.Random(4)
    visits = []
    for plan in plans:
        start = date(year, 3 * plan.quarter - 2, 1)
        for _ in range(per_staff // 4):
            day = start + timedelta(days=rng.randint(0, 80))
            visits.append(
                PlannedVisit(
                    assignment_id=plan.assignment_id,
                    plan=plan,
                    target=rng.choice(units),
                    content=rng.choice(VisitContent.values),
                    starts_on=day,
                    ends_on=day,
                    days=1,
                    purpose="Khảo sát",
                )
            )
    visits = PlannedVisit.objects.bulk_create(visits, batch_size=5000)
    VisitReport.objects.bulk_create(
        (
            VisitReport(visit=v, results="Kết quả", days_spent=1, reported_on=v.ends_on + timedelta(days=3))
            for v in visits
        ),
        batch_size=5000,
    )
    return province, len(visits)


def main():
    staff = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    per_staff = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    setup("fieldwork", fresh=True)
    from django.conf import settings
    from django.test import Client

    from fieldwork import reporting, selectors
    from organizations.models import Organization, Post
    from organizations.numbers import vn_int

    settings.ALLOWED_HOSTS = ["*"]
    year = date.today().year - 1
    results: dict[str, float] = {}
    with timed("set-up (demo tree + bulk rows)", results):
        province, n_visits = build_data(staff, per_staff, year)
    with timed("province tallies", results):
        tallies = selectors.province_tallies(province, year)
    with timed("year-end ReportData build", results):
        data = reporting.build(root=province, year=year)
    approver = Post.objects.create(
        user=Post.objects.filter(role="staff").first().user, organization=province, role=Post.Role.APPROVER
    ).user
    client = Client()
    client.force_login(approver)
    client.get(f"/di-co-so/?nam={year}")
    with timed("dashboard page (approver)", results):
        assert client.get(f"/di-co-so/?nam={year}").status_code == 200
    district = Organization.objects.filter(path__startswith=province.path, level__code="huyen").first()
    with timed("visits to a district page", results):
        assert client.get(f"/di-co-so/don-vi/{district.code}/?nam={year}").status_code == 200
    print(f"{staff} cán bộ, {vn_int(n_visits)} chuyến đi đã báo cáo, {len(tallies)} bảng tổng hợp cá nhân")
    print(data.narrative[1])
    for label, seconds in results.items():
        print(f"  {label:<34} {seconds:7.2f} s")
    print(f"  peak RSS {peak_rss_mb():.0f} MB (query counts: tests/fieldwork/test_index_view.py)")


if __name__ == "__main__":
    main()
