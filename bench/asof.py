"""Reports counted as of a date (issue 18) against the same rollup by today's paths.

BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a clone of doanhub_1m_base> \\
    .venv/bin/python bench/asof.py [--history]

On the clone (never the base), for the national root and the largest province, interleaved
round by round (bench/reports.py's ``best_interleaved``, best of BENCH_ROUNDS, default 3):
- live: the rollup's three grouped passes by the units' current paths in SQL alone
  (bench/reports.py's ``floor``: no history read, nothing per row in Python), the least an
  as-of rollup can cost and what a report cost before it counted as of a date;
- as-of: ``reports.builders.ratings.rollup`` for the builder's default years (the two before
  the year too) on their reference dates, and on a mid-year day of the year;
- build: the ratings and membership builders whole (``reports.services.build_data``: rollup,
  tables, narrative and, for ratings, the integrity flags).
With --history, the clone first gets some history (once; it keeps it): one unit in
MOVED_EVERY placed elsewhere before the mid-year day (a past placement under another child of
its parent's parent) and one member in TRANSFERRED_EVERY in another chi đoàn before it (a past
chi đoàn), so the as-of passes have rows to read. It prints each time, its ratio to live, the
Python process's CPU seconds of the as-of rollup (the part the load average cannot inflate as
much) and the load average before and after.

Measured on 03/12/2026 on a clone of doanhub_1m_base (1,000,000 members, 876,709 assessments of
2026, 36,739 units) with --history (727 past placements, 10,000 past chi đoàn spells), years
2024–2026, best of 3, 2 cores shared by six sessions, load 7.7 -> 5.4:

                 live s  as-of s  as-of 30/06 s  build ratings s  build membership s  Python CPU s
    nation        1.90     1.66       1.65            2.99              0.71              0.26
    province      0.68     0.49       0.52            0.65              0.15              0.18
    (T18, 64,059 members)

Before (the per-unit ``Placement`` in Python, commit 61cd36c), the same clone without history,
load 7–11: the as-of national rollup 2.99–3.28 s against 1.96–2.19 s for the rollup by current
paths of the code before issue 18 (1.5x), its Python part 1.1 s of 2.8 s under cProfile; the
province's as-of rollup 1.38 s against 0.42 s live (a merge join over 6.5 M pairs:
organizations.history.placed_under)."""

import argparse
import os
import time
from datetime import date
from pathlib import Path

from _setup import setup

RUNS = int(os.environ.get("BENCH_ROUNDS", "3"))
MOVED_EVERY = 50  # units with a past placement (about 700 of 37,000)
TRANSFERRED_EVERY = 100  # members with a past chi đoàn (10,000 of 1,000,000)


def write_history(day: date) -> tuple[int, int]:
    """Past placements and past chi đoàn spells ending after ``day`` (bench data, clone only)."""
    from django.db import connection

    from members.models import Member, PastBranch
    from organizations.models import Organization, PastPlacement

    o, pp, m, pb = (x._meta.db_table for x in (Organization, PastPlacement, Member, PastBranch))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {pp}")
        if cursor.fetchone()[0]:
            cursor.execute(f"SELECT (SELECT count(*) FROM {pp}), (SELECT count(*) FROM {pb})")
            return cursor.fetchone()
        # a unit below a province "was" under the province's first child: same depth, other branch
        cursor.execute(
            f"""INSERT INTO {pp} (unit_id, path, valid_from, valid_to)
                SELECT u.id, substr(u.path, 1, 8) || '0001' || substr(u.path, 13), NULL, %s
                FROM {o} u WHERE u.depth > 3 AND MOD(u.id, %s) = 0""",
            [date.today(), MOVED_EVERY],
        )
        moved = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {pb} (member_id, branch_id, valid_from, valid_to)
                SELECT x.id, o.branch_id, NULL, %s FROM {m} x JOIN {m} o ON o.id = x.id + 50000
                WHERE MOD(x.id, %s) = 0""",
            [date.today(), TRANSFERRED_EVERY],
        )
        spells = cursor.rowcount
        cursor.execute(f"ANALYZE {pp}, {pb}")  # autovacuum is off on the bench server
        return moved, spells


def _bench_reports():
    """bench/reports.py (its floor and its interleaving), by file: "reports" is also the app."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_reports", Path(__file__).with_name("reports.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cpu(fn):
    def run():
        started = time.process_time()
        fn()
        run.cpu = min(getattr(run, "cpu", float("inf")), time.process_time() - started)

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", action="store_true", help="write some history to the clone first")
    args = parser.parse_args()
    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("Set BENCH_DATABASE_URL to a clone of doanhub_1m_base (never the base itself).")
    setup("asof")

    floor = _bench_reports()
    best_interleaved = floor.best_interleaved
    from evaluations.models import Assessment, RatingPeriod
    from members.models import Member, PastBranch
    from organizations.models import Organization, PastPlacement
    from reports.builders import ratings
    from reports.builders.common import years_window
    from reports.services import build_data, snapshot

    year = RatingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    mid = date(year, 6, 30)
    history = write_history(mid) if args.history else (PastPlacement.objects.count(), PastBranch.objects.count())
    sizes = {
        "members": Member.objects.count(),
        "assessments": Assessment.objects.filter(period__year=year).count(),
        "units": Organization.objects.count(),
        "past placements": history[0],
        "past chi đoàn spells": history[1],
    }
    print(f"year {year}; " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    load_before = os.getloadavg()
    window = years_window(year, None, None)
    roots = {
        "nation": Organization.objects.get(depth=1),
        "province": Organization.objects.filter(depth=2).order_by("-members_total").first(),
    }

    def asof(root, as_of=None):
        def run():
            with snapshot():
                ratings.rollup(root, window, as_of=as_of)

        return cpu(run)

    runners, cpus = {}, {}
    for name, root in roots.items():
        runners[f"{name} live"] = lambda root=root: floor.floor(root, window)
        runners[f"{name} as-of"] = cpus[name] = asof(root)
        runners[f"{name} as-of {mid:%d/%m}"] = asof(root, mid)
        runners[f"{name} build ratings"] = lambda root=root: build_data(
            kind="ratings", root=root, year=year, years=window
        )
        runners[f"{name} build membership"] = lambda root=root: build_data(
            kind="membership", root=root, year=year, years=[]
        )
    figures = best_interleaved(runners, RUNS)
    print(f"years {window}; best of {RUNS}; load average before {load_before}, after {os.getloadavg()}")
    for name, root in roots.items():
        live = figures[f"{name} live"]
        print(f"{name} {root.code} ({root.members_total:,} members)")
        for label in ("live", "as-of", f"as-of {mid:%d/%m}", "build ratings", "build membership"):
            seconds = figures[f"{name} {label}"]
            print(f"  {label:<18} {seconds:7.2f} s   {seconds / live:5.2f}x live")
        print(f"  as-of rollup CPU in Python {cpus[name].cpu:.2f} s")


if __name__ == "__main__":
    main()
