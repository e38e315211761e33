"""Integrity flags (evaluations.integrity): how often the even-spread check fires, and what the
flags cost on the approval queue and in the province report.

    .venv/bin/python bench/integrity.py [MEMBERS]      (default 20.000 members)

1. Simulation (no database): the share of batches the ``uniform_band`` check flags, for scripted
   scores (integers drawn uniformly from 70–85) and for honest ones (normal around 82, σ = 5 and
   σ = 3, rounded), at 20, 30, 45 and 60 scores; 4.000 batches each, fixed seed. These are the
   figures the module's docstring quotes.
2. On PostgreSQL (doanhub_bench_integrity): the demo tree with MEMBERS members and
   ``demo_ratings``, every chi đoàn's batch given points (honest) and every tenth one scripted
   70–85; then ``batch_flags`` over 200 waiting batches (the queue page's cap) and
   ``subtree_flags`` over the root (the report's table): time, queries, flags found."""

import random
import sys
from decimal import Decimal

from _setup import peak_rss_mb, setup, timed

SIZES = (20, 30, 45, 60)


def simulate(trials: int = 4000) -> None:
    from evaluations.integrity import Batch, uniform_band

    rng = random.Random(1)
    kinds = {
        "scripted 70–85": lambda: Decimal(rng.randint(70, 85)),
        "honest σ=5": lambda: Decimal(min(100, round(rng.gauss(82, 5)))),
        "honest σ=3": lambda: Decimal(min(100, round(rng.gauss(85, 3)))),
    }
    print("uniform_band: share of batches flagged")
    for name, draw in kinds.items():
        shares = []
        for n in SIZES:
            hits = sum(
                uniform_band(Batch.of("x", 0, points=[draw() for _ in range(n)])) is not None for _ in range(trials)
            )
            shares.append(f"{n}: {100 * hits / trials:.1f} %")
        print(f"  {name:16} " + ", ".join(shares))


def main(members: int) -> None:
    setup("integrity", fresh=True)
    simulate()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations import integrity
    from evaluations.models import Assessment, Status, Submission
    from organizations.models import Organization

    call_command("seed_demo", "--members", str(members), "--seed", "3", verbosity=0)
    call_command("demo_ratings", verbosity=0)
    rng = random.Random(2)
    batches = list(Submission.objects.exclude(status=Status.DRAFT).order_by("pk"))
    scripted_units = set()
    for i, batch in enumerate(batches):
        rows = list(batch.assessments.filter(subject_type="member"))
        scripted = i % 10 == 0
        if scripted:
            scripted_units.add(batch.unit_id)
        for row in rows:
            row.points = rng.randint(70, 85) if scripted else min(100, round(rng.gauss(82, 5)))
        Assessment.objects.bulk_update(rows, ["points"])
    waiting = list(Submission.objects.filter(status=Status.SUBMITTED).order_by("pk")[:200])
    root = Organization.objects.get(depth=1)
    results: dict = {}
    with CaptureQueriesContext(connection) as queue_queries, timed("queue", results):
        queue = integrity.batch_flags(waiting)
    with CaptureQueriesContext(connection) as report_queries, timed("report", results):
        report = integrity.subtree_flags(root=root, year=batches[0].period.year)
    print(f"{members} members, {len(batches)} sent batches ({len(waiting)} waiting on the queue)")
    print(
        f"queue: {results['queue'] * 1000:.0f} ms, {len(queue_queries)} queries, "
        f"{sum(len(f) for f in queue.values())} flags"
    )
    print(
        f"report: {results['report'] * 1000:.0f} ms, {len(report_queries)} queries, "
        f"{sum(len(u.flags) for u in report)} flags on {len(report)} units"
    )
    codes: dict[tuple, int] = {}
    for unit in report:
        for flag in unit.flags:
            key = (flag.code, "scripted" if unit.unit.pk in scripted_units else "honest")
            codes[key] = codes.get(key, 0) + 1
    big = sum(1 for b in batches if b.assessments.filter(subject_type="member").count() >= 30)
    print(f"report flags by kind and batch: {codes}; batches of 30+ members: {big}, {len(scripted_units)} scripted")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
