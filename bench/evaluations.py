"""Annual rating on PostgreSQL: the secretary's page, inline saves, approve-all, quota, the import.

    .venv/bin/python bench/evaluations.py [MEMBERS] [IMPORT_ROWS]     (default 20.000 members, 5.000 rows)

Builds the demo tree in its own database (doanhub_bench_evaluations), runs ``demo_ratings``, then
times, for the largest chi đoàn: the page (queries and ms), one inline save, submit, approve-all
with the quota check; the quota meter of the largest đoàn cơ sở; and ``import_xlsx ratings`` of
IMPORT_ROWS eligible members under the rating's rules (engine.check over the whole file): a file
that passes (validate + write), one refused by the quota (every third row HTXSNV against 20 %;
nothing written), and a re-import reopening every row."""

import sys
import tempfile
import time
from datetime import date

from _setup import peak_rss_mb, setup, timed


def main(members: int, import_rows: int) -> None:
    setup("evaluations", fresh=True)
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from evaluations import demo, rules, services
    from evaluations.models import Assessment, RatingPolicy, Submission
    from evaluations.selectors import quota_meter, roster
    from members import demo as member_demo
    from members.models import Member
    from organizations.models import Organization, Post
    from tests.factories import make_user

    settings.ALLOWED_HOSTS = ["*"]
    results: dict[str, float] = {}
    with timed(f"seed_demo {members} members", results):
        member_demo.seed(members=members, seed=2)
    with timed("demo_ratings", results):
        made = demo.seed_ratings(year=date.today().year).created
    period = demo.RatingPeriod.objects.get(year=date.today().year)
    Assessment.objects.all().delete()
    Submission.objects.all().delete()

    branch_id, size = (
        Member.objects.values("branch_id").annotate(n=Count("pk")).order_by("-n").values_list("branch_id", "n").first()
    )
    branch = Organization.objects.select_related("level").get(pk=branch_id)
    secretary = make_user("bench.bithu", Post.Role.SECRETARY, branch)
    client = Client()
    client.force_login(secretary)
    url = reverse("evaluations:unit", args=[period.pk, branch.code])
    client.get(url)
    with CaptureQueriesContext(connection) as queries, timed(f"unit page, {size} members (empty)", results):
        client.get(url)
    page_queries = len(queries)
    rows = roster(period=period, unit=branch).eligible_rows
    started = time.perf_counter()
    for i, row in enumerate(rows):
        client.post(
            reverse("evaluations:member_save", args=[period.pk, branch.code, row.member.pk]),
            {"proposed_level": "HTXSNV" if i == 0 else "HTTNV", "participation_percent": "95"},
        )
    results[f"inline save, mean of {len(rows)}"] = (time.perf_counter() - started) / max(len(rows), 1)
    services.assessment_autosave(period=period, by=secretary, organization=branch, data={"proposed_level": "HTTNV"})
    with timed(f"unit page, {size} members (filled)", results):
        client.get(url)
    minutes = services.Minutes(
        meeting_on=date.today(), attendance=len(rows), attendance_total=len(rows), votes_for=len(rows)
    )
    with timed("submit", results):
        submission = services.submission_submit(period=period, unit=branch, by=secretary, minutes=minutes)
    approver = make_user("bench.duyet", Post.Role.APPROVER, submission.approving_unit)
    with timed(f"approve all ({len(rows) + 1} subjects, quota locked)", results):
        services.submission_approve(submission=submission, by=approver)
    biggest = Organization.objects.filter(level__is_grassroots=True).order_by("-members_total").first()
    with timed(f"quota meter, đoàn cơ sở of {biggest.members_total} members", results):
        quota_meter(period=period, approving_unit=biggest, subject_type="member")

    on_roll = Member.objects.exclude(citizen_id=None).exclude(branch=branch).order_by("pk")
    codes = [
        m.citizen_id
        for m in on_roll.iterator()
        if rules.eligibility(m, on=period.opens_on, min_months=6, exclude_party_members=False).eligible
    ][:import_rows]
    passing = _import(results, f"import_xlsx ratings, {len(codes)} rows (written)", period, codes, ["HTTNV", "HTNV"])
    assert passing.ok, passing.errors[:3]
    RatingPolicy.objects.filter(period=period).update(min_participation_excellent=None)  # the quota alone refuses
    refused = _import(
        results, f"import_xlsx ratings, {len(codes)} rows (refused)", period, codes, ["HTTNV", "HTNV", "HTXSNV"]
    )
    assert not refused.ok and not Assessment.objects.filter(final_level="HTXSNV", imported=True).exists()
    print(f"refused file: {len(refused.errors)} errors, e.g. {refused.errors[0]}")
    again = _import(results, f"import_xlsx ratings, {len(codes)} rows (reopened)", period, codes, ["HTNV", "HTTNV"])
    assert again.ok and again.updated == len(codes), again.errors[:3]

    print(f"demo_ratings wrote {made} assessments; unit page: {page_queries} queries")
    for label, seconds in results.items():
        print(f"{label:<55} {seconds * 1000:>10.1f} ms")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


def _import(results: dict, label: str, period, codes: list[str], levels: list[str]):
    """A ratings file of ``codes`` with ``levels`` in turn, imported as the system, reopening."""
    from openpyxl import Workbook

    from evaluations.importers import RatingImporter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Năm", "Loại đối tượng", "Mã đối tượng", "Xếp loại", "Ghi chú"])
    for i, code in enumerate(codes):
        sheet.append([period.year, "Đoàn viên", code, levels[i % len(levels)], ""])
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle.name)
        with timed(label, results):
            return RatingImporter(user=None, year=period.year, reopen=True, reason="bench").run(handle.name)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000, int(sys.argv[2]) if len(sys.argv) > 2 else 5000)
