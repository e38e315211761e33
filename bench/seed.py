"""seed_demo and demo_ratings on PostgreSQL: time, rate and peak RSS of each, at several sizes.

.venv/bin/python bench/seed.py [N ...]      (default: 100000 1000000)

Per size, in a fresh database (doanhub_bench_seed, or BENCH_DATABASE_URL): seed_demo's
members.demo.seed(N), then demo_ratings' evaluations.demo.seed_ratings() on what it wrote, each
in a process of its own, so each peak RSS (ru_maxrss) is that step's alone. Issue 13 asks both to
stream with bounded memory (make run DEMO_MEMBERS=1000000 on a 4 GB machine).
"""

import os
import subprocess
import sys

from _setup import peak_rss_mb, setup, timed


def seed(n: int) -> None:
    setup("seed", fresh=True)  # an empty, freshly migrated database for each size
    from members import demo
    from members.models import Member

    results: dict[str, float] = {}
    with timed("seed", results):
        result = demo.seed(members=n, seed=1)
    assert Member.objects.count() == n
    _row("seed_demo", n, "members", results["seed"], f"{result.units:,} units")


def ratings(n: int) -> None:
    setup("seed")  # the database the seed step just wrote
    from evaluations import demo

    results: dict[str, float] = {}
    with timed("ratings", results):
        result = demo.seed_ratings(seed=1)
    assert not result.skipped
    _row("demo_ratings", n, "assessments", results["ratings"], "", count=result.created)


def _row(step: str, n: int, unit: str, secs: float, extra: str, count: int | None = None) -> None:
    count = n if count is None else count
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{step:<13} {n:>10,} {secs:>8.1f} {count / secs:>10,.0f} {unit:<12} {peak_rss_mb():>8.0f} "
        f"{extra:>13} load {load}",
        flush=True,
    )


if __name__ == "__main__":
    if sys.argv[1:2] in (["seed"], ["ratings"]):  # one step at one size, in its own process
        {"seed": seed, "ratings": ratings}[sys.argv[1]](int(sys.argv[2]))
    else:
        head = f"{'step':<13} {'members':>10} {'seconds':>8} {'rate/s':>10} {'of':<12} {'peak MB':>8}"
        print(head, flush=True)
        for size in sys.argv[1:] or ["100000", "1000000"]:
            for step in ("seed", "ratings"):
                subprocess.run([sys.executable, __file__, step, size], check=True)
