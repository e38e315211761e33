"""``import_xlsx ratings``: all-or-nothing, per-row errors, scope."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from evaluations.importers import RatingImporter
from evaluations.models import Assessment, Status, SubjectType
from members.importing import get_importer
from organizations.audit import history

pytestmark = pytest.mark.django_db

HEADERS = ["Năm", "Loại đối tượng", "Mã đối tượng", "Xếp loại", "Ghi chú"]


def xlsx(tmp_path, rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / "xep-loai.xlsx"
    wb.save(path)
    return str(path)


def good_rows(tree):
    return [
        [2026, "Đoàn viên", tree.members[0].citizen_id, "HTXSNV", "Chi đoàn báo cáo giấy"],
        [2026, "đoàn viên", tree.members[1].card_number, "httnv", ""],
        [2026, "Chi đoàn", tree.branch.code, "Hoàn thành tốt nhiệm vụ", ""],
        [2026, "Đoàn cơ sở", tree.grassroots.code, "HTNV", ""],
    ]


def test_it_is_registered_for_the_command():
    assert get_importer("ratings") is RatingImporter


def test_it_imports_decided_ratings_with_an_audit_entry(tree, users, period, tmp_path):
    result = RatingImporter(user=users.district_approver, year=2026).run(xlsx(tmp_path, good_rows(tree)))
    assert result.ok, result.errors
    assert result.created == 4
    member = Assessment.objects.get(member=tree.members[0])
    assert (member.status, member.final_level, member.approving_unit, member.imported) == (
        Status.APPROVED,
        "HTXSNV",
        tree.grassroots,
        True,
    )
    grassroots = Assessment.objects.get(organization=tree.grassroots)
    assert (grassroots.subject_type, grassroots.approving_unit) == (SubjectType.GRASSROOTS, tree.district)
    entry = history(member).get()
    assert (entry.action, entry.by, entry.reason) == (
        "import",
        users.district_approver,
        "Nhập từ Excel, dòng 2: Chi đoàn báo cáo giấy",
    )


def test_it_writes_nothing_when_one_row_is_wrong_and_names_each_problem(tree, users, period, tmp_path):
    rows = good_rows(tree) + [
        [2025, "Đoàn viên", tree.members[2].citizen_id, "HTNV", ""],
        [2026, "Hội viên", "X", "HTNV", ""],
        [2026, "Đoàn viên", "999999999999", "HTNV", ""],
        [2026, "Chi đoàn", tree.branch.code, "Tốt", ""],
        [2026, "Đoàn viên", tree.members[0].card_number, "HTNV", ""],
    ]
    result = RatingImporter(user=None, year=2026).run(xlsx(tmp_path, rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (6, "Năm"),
        (7, "Loại đối tượng"),
        (8, "Mã đối tượng"),
        (9, "Xếp loại"),
        (10, "Mã đối tượng"),
    ]
    assert "Năm 2025 khác năm đang nhập (2026)" in str(result.errors[0])
    assert "Trùng đối tượng với dòng 2" in str(result.errors[4])
    assert not Assessment.objects.exists()


def test_it_refuses_subjects_outside_the_users_scope(tree, users, period, tmp_path):
    rows = [
        [2026, "Đoàn viên", tree.member_other.citizen_id, "HTNV", ""],
        [2026, "Đoàn viên", tree.member3.citizen_id, "HTNV", ""],
    ]
    result = RatingImporter(user=users.grassroots_approver, year=2026).run(xlsx(tmp_path, rows))
    assert [e.row for e in result.errors] == [2, 3]
    assert "trong phạm vi của bạn" in result.errors[0].message


def test_it_refuses_an_importer_who_cannot_decide(tree, users, period, tmp_path):
    result = RatingImporter(user=users.secretary, year=2026).run(xlsx(tmp_path, good_rows(tree)[:1]))
    assert "không có quyền công nhận" in result.errors[0].message


def test_it_checks_without_writing_on_dry_run(tree, users, period, tmp_path):
    result = RatingImporter(user=None, year=2026).run(xlsx(tmp_path, good_rows(tree)), dry_run=True)
    assert result.ok and result.created == 4 and not Assessment.objects.exists()


def test_it_updates_an_existing_rating_and_needs_a_period(tree, users, period, tmp_path):
    RatingImporter(user=None, year=2026).run(xlsx(tmp_path, good_rows(tree)))
    again = RatingImporter(user=None, year=2026, reopen=True, reason="Chi đoàn báo cáo lại").run(
        xlsx(tmp_path, [[2026, "Đoàn viên", tree.members[0].citizen_id, "HTNV", ""]])
    )
    assert (again.created, again.updated) == (0, 1)
    assert Assessment.objects.get(member=tree.members[0]).final_level == "HTNV"
    missing = RatingImporter(user=None, year=2024).run(
        xlsx(tmp_path, [[2024, "Chi đoàn", tree.branch.code, "HTNV", ""]])
    )
    assert "Chưa có đợt xếp loại năm 2024" in missing.errors[0].message


def test_it_reports_missing_columns(tree, period, tmp_path):
    result = RatingImporter(user=None, year=2026).run(xlsx(tmp_path, [], headers=["Năm", "Mã đối tượng"]))
    assert result.errors[0].row == 1 and "Thiếu cột" in result.errors[0].message


def test_it_runs_through_the_command(tree, period, tmp_path, capsys):
    call_command("import_xlsx", "ratings", xlsx(tmp_path, good_rows(tree)), "--year", "2026")
    assert "4 mới" in capsys.readouterr().out
    assert Assessment.objects.count() == 4
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command(
            "import_xlsx", "ratings", xlsx(tmp_path, [[2026, "Đoàn viên", "000", "HTNV", ""]]), "--year", "2026"
        )


def test_it_refuses_a_rating_waiting_in_a_submitted_batch(tree, users, period, tmp_path):
    from .conftest import fill_and_submit

    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV", "HTTNV", "HTTNV"])
    result = RatingImporter(user=None, year=2026).run(xlsx(tmp_path, good_rows(tree)[:1]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã đối tượng")]
    assert "đang chờ duyệt" in result.errors[0].message
    assert Assessment.objects.get(member=tree.members[0]).status == Status.SUBMITTED


@pytest.mark.parametrize("column", [0, 1, 2, 3])
def test_a_formula_error_is_refused_at_its_column(tree, users, period, tmp_path, column):
    from pathlib import Path

    from tests.factories import patched

    letter = "ABCD"[column]
    path = patched(Path(xlsx(tmp_path, good_rows(tree)[:1])), {f"{letter}2": f'<c r="{letter}2" t="e"><v>#N/A</v></c>'})
    result = RatingImporter(user=None, year=2026).run(str(path))
    assert [(e.row, e.column) for e in result.errors] == [(2, HEADERS[column])]
    assert "#N/A" in result.errors[0].message
    assert not Assessment.objects.exists()
