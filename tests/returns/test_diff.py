"""The diff of two returns and the reasons between them, through the service and the command."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from evaluations.models import Assessment
from evaluations.services import assessment_reopen
from members.services import accept_transfer, request_transfer
from reports.returns import diff, reasons


def _reopen(ratings, users):
    assessment = Assessment.objects.get(member=ratings.members[0], period__year=2025)
    assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="Đơn khiếu nại")


def _transfer_in(ratings, users):
    """The other province's member moves into the district's first chi đoàn."""
    transfer = request_transfer(member=ratings.member_other, to_branch=ratings.branch, by=users.outsider)
    accept_transfer(transfer=transfer, by=users.secretary)


@pytest.fixture
def two_versions(submit, ratings, users):
    first = submit(root=ratings.province, by=users.province_staff)
    _reopen(ratings, users)
    _transfer_in(ratings, users)
    second = submit(root=ratings.province, by=users.province_staff)
    return first, second


def _table(result, sheet_title_start):
    return next(t for t in result.tables if t.title.startswith(sheet_title_start))


def test_changed_cells_are_found_per_unit_row(two_versions, ratings):
    first, second = two_versions
    result = diff.compare(first.data, second.data)
    members = _table(result, "Đoàn viên — theo đơn vị trực thuộc")
    rows = {r.key: r for r in members.rows}
    district = rows[ratings.district.code]
    assert district.status == "changed" and rows[ratings.direct.code].status == "same"
    excellent = members.columns.index("HTXSNV (số lượng)")
    assert (district.before[excellent], district.after[excellent]) == (2, 1)  # − the reopened rating
    assert excellent in district.changed and excellent + 1 in district.changed  # its rate too
    assert rows["Tổng cộng"].is_changed and members.rows[-1].key == "Tổng cộng"


def test_the_reasons_name_the_transfer_and_the_reopened_rating_under_their_row(two_versions, ratings):
    first, second = two_versions
    why = reasons.between(root=ratings.province, since=first.submitted_at, until=second.submitted_at)
    today = date.today().strftime("%d/%m/%Y")  # the transfer's date, as members.services records it
    here = timezone.localdate().strftime("%d/%m/%Y")  # the audit entry's day in Việt Nam
    assert sorted(why.for_row(ratings.district.code)) == [
        f"+1 đoàn viên: chuyển đến từ {ratings.grassroots2.name} ngày {today}",
        f"1 kết quả xếp loại mở lại ngày {here}, lý do: Đơn khiếu nại",
    ]
    assert why.for_row(ratings.direct.code) == []
    # the other province sees the member leave, from its own side
    other = reasons.between(root=ratings.province2, since=first.submitted_at, until=second.submitted_at)
    assert other.for_row(ratings.grassroots2.code) == [
        f"−1 đoàn viên: chuyển sang {ratings.district.name} ngày {today}"
    ]


def test_nothing_before_or_after_the_window_is_a_reason(two_versions, ratings, submit, users):
    first, second = two_versions
    third = submit(root=ratings.province, by=users.province_staff)
    assert not reasons.between(root=ratings.province, since=second.submitted_at, until=third.submitted_at)
    assert diff.compare(second.data, third.data).changed_count == 0


def test_the_reasons_take_a_fixed_number_of_queries(two_versions, ratings, django_assert_max_num_queries):
    first, second = two_versions
    with django_assert_max_num_queries(5):
        reasons.between(root=ratings.root, since=first.submitted_at, until=second.submitted_at)


def test_this_year_against_last_year_matches_tables_across_titles(submit, ratings, users):
    from reports.returns import services

    last = services.submit(kind="ratings", root=ratings.province, year=2024, by=users.province_staff)
    now = submit(root=ratings.province, by=users.province_staff)
    result = diff.compare(last.data, now.data)
    summary = _table(result, "Tổng hợp kết quả xếp loại năm 2025")  # matched with "… năm 2024" by its sheet
    member_row = next(r for r in summary.rows if r.key == "Đoàn viên")
    assert member_row.before is not None and member_row.after is not None and member_row.is_changed


def test_diff_returns_prints_the_changed_rows_and_why(two_versions, ratings, capsys):
    first, second = two_versions
    call_command("diff_returns", str(second.pk), str(first.pk))
    out = capsys.readouterr().out
    assert f"~ {ratings.district.code} · {ratings.district.name}: " in out
    assert "HTXSNV (số lượng): 2 → 1" in out and f"~ {ratings.direct.code} ·" not in out
    assert "chuyển đến từ" in out and "lý do: Đơn khiếu nại" in out


def test_diff_returns_names_a_missing_id(two_versions):
    with pytest.raises(CommandError, match="Không tìm thấy báo cáo gửi cấp trên mã 999999"):
        call_command("diff_returns", str(two_versions[0].pk), "999999")


def test_submit_return_prints_id_and_version(ratings, users, capsys):
    call_command("submit_return", "ratings", "--year", "2025", "--root", "T1-H1", "--user", "duyet.huyen")
    call_command("submit_return", "ratings", "--year", "2025", "--root", "T1-H1")
    from reports.returns.models import Return

    latest = Return.objects.order_by("-version").first()
    assert capsys.readouterr().out.splitlines()[-1] == f"id={latest.pk} version=2"
    assert latest.submitted_by is None and latest.receiver == ratings.province


@pytest.mark.parametrize(
    "args, message",
    [
        (["--root", "KHONG-CO"], "Không tìm thấy đơn vị mã “KHONG-CO”"),
        (["--root", "T1-H1", "--user", "ai-do"], "Không tìm thấy người dùng “ai-do”"),
        (["--root", "T1-H1", "--user", "canbo.tinh"], "Chỉ cán bộ của Huyện đoàn Đại Từ"),
    ],
)
def test_submit_return_refuses_in_vietnamese(ratings, users, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("submit_return", "ratings", "--year", "2025", *args)


def test_history_outside_the_subtree_is_not_a_reason(submit, ratings, users):
    from organizations.models import Post
    from tests.factories import make_user

    first = submit(root=ratings.province, by=users.province_staff)
    approver = make_user("duyet.tinhkhac", Post.Role.APPROVER, ratings.grassroots2)
    elsewhere = Assessment.objects.get(organization=ratings.branch_other, period__year=2025)
    assessment_reopen(assessment=elsewhere, by=approver, reason="Sai ở tỉnh khác")
    second = submit(root=ratings.province, by=users.province_staff)
    assert not reasons.between(root=ratings.province, since=first.submitted_at, until=second.submitted_at)
    nation = reasons.between(root=ratings.root, since=first.submitted_at, until=second.submitted_at)
    assert nation.for_row(ratings.province2.code) == [
        f"1 kết quả xếp loại mở lại ngày {timezone.localdate():%d/%m/%Y}, lý do: Sai ở tỉnh khác"
    ]
