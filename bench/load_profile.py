"""Server-side cost of each page of bench/load.py, one request at a time (``--profile``).

Each page is requested in this process through Django's test client with the production
settings the bench gives gunicorn (DEBUG off, the whole middleware stack, sessions in the
database), as every role that sees it. Per request: wall time, CPU time of this process, number
of queries and the time spent in them (the database's work plus the driver's). The machine is
shared, so the CPU time is the figure to compare: other processes' load stretches the wall time,
not it. Then, for the costliest role of each page, the functions that took the most time
(cProfile, cumulative, the project's own code first)."""

import cProfile
import io
import logging
import pstats
import statistics
import time
from dataclasses import dataclass, field

from _setup import ROOT


class QueryTimer:
    """``connection.execute_wrapper``: counts the queries and the time in them."""

    def __init__(self):
        self.count, self.seconds, self.each = 0, 0.0, []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.count += 1
            self.seconds += took
            self.each.append((took, sql))


@dataclass
class Cost:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    query_time: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float, timer: QueryTimer) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.queries.append(timer.count)
        self.query_time.append(timer.seconds)

    def median(self, values) -> float:
        return statistics.median(values) * 1000

    def row(self) -> str:
        return (
            f"{self.median(self.wall):>8.1f} {self.median(self.cpu):>8.1f} {max(self.queries):>5}"
            f" {self.median(self.query_time):>8.1f}"
        )


def _timed_get(client, url: str) -> tuple[float, float, QueryTimer, int]:
    from django.db import connection

    timer = QueryTimer()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timer):
        response = client.get(url)
    return time.perf_counter() - started, time.process_time() - cpu, timer, response.status_code


def measure(client, url: str, repeat: int) -> Cost:
    """One warm-up request (the worker's connection, the template cache), then ``repeat``."""
    _, _, _, status = _timed_get(client, url)
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")
    cost = Cost()
    for _ in range(repeat):
        wall, cpu, timer, _ = _timed_get(client, url)
        cost.add(wall, cpu, timer)
    return cost


SQL_SHOWN = 220  # characters of each of the slowest queries shown
BUCKETS = (  # where a function's own time is counted, by the file it lives in (first match)
    ("templates", ("/django/template/", "/django/templatetags/", "/crispy_forms/")),
    ("database driver", ("/psycopg/", "/psycopg2/", "/sqlite3/")),
    ("ORM", ("/django/db/",)),
    ("other Django", ("/django/", "/rest_framework/", "/whitenoise/", "/axes/")),
    ("project", ("",)),  # what is left under the checkout, .venv aside
)


def _bucket(filename: str) -> str:
    if filename.startswith(str(ROOT)) and "/.venv/" not in filename:
        return "project"
    return next((name for name, parts in BUCKETS[:-1] if any(p in filename for p in parts)), "Python and other")


def top_costs(client, url: str, limit: int) -> str:
    """One profiled request: its own CPU time summed by kind of code, then the project's functions
    with the most time under them (the middleware chain, which holds everything, left out)."""
    from django.db import connection

    profiler, timer = cProfile.Profile(time.process_time), QueryTimer()  # CPU: wall time says little here
    with connection.execute_wrapper(timer):
        profiler.enable()
        client.get(url)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    buckets: dict[str, float] = {}
    for func, (_, _, tottime, _, _) in stats.stats.items():
        buckets[_bucket(func[0])] = buckets.get(_bucket(func[0]), 0.0) + tottime
    out = io.StringIO()
    shares = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in sorted(buckets.items(), key=lambda b: -b[1]))
    out.write(f"      own time by kind (ms, total {total * 1000:.0f}): {shares}\n")
    own = [
        (func, row)
        for func, row in stats.stats.items()
        if _bucket(func[0]) == "project" and row[3] < 0.9 * total and "/bench/" not in func[0]
    ]
    for func, (_, calls, tottime, cumtime, _) in sorted(own, key=lambda f: -f[1][3])[:limit]:
        where = f"{func[0][len(str(ROOT)) + 1 :]}:{func[1]} {func[2]}"
        out.write(f"      {cumtime * 1000:>7.1f} ms under {tottime * 1000:>6.1f} own {calls:>6}× {where}\n")
    for took, sql in sorted(timer.each, key=lambda q: -q[0])[:3]:
        out.write(f"      {took * 1000:>7.1f} ms  {' '.join(sql.split())[:SQL_SHOWN]}\n")
    return out.getvalue()


def profile(plans: dict[str, tuple[object, dict[str, str]]], *, repeat: int, top: int) -> None:
    """``plans``: role → (logged-in test client, {page: url}). Prints, per page, the costliest
    role's medians and the median over roles, then where that role's request spent its time."""
    logging.getLogger("doanhub.requests").setLevel(logging.WARNING)  # a line per request: noise here
    costs: dict[str, dict[str, Cost]] = {}
    for role, (client, pages) in plans.items():
        for page, url in pages.items():
            costs.setdefault(page, {})[role] = measure(client, url, repeat)
    print(f"per request, median of {repeat} (ms): wall, CPU of the process, queries (max), time in queries")
    print(f"{'page':<16} {'costliest role':<16} {'wall':>8} {'cpu':>8} {'q':>5} {'q ms':>8}   all roles: cpu p50")
    worst = {}
    for page in sorted(costs):
        by_role = costs[page]
        role = max(by_role, key=lambda r: by_role[r].median(by_role[r].cpu))
        worst[page] = role
        cpus = statistics.median(by_role[r].median(by_role[r].cpu) for r in by_role)
        print(f"{page:<16} {role:<16} {by_role[role].row()}   {cpus:>8.1f} ({len(by_role)} roles)")
    if top:
        print("where the costliest role's request spends its time (one profiled request; cProfile adds overhead):")
        for page, role in worst.items():
            client, pages = plans[role]
            print(f"  {page} as {role}:")
            print(top_costs(client, pages[page], top), end="")
