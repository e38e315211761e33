"""The national rollup through the API against the report job computing the same numbers.

.venv/bin/python bench/api.py [N] [--reuse | --as-is]   (members; default: 200000)

In a database of its own (doanhub_bench_api, or BENCH_DATABASE_URL), seeded as bench/reports.py
seeds (its own code: seed_demo, then two years of decided assessments), or with --as-is the
database of BENCH_DATABASE_URL as it is (a clone of doanhub_1m_base / doanhub_6m_base), the best
of 3 interleaved runs (bench/reports.py's best_interleaved) of:
- job: reports.services.run_job for the nation, as the worker runs it (snapshot, builder, Excel);
- api: GET /api/v1/rollups/?unit=<nation>&year=<last year> with the demo superuser's token, the
  whole request (token lookup, throttle, the builder's rollup passes, JSON).
Issue 17 asks api ≤ 1.3 × job. Figures: docs/architecture.md (API), with the load average.
"""

import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/doanhub_bench_api")


def _bench_reports():
    """bench/reports.py by path (the name ``reports`` is the Django app's)."""
    sys.path.insert(0, str(HERE))
    spec = importlib.util.spec_from_file_location("bench_reports", HERE / "reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(n: int, reuse: bool, as_is: bool) -> None:
    import tempfile

    os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="doanhub-bench-api-")
    bench = _bench_reports()
    assessments, _, _, years = bench.prepare(n, reuse, as_is)

    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from api.tokens import create_token
    from members.models import Member
    from organizations.models import Organization

    user = get_user_model().objects.get(username="quantri")  # the demo superuser
    nation = Organization.objects.get(depth=1)
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, name='bench', days=1)[1]}")
    url = f"/api/v1/rollups/?unit={nation.code}&year={years[-1]}"

    def api_call():
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]

    best = bench.best_interleaved({"job": bench.job_runner(nation, user, years[-1:]), "api": api_call}, bench.RUNS)
    job, api = best["job"], best["api"]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{Member.objects.count():>9,} {assessments:>11,} year {years[-1]} | job {job:6.2f} s  api {api:6.2f} s  "
        f"api/job {api / job:4.2f}x | load {load}"
    )


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [200_000]
    main(sizes[0], "--reuse" in sys.argv, "--as-is" in sys.argv)
