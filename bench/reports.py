"""Report rollups on PostgreSQL: the national rating rollup against its floor, side by side.

.venv/bin/python bench/reports.py [N ...] [--reuse]   (members; default: 200000)

For each size, in a fresh database of its own (doanhub_bench_reports; never the main one):
``manage.py seed_demo --members N --reset``, then decided assessments for two years generated in
bulk with INSERT … SELECT (every member and every organisation; about 4 % left not rated), then:

- floor: one hand-written SQL GROUP BY over the same decided assessments (two years, whole tree);
- rollup: the ratings builder's three grouped passes (reports.builders.ratings.rollup);
- build: the whole ratings builder (tables, charts, narrative);
- job: the whole report job as the worker runs it (reports.services.run_job: snapshot, builder,
  Excel workbook written, row saved);
- province: the same job for the largest province-level unit (about 100,000 members at 6 M).
Each figure is the median of 3 runs; the peak RSS is this process's (the worker's code path).

Measured on 23/11/2026 (2 cores shared with other work, PostgreSQL 15; two years of ratings):

    members  assessments | floor s  job s  job/floor | province members  job s | RSS MB
    200,000      415,946 |    0.25   0.32      1.29x |           49,174   0.15 |     69
  1,000,000    2,079,438 |    1.22   1.40      1.15x |           61,474   0.16 |     69
  2,000,000    4,159,136 |    2.32   2.21      0.95x |           62,466   0.23 |     69

Both grow linearly with the assessments (about 1.2 s per million members for two years); the
job's fixed part (Excel, saving the row) is about 0.1–0.2 s; memory does not grow with N (only
aggregated rows reach Python).
"""

import os
import statistics
import subprocess
import sys
import time

from _setup import ROOT, peak_rss_mb, setup

YEARS = (2024, 2025)
RUNS = 3


def _insert_select(model, columns: dict[str, str], from_sql: str) -> int:
    """INSERT INTO model's table SELECT …: listed columns from SQL, the rest from field defaults."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    cols, exprs, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        if f.column in columns:
            exprs.append(columns[f.column])
        elif f.null:
            exprs.append("NULL")
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            exprs.append("now()")
        elif f.default is NOT_PROVIDED and not f.blank:
            raise RuntimeError(f"no value for {model.__name__}.{f.name}")
        else:
            exprs.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} {from_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# 25 % excellent, 50 % good, 18 % completed, 3 % not completed, 4 % not rated (left in draft).
LEVEL_SQL = """CASE WHEN h < 25 THEN 'HTXSNV' WHEN h < 75 THEN 'HTTNV' WHEN h < 93 THEN 'HTNV'
                    WHEN h < 96 THEN 'KHTNV' ELSE '' END"""
STATUS_SQL = "CASE WHEN h < 96 THEN 'approved' ELSE 'draft' END"


def generate_assessments() -> int:
    """Decided assessments for every member and organisation, for each year (bench data only:
    the approving unit is the unit itself, which the rollup does not read)."""
    from datetime import date

    from django.db import connection

    from evaluations.models import Assessment, RatingPeriod
    from organizations.models import Organization

    root = Organization.objects.get(depth=1)
    written = 0
    for year in YEARS:
        period = RatingPeriod.objects.create(
            year=year, root=root, opens_on=date(year, 10, 1), locks_on=date(year, 12, 15)
        )
        common = {"period_id": str(period.pk), "final_level": LEVEL_SQL, "status": STATUS_SQL}
        written += _insert_select(
            Assessment,
            {
                **common,
                "subject_type": "'member'",
                "member_id": "m.id",
                "unit_id": "m.branch_id",
                "approving_unit_id": "m.branch_id",
            },
            f"FROM (SELECT id, branch_id, abs(hashtext(id::text || '{year}')) %% 100 AS h FROM members_member "
            "WHERE status = 'active') m",
        )
        for subject, where in (
            ("branch", "l.is_branch"),
            ("grassroots", "l.is_grassroots"),
            ("upper", "NOT l.is_branch AND NOT l.is_grassroots AND l.rank < 3 AND o.depth > 1"),
            ("collective", "(l.is_grassroots OR (NOT l.is_branch AND l.rank < 3)) AND o.depth > 1"),
        ):
            written += _insert_select(
                Assessment,
                {
                    **common,
                    "subject_type": f"'{subject}'",
                    "organization_id": "o.id",
                    "unit_id": "o.id",
                    "approving_unit_id": "o.id",
                },
                f"FROM (SELECT o.id, abs(hashtext(o.id::text || '{subject}{year}')) %% 100 AS h "
                f"FROM organizations_organization o JOIN organizations_level l ON l.id = o.level_id WHERE {where}) o",
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written


FLOOR_SQL = """
SELECT p.year, substr(o.path, 1, %s) AS child, o.level_id, a.subject_type, a.final_level, count(*)
FROM evaluations_assessment a
JOIN evaluations_ratingperiod p ON p.id = a.period_id
JOIN organizations_organization o ON o.id = a.unit_id
WHERE p.year IN %s AND a.status IN ('approved', 'locked') AND o.path LIKE %s
GROUP BY 1, 2, 3, 4, 5
"""


def floor(root) -> int:
    """The floor runs with the job's snapshot settings, so only the work differs."""
    from django.db import connection

    from reports.services import snapshot

    with snapshot(), connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [len(root.path) + 4, YEARS, root.path + "%"])
        return len(cursor.fetchall())


def in_snapshot(fn):
    """Run ``fn`` as the job does: inside reports.services.snapshot()."""

    def run():
        from reports.services import snapshot

        with snapshot():
            return fn()

    return run


def median_time(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def job_runner(root, user):
    from reports.models import ReportJob
    from reports.services import run_job

    def run():
        # The row is made directly: request_job would also enqueue it on the configured broker.
        job = ReportJob.objects.create(
            kind="ratings", root=root, year=YEARS[-1], requested_by=user, params={"years": list(YEARS)}
        )
        job = run_job(job_id=job.pk)
        assert job.status == "done", job.error

    return run


def prepare(n: int, reuse: bool) -> tuple[int, float, float]:
    """Seed N members and their assessments in a fresh database; with --reuse keep a database
    already seeded at that size (seeding 1 M takes about 7 minutes here)."""
    if reuse:
        setup("reports")
        from evaluations.models import Assessment
        from members.models import Member

        if Member.objects.count() == n and Assessment.objects.exists():
            return Assessment.objects.count(), 0.0, 0.0
    setup("reports", fresh=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--members", str(n), "--reset"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    assessments = generate_assessments()
    return assessments, seeded, time.perf_counter() - started


def main(n: int, reuse: bool = False) -> None:
    import tempfile

    media = tempfile.mkdtemp(prefix="doanhub-bench-reports-")
    os.environ["DJANGO_MEDIA_ROOT"] = media  # the workbooks written by the jobs go here, then away
    assessments, seeded, generated = prepare(n, reuse)

    from django.contrib.auth import get_user_model

    from organizations.models import Organization
    from reports.builders import ratings

    user = get_user_model().objects.get(username="quantri")  # the demo superuser
    nation = Organization.objects.get(depth=1)
    province = Organization.objects.filter(depth=2).order_by("-members_total").first()
    figures = {
        "floor": median_time(lambda: floor(nation)),
        "rollup": median_time(in_snapshot(lambda: ratings.rollup(nation, list(YEARS)))),
        "build": median_time(in_snapshot(lambda: ratings.build(root=nation, year=YEARS[-1], years=list(YEARS)))),
        "job": median_time(job_runner(nation, user)),
        "prov.floor": median_time(lambda: floor(province)),
        "prov.job": median_time(job_runner(province, user)),
    }
    ratio = figures["job"] / figures["floor"]
    print(
        f"{n:>9,} {assessments:>11,} {seeded:>6.0f}s {generated:>5.0f}s | "
        + " ".join(f"{figures[k]:>9.2f}" for k in ("floor", "rollup", "build", "job"))
        + f" {ratio:>6.2f}x | {province.members_total:>8,} {figures['prov.floor']:>9.2f} {figures['prov.job']:>9.2f}"
        + f" | {peak_rss_mb():>6.0f}",
        flush=True,
    )
    import shutil

    shutil.rmtree(media, ignore_errors=True)


HEADER = (
    f"{'members':>9} {'assessments':>11} {'seed':>7} {'gen':>6} | {'floor s':>9} {'rollup s':>9} {'build s':>9}"
    f" {'job s':>9} {'job/fl':>7} | {'province':>8} {'floor s':>9} {'job s':>9} | {'RSS MB':>6}"
)

if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [200_000]
    reuse = "--reuse" in sys.argv
    if os.environ.get("_BENCH_REPORTS_CHILD"):  # one size, in its own process
        main(sizes[0], reuse)
    else:  # one process per size, so each peak RSS is its own
        print(HEADER, flush=True)
        for size in sizes:
            env = {**os.environ, "_BENCH_REPORTS_CHILD": "1"}
            subprocess.run([sys.executable, __file__, str(size), *(["--reuse"] if reuse else [])], check=True, env=env)
