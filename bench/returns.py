"""Returns to the level above (issue 18): freezing a national return against the report job, and
the diff of two national versions with the history between them.

BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a clone of doanhub_1m_base> \\
    .venv/bin/python bench/returns.py [--year Y]

On the clone (never the base: the bench writes returns and a report job):
- floor: the ratings builder alone for the national root (reports.services.build_data: the same
  snapshot and queries a return freezes), the least any freeze from live data can cost;
- job: the report job as the worker runs it (run_job: builder, workbook, PDF, row saved);
- freeze (live): returns.services.submit from live data (builder + JSON + version row + audit);
- freeze (job): the same from the finished job (what the page's "Gửi cấp trên" does);
- history: the seed has no member events and few audit entries, so between a first and a last
  live version the bench writes some (INSERT … SELECT on the clone, which it changes for good):
  a transfer event for one member in TRANSFER_EVERY, and for one decided assessment of the year
  in REOPEN_EVERY a reopen (status back to submitted, an audit entry with its reason);
- diff: those two national versions compared cell by cell (returns.diff) plus the history between
  their submission times (returns.reasons over the whole tree: every event and entry written).
Each time is the median of RUNS runs; the load average is printed beside the figures.

Measured on 03/12/2026 on a clone of doanhub_1m_base (1,000,000 members, 875,164 assessments of
2026, 36,933 units), 2 cores shared by eight sessions — every figure dominated by the load:

    load avg     | floor s   job s  freeze live s  ratio/job | from job s | diff s (window)
    18.3 → 21.4  |   46.44  106.79          67.82      0.64x |      0.146 | 0.15 (no history)
    23.8 → 26.9  |   99.31  177.65          41.20      0.23x |      0.104 | 2.34 (95,000 transfers,
                                                                               14,305 reopened)
The diff's cells take 0.02 s; the rest is the history's grouped queries over the window.

Again on 03/12/2026 in the evening, same clone, after the PDF became a follow-up task and the
rollup's placements moved to SQL (bench/asof.py), six sessions sharing the 2 cores:

    load avg     | floor s   job s  freeze live s  ratio/job | from job s | diff s (window)
     6.5 ->  9.2 |    4.91    3.87           5.59      1.44x |      0.023 | 1.63 (95,000 transfers,
                                                                   14,509 reopened; not analysed)
    11.9 ->  8.0 |    5.40    3.67           4.31      1.17x |      0.020 | 0.51 (95,000 transfers,
                                                                   analysed)
The diff's 2.34 s and 1.63 s were mostly the planner's: the bench server runs with autovacuum
off, so the 95,000 events just written had no statistics, were estimated at 6 rows and joined to
the units by one index probe per event (EXPLAIN ANALYZE: 0.77 s and 0.60 s for the two event
queries); analysed, the same queries take 0.34 s and 0.21 s and the diff 0.51–0.57 s. The bench
now analyses what it wrote, as autovacuum would on a site."""

import argparse
import os
import statistics
import time

from _setup import peak_rss_mb, setup

RUNS = 3
TRANSFER_EVERY = 10  # members with a transfer event between the two versions
REOPEN_EVERY = 50  # decided assessments reopened between them


def write_history(year: int) -> tuple[int, int]:
    """Transfers and reopened ratings after the first version (bench data on the clone only)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from evaluations.models import Assessment, RatingPeriod
    from members.models import Member, MemberEvent
    from organizations.models import AuditEntry

    e, m, a, p = (x._meta.db_table for x in (MemberEvent, Member, Assessment, RatingPeriod))
    audit = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {e} (member_id, kind, date, from_branch_id, to_branch_id, reason, created_at)
                SELECT m.id, 'transfer_in', CURRENT_DATE, o.branch_id, m.branch_id, 'bench', now()
                FROM {m} m JOIN {m} o ON o.id = m.id + 50000 WHERE MOD(m.id, %s) = 0""",
            [TRANSFER_EVERY],
        )
        transfers = cursor.rowcount
        picked = f"""SELECT a.id FROM {a} a JOIN {p} p ON p.id = a.period_id
                     WHERE p.year = %s AND a.status IN ('approved', 'locked') AND MOD(a.id, %s) = 0"""
        cursor.execute(
            f"""INSERT INTO {audit} (at, by_id, organization_id, content_type_id, object_id, action,
                                      from_state, to_state, reason)
                SELECT now(), NULL, a.approving_unit_id, %s, a.id, 'reopen', 'Đã công nhận', 'Đã gửi', 'bench'
                FROM {a} a WHERE a.id IN ({picked})""",
            [ContentType.objects.get_for_model(Assessment).pk, year, REOPEN_EVERY],
        )
        reopened = cursor.rowcount
        cursor.execute(f"UPDATE {a} SET status = 'submitted' WHERE id IN ({picked})", [year, REOPEN_EVERY])
        # Current statistics, as autovacuum keeps them on a site (it is off on the bench server):
        # without them the planner took the 95,000 new events for 6 and probed the units once per
        # event (2.34 s and 1.63 s for the diff on 03/12; 0.57 s once analysed).
        cursor.execute(f"ANALYZE {e}, {audit}, {a}")
    return transfers, reopened


def median(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int)
    args = parser.parse_args()
    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("Set BENCH_DATABASE_URL to a clone of doanhub_1m_base (never the base itself).")
    setup("returns")

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from evaluations.models import Assessment, RatingPeriod
    from members.models import Member, MemberEvent
    from organizations.models import AuditEntry, Organization
    from reports.models import ReportJob
    from reports.returns import diff, reasons, services
    from reports.returns.models import Return
    from reports.services import build_data, run_job

    root = Organization.objects.get_root_nodes().first()
    year = args.year or RatingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    user, _ = get_user_model().objects.get_or_create(
        username="bench.returns", defaults={"is_superuser": True, "is_staff": True}
    )
    sizes = {
        "members": Member.objects.count(),
        "assessments": Assessment.objects.filter(period__year=year).count(),
        "member events": MemberEvent.objects.count(),
        "audit entries": AuditEntry.objects.count(),
        "units": Organization.objects.count(),
    }
    print(f"root {root.code} ({root.name}), year {year}; " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"load average before: {os.getloadavg()}")

    started = timezone.now()
    floor, _ = median(lambda: build_data(kind="ratings", root=root, year=year, years=[]))

    def job():
        row = ReportJob.objects.create(
            kind="ratings", root=root, year=year, requested_by=user, params={"years": [year]}
        )
        return run_job(job_id=row.pk)

    job_s, done = median(job)
    freeze_live, _ = median(
        lambda: services.submit(kind="ratings", root=root, year=year, by=user, source=Return.Source.LIVE)
    )
    freeze_job, _ = median(lambda: services.submit(kind="ratings", root=root, year=year, by=user, job=done))
    mine = Return.objects.filter(kind="ratings", root=root, year=year, submitted_at__gte=started)
    first = mine.order_by("version").first()  # this run's first live version
    transfers, reopened = write_history(year)
    last = services.submit(kind="ratings", root=root, year=year, by=user, source=Return.Source.LIVE)

    def compare():
        result = diff.compare(first.data, last.data)
        return result, reasons.between(root=root, since=first.submitted_at, until=last.submitted_at)

    diff_s, (result, why) = median(compare)
    cells_s, _ = median(lambda: diff.compare(first.data, last.data))
    print(f"load average after: {os.getloadavg()}")
    print(f"floor (builder alone)      {floor:7.2f} s")
    print(
        f"job (run_job, xlsx + pdf)  {job_s:7.2f} s   job {done.status}, {done.duration.total_seconds():.2f} s on the row"
    )
    print(
        f"freeze, live data          {freeze_live:7.2f} s   ratio to job {freeze_live / job_s:5.2f}x, to floor {freeze_live / floor:5.2f}x"
    )
    print(f"freeze, from the job       {freeze_job:7.3f} s   ratio to job {freeze_job / job_s:5.3f}x")
    print(
        f"history between v{first.version} and v{last.version}: {transfers:,} transfer events, {reopened:,} reopened ratings"
    )
    print(
        f"diff v{first.version}–v{last.version}            {diff_s:7.3f} s   {result.changed_count} changed rows, "
        f"{len(why.overall)} reasons (cells alone {cells_s:.3f} s)"
    )
    print(f"peak RSS {peak_rss_mb():.0f} MB; returns saved {Return.objects.filter(root=root).count()}")


if __name__ == "__main__":
    main()
