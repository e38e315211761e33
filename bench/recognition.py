""" "3 chủ động": report build, district board, province review and commendation at scale on PostgreSQL.

    .venv/bin/python bench/recognition.py [GRASSROOTS] [YEARS]      (default 20.000 đoàn cơ sở × 3 years)

Builds a small demo tree in its own database (doanhub_bench_recognition), adds GRASSROOTS đoàn cơ
sở spread over the first province's districts (rows written in bulk: the services are exercised by
the tests), one campaign a year for YEARS years with a registration for 80% of the units in mixed
states, then times the ReportData builds (national root and province), the district board page,
the province review page, the commendation list and the public selectors."""

import random
import sys
from datetime import date

from _setup import peak_rss_mb, setup, timed

DISTRICTS = 12


def build_data(grassroots: int, years: list[int]):
    from django.contrib.auth import get_user_model

    from evaluations.recognition import services
    from evaluations.recognition.models import Campaign, Decision, Registration
    from members import demo
    from organizations.models import Level, Organization
    from organizations.services import PathAllocator

    demo.seed(members=5000, seed=3)
    province = Organization.objects.filter(level__code="tinh", code__startswith="T").order_by("path").first()
    paths = PathAllocator()
    huyen = Level.objects.get(code="huyen")
    extra = [  # a province of DISTRICTS districts, as in the guidance's flow
        Organization(
            path=paths.child_path(province.path),
            code=f"B-H{j:02d}",
            name=f"Huyện đoàn mẫu {j}",
            name_folded=f"huyen doan mau {j}",
            level=huyen,
            depth=province.depth + 1,
            numchild=0,
        )
        for j in range(1, DISTRICTS + 1)
    ]
    Organization.objects.bulk_create(extra)
    districts = list(Organization.objects.filter(path__startswith=province.path, level=huyen).order_by("path"))
    level = Level.objects.get(code="co-so")
    units = [
        Organization(
            path=paths.child_path(districts[i % len(districts)].path),
            code=f"B-{i:06d}",
            name=f"Đoàn xã mẫu {i}",
            name_folded=f"doan xa mau {i}",
            level=level,
            depth=province.depth + 2,
            numchild=0,
        )
        for i in range(grassroots)
    ]
    Organization.objects.bulk_create(units, batch_size=5000)
    for d in [province, *districts]:  # treebeard's child count, kept right for the tree pages
        Organization.objects.filter(pk=d.pk).update(
            numchild=Organization.objects.filter(path__startswith=d.path, depth=d.depth + 1).count()
        )
    units = list(Organization.objects.filter(path__startswith=province.path, level=level))
    by_path = {d.path: d for d in districts}
    actor = get_user_model().objects.filter(is_superuser=True).first()
    rng = random.Random(5)
    Status = Registration.Status
    for year in years:
        campaign = services.campaign_create(province=province, year=year, by=actor)
        decision = {
            d.pk: Decision.objects.create(
                campaign=campaign, issued_by=d, number=f"{year}-{d.pk}", signed_on=date(year, 12, 20), signer="A"
            )
            for d in districts
        }
        rows = []
        for unit in units:
            if rng.random() > 0.8:
                continue
            parent = by_path.get(unit.path[: -Organization.steplen], province)
            status = rng.choice([Status.RECOGNISED] * 5 + [Status.NOT_RECOGNISED, Status.EVALUATED, Status.ACCEPTED])
            issued = decision.get(parent.pk) if status in (Status.RECOGNISED, Status.NOT_RECOGNISED) else None
            if issued is None and status in (Status.RECOGNISED, Status.NOT_RECOGNISED):
                status = Status.EVALUATED  # a unit directly under the province: no district decision here
            rows.append(
                Registration(
                    campaign=campaign, organization=unit, receiving_unit=parent, status=status, decision=issued
                )
            )
        Registration.objects.bulk_create(rows, batch_size=5000)
    return province, Campaign.objects.get(province=province, year=years[-1])


def districts_of(province):
    from organizations.models import Organization

    return list(Organization.objects.filter(path__startswith=province.path, level__code="huyen").order_by("path"))


def main():
    grassroots = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    n_years = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    setup("recognition", fresh=True)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from evaluations.recognition import reporting, selectors
    from evaluations.recognition.models import Registration
    from organizations.models import Organization, Post
    from organizations.numbers import vn_int

    settings.ALLOWED_HOSTS = ["*"]
    last = date.today().year
    years = list(range(last - n_years + 1, last + 1))
    results: dict[str, float] = {}
    with timed("set-up (tree + bulk rows)", results):
        province, campaign = build_data(grassroots, years)
    root = Organization.objects.get(depth=1)
    with timed("report build, national root", results):
        reporting.build(root=root, year=last)
    with timed("report build, province", results):
        data = reporting.build(root=province, year=last)
    with timed(f"commendation list, {n_years} years", results):
        rows = selectors.commendation_rows(province, years)
    with timed("recognised_units(province, years)", results):
        selectors.recognised_units(province, years)
    approver = Post.objects.get(user__username="thuongtruc.tinh").user
    client = Client()
    client.force_login(approver)
    district = districts_of(province)[1]
    pages = {
        "district board page (100 a page)": f"/3-chu-dong/dot/{campaign.pk}/bang/{district.code}/",
        "province board page (100 a page)": f"/3-chu-dong/dot/{campaign.pk}/bang/{province.code}/",
        "province review page": f"/3-chu-dong/dot/{campaign.pk}/kiem-tra/",
        "district board .xlsx": f"/3-chu-dong/dot/{campaign.pk}/bang/{district.code}/xlsx/",
    }
    counts = {}
    for label, url in pages.items():
        client.get(url)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries, timed(label, results):
            assert client.get(url).status_code == 200
        counts[label] = len(queries.captured_queries)
    print(f"{vn_int(grassroots)} đoàn cơ sở, {vn_int(Registration.objects.count())} đăng ký qua {n_years} năm")
    print(data.narrative[0])
    print(f"{vn_int(len(rows))} đơn vị trong danh sách tuyên dương")
    for label, seconds in results.items():
        extra = f"  ({counts[label]} queries)" if label in counts else ""
        print(f"  {label:<36} {seconds:7.2f} s{extra}")
    print(f"  peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
