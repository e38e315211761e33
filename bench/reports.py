"""Report rollups on PostgreSQL: the national ratings job against its complete floor.

.venv/bin/python bench/reports.py [N ...] [--reuse]    (members; default: 200000)
BENCH_DATABASE_URL=postgres://…/doanhub_<you>_1m .venv/bin/python bench/reports.py 1 --as-is

For each size, in a fresh database of its own (doanhub_bench_reports; never the main one):
``manage.py seed_demo --members N --reset``, then decided assessments for two years generated in
bulk with INSERT … SELECT (every member and every organisation; about 4 % left not rated). With
--as-is, the database of BENCH_DATABASE_URL as it is (a clone of doanhub_1m_base or
doanhub_6m_base: one year of demo_ratings), and the years that have decided ratings. Then, in
one process, interleaved round by round, the best of 3 of:

- floor: everything the job reads from the database, in SQL alone (FLOOR_* below): decided
  assessments per level and subject type rolled to the root's children and to the levels, the
  units existing and the members on the roll on each year's reference date, by child and level,
  everything placed where it was on that day (PastPlacement, PastBranch), as the job counts;
- build: the builder alone in the job's snapshot (the data part of the job: rollup, tables,
  narrative, integrity flags);
- job: the whole report job as the worker runs it to "done" (reports.services.run_job: snapshot,
  builder, workbook written, row saved);
- pdf: the follow-up task that renders the job's PDF after it is done (services.render_pdf; it
  was inside the job until issue 13, where it dwarfed the data part), printed beside, not in job/floor;
- prov.floor / prov.job: the same for the largest province-level unit.
It prints job/floor for both, the peak RSS (the worker's code path) and the load average.

Measured 03/12/2026 on a clone of doanhub_1m_base (10⁶ members, 876.709 assessments, 2026), 2 cores
shared with other engineers, ``BENCH_DATABASE_URL=…/doanhub_reportjob_1m bench/reports.py 1 --as-is``,
best of 3, against this complete (as-of) floor:
- before (main at 61cd36c; its PDF inside the job), load 9,1 → 7,4: floor 2,34 s, build 9,72 s
  (4,15×), job 12,90 s (5,51×); province floor 0,21 s, job 4,72 s (22×); peak RSS 384 MB;
- after (integrity in grouped SQL, the PDF a follow-up task), load 4,3 → 4,5: floor 1,45 s,
  build 2,52 s (1,75×), job 2,52 s (1,74×), its PDF 3,83 s after "done"; province floor 0,12 s,
  job 0,60 s (4,9×); peak RSS 239 MB. Goal 1,3× not reached: the integrity table's grouped
  reads (a second pass over the year's ratings, 1,1 s, and the quota history's two, 0,5 s each)
  remain beside the rollup's.
Measured again 04/12/2026 on a quiet machine, a fresh doanhub_1m_base cloned as
doanhub_1m_rep (same size, one year of demo_ratings), the same command, twice (load 0.88 and
0.95 at the end): floor 0.92–0.93 s, build 1.74–1.79 s (1.89–1.93×), job 1.87–1.89 s (2.03×),
its PDF 2.16 s after; province floor 0.15–0.16 s, job 0.29–0.32 s (1.89–2.06×); peak RSS
237–239 MB. The 1.74× above was taken under load 4.3, which stretched the floor (1.45 s) more
than the job: quiet, the ratio is 2.03×. Of the build, the integrity table takes about 1.2 s
alone (its facts statement 0.65 s, the cap history's counts 0.26 s and pairs 0.15 s); the job's
rollup is near its floor. Tried and dropped: replaying the flags' own statements as a floor
part (the job then "beat" floor + flags, 0.92×: no floor), and computing the level once under
an OFFSET 0 barrier in the facts statement (0.68 → 1.0 s: the parallel aggregate is lost).
The earlier floor (one GROUP BY of the decided assessments) left out the unit and member counts
the job also computes, so the job could "beat" it (0.95× at 2 M, issue 13).
Measured 08/12/2026 on a fresh doanhub_1m_base (``bench/seed.py 1000000``, VACUUM ANALYZE) cloned
as doanhub_1m_rep, the same command, main at adf363c ("old", from a worktree) and after the cap
check's single pass for a subtree (5840b96, "new"), interleaved old/new three times; this
machine is slower than 04/12's (seed_demo 143 s, was 78; floor 1.6–2.2 s, was 0.92), loads 1.7–7.4
from the runs themselves and the other benches of the session:
    old  floor 2.13 / 1.62 / 2.07 s, build 3.73 / 3.26 / 3.86, job 3.92 / 3.77 / 3.97 s: 1.84–2.32×
         province floor 0.42 / 0.35 / 0.45, job 0.63 / 0.67 / 0.68 s: 1.51–1.92×
    new  floor 1.71 / 2.15 / 1.88 s, build 2.66 / 2.85 / 3.05, job 2.92 / 3.69 / 2.94 s: 1.57–1.72×
         province floor 0.28 / 0.32 / 0.34, job 0.53 / 0.68 / 0.48 s: 1.41–2.12×
The build lost 0.6–1.1 s: the cap check's pairs and counts were two passes over the nation's
ratings (0.25–0.34 + 0.49–0.54 s here) and are one now. Goal 1.3×: not met. What is left above
the floor is the integrity table's facts statement (1.0–1.4 s here; a second pass over the
year's ratings beside the rollup's, with ten filtered aggregates a row; deriving two of them
from the others was within the noise) and the cap check's one pass.
"""

import os
import subprocess
import sys
import time

from _setup import ROOT, peak_rss_mb, setup

YEARS = (2024, 2025)
RUNS = int(os.environ.get("BENCH_ROUNDS", "3"))  # rounds of best_interleaved


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


# The complete floor: everything the ratings job computes from the database, in SQL alone (no
# Python per row), grouped per child of the root and per level of the tree (GROUPING SETS), for
# each year counted as of its reference date as the job counts it (reports.builders.ratings.days:
# the period's lock date, else 31/12): the units that existed on the day, placed where they hung
# then (organizations.PastPlacement valid on the day, else their path); decided assessments per
# level and subject type, by their unit's place then (the root's own organisation ratings left
# out); members on the roll on the day (admitted by then, not left before it), in the chi đoàn
# they were in then (members.PastBranch valid on the day, else their chi đoàn).
FLOOR_PLACED = """
WITH d AS (
    SELECT y.year, y.day,
           COALESCE((SELECT pp.path FROM organizations_pastplacement pp WHERE pp.unit_id = %(root)s
                     AND pp.valid_to > y.day AND (pp.valid_from IS NULL OR pp.valid_from <= y.day) LIMIT 1),
                    %(root_path)s) AS root_path
    FROM unnest(%(year_list)s::int[], %(day_list)s::date[]) AS y(year, day)
),
placed AS (
    SELECT d.year, o.id, o.level_id, substr(COALESCE(pp.path, o.path), 1, length(d.root_path) + 4) AS child
    FROM organizations_organization o CROSS JOIN d
    LEFT JOIN organizations_pastplacement pp ON pp.unit_id = o.id
         AND pp.valid_to > d.day AND (pp.valid_from IS NULL OR pp.valid_from <= d.day)
    WHERE (o.founded_on IS NULL OR o.founded_on <= d.day) AND (o.ended_on IS NULL OR o.ended_on > d.day)
      AND COALESCE(pp.path, o.path) LIKE d.root_path || '%%'
)
"""
FLOOR_DECIDED = (
    FLOOR_PLACED
    + """
SELECT x.year, pl.child, pl.level_id, x.subject_type,
       sum(x.n0), sum(x.n1), sum(x.n2), sum(x.n3), grouping(pl.child)
FROM (SELECT p.year, a.unit_id, a.subject_type,
             count(*) FILTER (WHERE a.final_level = 'HTXSNV') AS n0,
             count(*) FILTER (WHERE a.final_level = 'HTTNV') AS n1,
             count(*) FILTER (WHERE a.final_level = 'HTNV') AS n2,
             count(*) FILTER (WHERE a.final_level = 'KHTNV') AS n3
      FROM evaluations_assessment a JOIN evaluations_ratingperiod p ON p.id = a.period_id
      WHERE p.year IN %(years)s AND a.status IN ('approved', 'locked') {cut}
      GROUP BY 1, 2, 3) x
JOIN placed pl ON pl.id = x.unit_id AND pl.year = x.year
WHERE NOT (x.unit_id = %(root)s AND x.subject_type <> 'member')
GROUP BY GROUPING SETS ((1, 2, 3, 4), (1, 3, 4))
"""
)
FLOOR_UNITS = (
    FLOOR_PLACED
    + """
SELECT pl.year, pl.child, pl.level_id, count(*), grouping(pl.child)
FROM placed pl WHERE pl.id <> %(root)s
GROUP BY GROUPING SETS ((1, 2, 3), (1, 3))
"""
)
FLOOR_MEMBERS = (
    FLOOR_PLACED
    + """
SELECT x.year, pl.child, pl.level_id, sum(x.n), grouping(pl.child)
FROM (SELECT d.year, COALESCE(pb.branch_id, m.branch_id) AS branch, count(*) AS n
      FROM {members} m CROSS JOIN d
      LEFT JOIN members_pastbranch pb ON pb.member_id = m.id
           AND pb.valid_to > d.day AND (pb.valid_from IS NULL OR pb.valid_from <= d.day)
      WHERE (m.admitted_on IS NULL OR m.admitted_on <= d.day)
        AND (m.status IN ('active', 'transferring') OR m.status_changed_on > d.day)
      GROUP BY 1, 2) x
JOIN placed pl ON pl.id = x.branch AND pl.year = x.year
GROUP BY GROUPING SETS ((1, 2, 3), (1, 3))
"""
)
# A subtree's floor cuts before grouping, as the job does (never slower than it need be): the
# ratings of units under the root on a day; the members in them now (the chi đoàn index), and
# those moved since from elsewhere (their past chi đoàn may have been under the root).
CUT_DECIDED = "AND a.unit_id IN (SELECT id FROM placed)"
CUT_MEMBERS = """(SELECT * FROM members_member WHERE branch_id IN (SELECT id FROM placed)
    UNION ALL SELECT * FROM members_member WHERE id IN (SELECT member_id FROM members_pastbranch)
        AND branch_id NOT IN (SELECT id FROM placed))"""


def floor_statements(root) -> list[str]:
    whole = root.depth == 1
    return [
        FLOOR_DECIDED.replace("{cut}", "" if whole else CUT_DECIDED),
        FLOOR_UNITS,
        FLOOR_MEMBERS.replace("{members}", "members_member" if whole else CUT_MEMBERS),
    ]


def floor(root, years=YEARS) -> int:
    """The three floor statements in the job's snapshot (so only the work differs), each year at
    the job's reference date (one small query, as the job's); the rows."""
    from django.db import connection

    from reports.builders.ratings import days
    from reports.services import snapshot

    rows = 0
    with snapshot(), connection.cursor() as cursor:
        dates = days(root, list(years))
        params = {
            "years": tuple(years),
            "year_list": list(dates),
            "day_list": list(dates.values()),
            "root": root.pk,
            "root_path": root.path,
        }
        for sql in floor_statements(root):
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


def best_interleaved(runners: dict, rounds: int) -> dict[str, float]:
    """Each runner once per round, in turn, ``rounds`` times; the best time of each. Interleaved,
    so a burst of load on a shared machine slows floor and job alike, not one of them."""
    best = dict.fromkeys(runners, float("inf"))
    for _ in range(rounds):
        for name, fn in runners.items():
            started = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def build_runner(root, years=YEARS):
    """The data part of the job: the ratings builder in the job's snapshot (rollup, tables,
    narrative, the integrity flags), without the workbook, the PDF and the row."""
    from reports.builders import ratings
    from reports.services import snapshot

    def run():
        with snapshot():
            ratings.build(root=root, year=years[-1], years=list(years))

    return run


def job_runner(root, user, years=YEARS, done: list | None = None):
    """The report job as the worker runs it, to "done" (the PDF follows in its own task: pdf_runner);
    each done job's id is appended to ``done``."""
    from reports.models import ReportJob
    from reports.services import run_job

    def run():
        # The row is made directly: request_job would also enqueue it on the configured broker.
        job = ReportJob.objects.create(
            kind="ratings", root=root, year=years[-1], requested_by=user, params={"years": list(years)}
        )
        job = run_job(job_id=job.pk)
        assert job.status == "done", job.error
        if done is not None:
            done.append(job.pk)

    return run


def pdf_runner(done: list):
    """The follow-up task's step after a job: render and store the PDF of the last done job."""
    from reports.services import pdf_state, render_pdf

    def run():
        job = render_pdf(job_id=done[-1])
        assert pdf_state(job) == "ready", job.params

    return run


def prepare(n: int, reuse: bool, as_is: bool = False) -> tuple[int, float, float, tuple[int, ...]]:
    """Seed N members and their assessments in a fresh database; with --reuse keep a database
    already seeded at that size (seeding 1 M takes about 7 minutes here); with --as-is take the
    database of BENCH_DATABASE_URL as it is (a clone of doanhub_1m_base or doanhub_6m_base:
    seed_demo and demo_ratings' one year). Returns the assessments, the seconds spent seeding and
    generating, and the years with decided ratings."""
    if reuse or as_is:
        setup("reports")
        from evaluations.models import Assessment
        from members.models import Member

        if as_is or (Member.objects.count() == n and Assessment.objects.exists()):
            decided = Assessment.objects.filter(status__in=Assessment.DECIDED)
            years = tuple(sorted(set(decided.values_list("period__year", flat=True).distinct())))
            return Assessment.objects.count(), 0.0, 0.0, years
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
    return assessments, seeded, time.perf_counter() - started, YEARS


def main(n: int, reuse: bool = False, as_is: bool = False) -> None:
    import tempfile

    media = tempfile.mkdtemp(prefix="doanhub-bench-reports-")
    os.environ["DJANGO_MEDIA_ROOT"] = media  # the workbooks written by the jobs go here, then away
    # A done job enqueues its PDF task: on the in-memory broker, never to a worker of the machine
    # (pdf_runner renders it in this process, timed on its own).
    os.environ["CELERY_BROKER_URL"] = "memory://"
    assessments, seeded, generated, years = prepare(n, reuse, as_is)

    from django.contrib.auth import get_user_model

    from members.models import Member
    from organizations.models import Organization

    user = get_user_model().objects.get(username="quantri")  # the demo superuser
    nation = Organization.objects.get(depth=1)
    province = Organization.objects.filter(depth=2).order_by("-members_total").first()
    done: list[int] = []
    figures = best_interleaved(
        {
            "floor": lambda: floor(nation, years),
            "build": build_runner(nation, years),
            "job": job_runner(nation, user, years, done),
            "pdf": pdf_runner(done),
            "prov.floor": lambda: floor(province, years),
            "prov.job": job_runner(province, user, years),
        },
        RUNS,
    )
    members = Member.objects.count() if as_is else n
    print(
        f"{members:>9,} {assessments:>11,} {','.join(map(str, years)):>9} {seeded:>6.0f}s {generated:>5.0f}s | "
        f"{figures['floor']:>9.2f} {figures['build']:>9.2f} {figures['build'] / figures['floor']:>6.2f}x "
        f"{figures['job']:>9.2f} {figures['job'] / figures['floor']:>6.2f}x {figures['pdf']:>7.2f} | "
        f"{province.members_total:>8,} {figures['prov.floor']:>9.2f} {figures['prov.job']:>9.2f} "
        f"{figures['prov.job'] / figures['prov.floor']:>6.2f}x | {peak_rss_mb():>6.0f} | "
        f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    import shutil

    shutil.rmtree(media, ignore_errors=True)


HEADER = (
    f"{'members':>9} {'assessments':>11} {'years':>9} {'seed':>7} {'gen':>6} | {'floor s':>9} {'build s':>9}"
    f" {'bld/fl':>7} {'job s':>9} {'job/fl':>7} {'pdf s':>7} | {'province':>8} {'floor s':>9} {'job s':>9} {'job/fl':>7} | {'RSS MB':>6} | load (1, 5, 15 min)"
)

if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [200_000]
    flags = [a for a in sys.argv[1:] if a in ("--reuse", "--as-is")]
    if os.environ.get("_BENCH_REPORTS_CHILD"):  # one size, in its own process
        main(sizes[0], "--reuse" in flags, "--as-is" in flags)
    else:  # one process per size, so each peak RSS is its own
        print(HEADER, flush=True)
        for size in sizes:
            env = {**os.environ, "_BENCH_REPORTS_CHILD": "1"}
            subprocess.run([sys.executable, __file__, str(size), *flags], check=True, env=env)
