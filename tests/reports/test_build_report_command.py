import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook


def test_it_writes_the_workbook_and_prints_the_narrative(ratings, tmp_path, capsys):
    out = tmp_path / "tinh.xlsx"
    call_command("build_report", "ratings", "--year", "2025", "--root", "T1", "--out", str(out), "--years", "2024")
    printed = capsys.readouterr().out
    assert "1/3 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 33,3%" in printed
    assert "So với năm 2024" in printed
    wb = load_workbook(out)
    assert "So sánh các năm" in wb.sheetnames


def test_it_runs_the_membership_kind(ratings, tmp_path, capsys):
    call_command("build_report", "membership", "--year", "2025", "--root", "t1", "--out", str(tmp_path / "dv.xlsx"))
    # counted as of the 2025 period's lock date (issue 18), said first
    out = capsys.readouterr().out
    assert (
        "Số liệu tính đến ngày 15/12/2025." in out
        and "Tính đến 15/12/2025, Tỉnh đoàn Thái Nguyên có 6 đoàn viên" in out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--year", "2025", "--root", "T1"], "Loại báo cáo “nope” không có"),
        (["ratings", "--year", "2025", "--root", "ZZ"], "Không tìm thấy đơn vị mã “ZZ”"),
        (["ratings", "--year", "2025", "--root", "T1", "--years", "a,b"], "--years phải là các năm"),
        (["ratings", "--year", "2025", "--root", "T1", "--out", "x.csv"], "--out phải là tệp .xlsx"),
    ],
)
def test_it_explains_bad_input(ratings, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args)
