"""Reports counted as of a reference date (issue 18): the same year's report, built before and
after a merge, a transfer, a move and a dissolution dated after the period's lock date
(15/12/2025, tests/reports/conftest.py), has the same figures as of that date, and the new ones
as of a later date. Through the service, the job, the command and the report page."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from members import services as members
from members.models import Member
from organizations import services as tree_services
from reports.models import ReportJob
from reports.serialize import from_json, to_json
from reports.services import build_data, request_job, run_job
from tests.factories import MemberFactory, make_unit, refresh_counts

LOCK = date(2025, 12, 15)  # the 2025 period's lock date: the default reference date
LATER = date(2026, 11, 30)
AFTER = date(2026, 1, 10)  # every change below happens after the lock date


def _report(root, as_of=None, kind="ratings"):
    return build_data(kind=kind, root=root, year=2025, years=[2025], as_of=as_of)


def _figures(data) -> dict:
    """The report's figures without the day sentence (which names the day asked for)."""
    out = to_json(data)
    return {"tables": out["tables"], "narrative": out["narrative"][1:], "charts": out["charts"]}


def _summary(data) -> dict[str, int]:
    """Subject label -> total (the denominator) in the summary table."""
    return {row[0]: row[1] for row in data.tables[0].rows}


def _child_members(data) -> dict[str, int]:
    table = next(t for t in data.tables if t.title.startswith("Đoàn viên — theo đơn vị"))
    return {row[0]: row[2] for row in table.rows}


@pytest.fixture
def changes(ratings, users):
    """After the lock date: a member of CD1 transfers to the other province; CD2 merges into CD1."""
    t = ratings

    def apply():
        moved = t.members[1]
        transfer = members.request_transfer(
            member=moved, to_branch=t.branch_other, by=users.secretary, on_date=date(2026, 1, 5)
        )
        members.accept_transfer(transfer=transfer, by=users.outsider, on_date=AFTER)
        tree_services.merge_unit(
            source=t.branch2, target=t.branch, by=users.province_admin, reason="Sáp nhập thôn", on_date=AFTER
        )

    return apply


def test_a_merge_and_a_transfer_after_the_lock_date_leave_the_report_as_of_it_unchanged(ratings, changes):
    before = _report(ratings.province)
    assert before.as_of == LOCK and before.narrative[0] == "Số liệu tính đến ngày 15/12/2025."
    assert _summary(before)["Đoàn viên"] == 6 and _summary(before)["Chi đoàn"] == 3
    changes()
    after = _report(ratings.province)
    assert _figures(after) == _figures(before)
    later = _report(ratings.province, as_of=LATER)
    # the transferred member left T1; CD2 is merged: 5 members, 2 chi đoàn
    assert _summary(later)["Đoàn viên"] == 5 and _summary(later)["Chi đoàn"] == 2
    assert later.narrative[0] == "Số liệu tính đến ngày 30/11/2026."


def test_the_transferred_member_counts_in_the_province_they_were_in_on_the_day(ratings, changes):
    before = _report(ratings.province2)
    changes()
    assert _figures(_report(ratings.province2)) == _figures(before)
    assert _summary(before)["Đoàn viên"] == 1
    assert _summary(_report(ratings.province2, as_of=LATER))["Đoàn viên"] == 2


def test_the_membership_report_as_of_the_day_is_unchanged_too(ratings, changes):
    before = _report(ratings.province, kind="membership")
    changes()
    assert _figures(_report(ratings.province, kind="membership")) == _figures(before)
    later = _report(ratings.province, as_of=LATER, kind="membership")
    assert later.tables[0].total[2] == 5 and before.tables[0].total[2] == 6
    assert "tính đến 30/11/2026" in later.tables[0].title


def test_a_moved_district_counts_under_its_old_province_until_it_moved(ratings, users):
    t = ratings
    before_t1, before_t2 = _report(t.province), _report(t.province2)
    assert _child_members(before_t1)["T1-H1"] == 5
    tree_services.move_unit(unit=t.district, new_parent=t.province2, by=users.superuser, on_date=AFTER)
    assert _figures(_report(t.province)) == _figures(before_t1)
    assert _figures(_report(t.province2)) == _figures(before_t2)
    later_t1, later_t2 = _report(t.province, as_of=LATER), _report(t.province2, as_of=LATER)
    assert "T1-H1" not in _child_members(later_t1) and _summary(later_t1)["Đoàn viên"] == 1
    assert _child_members(later_t2)["T1-H1"] == 5 and _summary(later_t2)["Đoàn viên"] == 6
    # the district's own report as of the lock date sees its subtree where it was then
    assert _summary(_report(t.district))["Đoàn viên"] == 5


def test_a_unit_dissolved_after_the_day_counts_and_one_dissolved_before_does_not(ratings, users):
    t = ratings
    late = make_unit(t.grassroots, "T1-H1-CS1-CD9", "Chi đoàn thôn Cũ", "chi-doan", founded_on=date(2020, 1, 1))
    early = make_unit(t.grassroots, "T1-H1-CS1-CD8", "Chi đoàn thôn Xưa", "chi-doan", founded_on=date(2020, 1, 1))
    refresh_counts()
    tree_services.dissolve_unit(unit=early, by=users.province_admin, reason="Giải thể", on_date=date(2025, 6, 1))
    before = _report(t.province)
    assert _summary(before)["Chi đoàn"] == 4  # CD1, CD2, BP1-CD1 and CD9, not CD8
    tree_services.dissolve_unit(unit=late, by=users.province_admin, reason="Giải thể", on_date=AFTER)
    assert _figures(_report(t.province)) == _figures(before)
    assert _summary(_report(t.province, as_of=LATER))["Chi đoàn"] == 3


def test_a_member_admitted_after_the_day_and_one_matured_before_it_are_not_counted(ratings, users):
    t = ratings
    MemberFactory(branch=t.branch3, birth_date=date(2008, 5, 1), admitted_on=date(2025, 12, 20))
    old = MemberFactory(branch=t.branch3, birth_date=date(1990, 1, 1), admitted_on=date(2006, 3, 26))
    late = MemberFactory(branch=t.branch3, birth_date=date(1991, 1, 1), admitted_on=date(2007, 3, 26))
    refresh_counts()
    members.mature(member=old, by=users.province_admin, on_date=date(2025, 11, 1))
    members.mature(member=late, by=users.province_admin, on_date=AFTER)  # on the roll on the day
    data = _report(t.province)
    assert _child_members(data)["T1-CS2"] == 2  # member3 and the one matured after the day
    assert _child_members(_report(t.province, as_of=LATER))["T1-CS2"] == 2  # member3 and the new one
    flows = _report(t.province, kind="membership").tables[2]
    cs2 = {row[0]: row[2:] for row in flows.rows}["T1-CS2"]
    assert cs2[0] == 0 and cs2[3] == 1  # admitted 20/12 is after the day; matured 01/11 is in it


def test_the_job_counts_as_of_its_day_and_keeps_it(ratings, users, changes):
    job = request_job(
        kind="ratings", root=ratings.province, year=2025, years=[2025], by=users.province_staff, as_of=LATER
    )
    assert ReportJob.objects.get(pk=job.pk).as_of == LATER
    changes()
    job = run_job(job_id=job.pk)
    assert job.status == "done", job.error
    data = from_json(job.result)
    assert data.as_of == LATER and data.narrative[0] == "Số liệu tính đến ngày 30/11/2026."
    assert _figures(data) == _figures(from_json(to_json(_report(ratings.province, as_of=LATER))))
    default = run_job(job_id=request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff).pk)
    assert from_json(default.result).as_of == LOCK


def test_a_day_before_the_year_or_in_the_future_is_refused_with_its_date(ratings, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="01/01/2025"):
        request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff, as_of=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="tương lai"):
        request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff, as_of=date(2099, 1, 1))
    assert not ReportJob.objects.exists()


def test_the_report_page_asks_for_the_day(client, ratings, users):
    client.force_login(users.province_staff)
    page = client.get(reverse("reports:index"))
    assert "Số liệu tính đến ngày" in page.content.decode()
    form = {"kind": "ratings", "year": "2025", "compare": "0", "root": "T1", "as_of": "30/11/2026"}
    response = client.post(reverse("reports:index"), form)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.as_of == LATER
    bad = client.post(reverse("reports:index"), {**form, "as_of": "31/02/2026"})
    assert "Ngày tính số liệu phải có dạng ngày/tháng/năm" in bad.content.decode()
    early = client.post(reverse("reports:index"), {**form, "as_of": "01/05/2024"})
    assert "phải từ 01/01/2025 trở đi" in early.content.decode()
    assert ReportJob.objects.count() == 1


def test_the_api_requests_a_job_as_of_a_day(ratings, users):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(users.province_staff)
    body = {"kind": "ratings", "root": "T1", "year": 2025, "as_of": "2026-11-30"}
    assert client.post("/api/v1/report-jobs/", body, format="json").status_code == 201
    assert ReportJob.objects.get().as_of == LATER
    refused = client.post("/api/v1/report-jobs/", {**body, "as_of": "2024-05-01"}, format="json")
    assert refused.status_code == 400 and "01/01/2025" in str(refused.json())
    assert ReportJob.objects.count() == 1


def test_the_command_builds_as_of_the_day_given(ratings, changes, capsys):
    changes()
    call_command("build_report", "ratings", "--year", "2025", "--root", "T1", "--as-of", "30/11/2026")
    assert "Số liệu tính đến ngày 30/11/2026." in capsys.readouterr().out
    call_command("build_report", "ratings", "--year", "2025", "--root", "T1")
    assert "Số liệu tính đến ngày 15/12/2025." in capsys.readouterr().out


def test_history_rows_are_written_by_the_services(ratings, users, changes):
    from organizations.models import PastPlacement

    changes()
    moved = Member.objects.get(pk=ratings.members[1].pk)
    assert list(moved.past_branches.values_list("branch_id", "valid_to")) == [(ratings.branch.pk, AFTER)]
    merged = Member.objects.get(pk=ratings.members2[0].pk)
    assert list(merged.past_branches.values_list("branch_id", "valid_to")) == [(ratings.branch2.pk, AFTER)]
    path = ratings.district.path
    tree_services.move_unit(unit=ratings.district, new_parent=ratings.province2, by=users.superuser, on_date=LATER)
    rows = PastPlacement.objects.filter(unit=ratings.grassroots).values_list("path", "valid_from", "valid_to")
    assert list(rows) == [(path + ratings.grassroots.path[len(path) :], None, LATER)]


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", ["ratings", "membership"])
def test_queries_per_report_stay_constant_with_more_units_members_and_history(ratings, users, changes, kind):
    def build():
        build_data(kind=kind, root=ratings.province, year=2025, years=[2024, 2025], as_of=LATER)

    small = _queries(build)
    changes()
    extra = [make_unit(ratings.grassroots, f"T1-H1-CS1-X{i}", f"Chi đoàn thêm {i}", "chi-doan") for i in range(4)]
    for branch in extra:
        MemberFactory.create_batch(3, branch=branch)
    refresh_counts()
    tree_services.move_unit(unit=ratings.direct, new_parent=ratings.district, by=users.superuser, on_date=AFTER)
    assert _queries(build) == small
