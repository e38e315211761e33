"""seed_demo speed on PostgreSQL: members written per second at several sizes.

.venv/bin/python bench/seed.py [N ...]      (default: 100000 1000000)
"""

import sys

from _setup import peak_rss_mb, setup, timed


def main(n: int) -> None:
    setup("seed", fresh=True)  # an empty, freshly migrated database for each size
    from members import demo
    from members.models import Member

    results: dict[str, float] = {}
    with timed("seed", results):
        result = demo.seed(members=n, seed=1)
    assert Member.objects.count() == n
    secs = results["seed"]
    print(f"{n:>10,} {secs:>8.1f} {n / secs:>10,.0f} {result.units:>7,} {peak_rss_mb():>12.0f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        main(int(sys.argv[1]))
    else:  # one process per size, so each peak RSS is its own
        import subprocess

        print(f"{'members':>10} {'seconds':>8} {'members/s':>10} {'units':>7} {'peak RSS MB':>12}", flush=True)
        for size in sys.argv[1:] or ["100000", "1000000"]:
            subprocess.run([sys.executable, __file__, size], check=True)
