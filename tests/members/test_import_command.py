"""``import_xlsx KIND FILE [--dry-run] [--user U]``: exit code and messages."""

import pytest
from django.core.management import CommandError, call_command

from members.models import Member

from .conftest import member_row


def test_it_imports_and_reports_the_figures(tree, members_xlsx, capsys):
    call_command("import_xlsx", "members", str(members_xlsx([member_row()])))
    assert "1 mới, 0 cập nhật" in capsys.readouterr().out
    assert Member.objects.filter(citizen_id="079200000001").exists()


def test_dry_run_writes_nothing(tree, members_xlsx, capsys):
    call_command("import_xlsx", "members", str(members_xlsx([member_row()])), "--dry-run")
    assert "không ghi" in capsys.readouterr().out
    assert not Member.objects.filter(citizen_id="079200000001").exists()


def test_bad_rows_exit_non_zero_and_print_row_column_and_reason(tree, members_xlsx, capsys):
    path = members_xlsx([member_row(), member_row(cccd="abc", gender="?", name="Sai")])
    with pytest.raises(CommandError) as exc:
        call_command("import_xlsx", "members", str(path))
    assert "2 lỗi" in str(exc.value)
    err = capsys.readouterr().err
    assert "Dòng 3, cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số" in err
    assert "Dòng 3, cột “Giới tính”" in err
    assert Member.objects.count() == 7


def test_the_user_option_limits_the_scope(tree, users, members_xlsx, capsys):
    path = members_xlsx([member_row(branch="T1-H1-CS1-CD2")])
    with pytest.raises(CommandError):
        call_command("import_xlsx", "members", str(path), "--user", users.secretary.username)
    assert "Không có chi đoàn mã “T1-H1-CS1-CD2” trong phạm vi của bạn" in capsys.readouterr().err
    call_command("import_xlsx", "members", str(path), "--user", users.grassroots_approver.username)
    assert Member.objects.filter(citizen_id="079200000001", branch=tree.branch2).exists()


def test_unknown_kind_user_and_file_are_clear_errors(tree, members_xlsx, tmp_path):
    with pytest.raises(CommandError, match="Không có loại nhập “xyz”"):
        call_command("import_xlsx", "xyz", "a.xlsx")
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("import_xlsx", "members", "a.xlsx", "--user", "ai-do")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_xlsx", "members", str(tmp_path / "khong-co.xlsx"))


def test_a_bad_file_exits_non_zero(tree, tmp_path, capsys):
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("import_xlsx", "members", str(path))
    assert "Tệp: Tệp rỗng (0 byte)." in capsys.readouterr().err


def test_units_import_through_the_command(tree, units_xlsx, capsys):
    path = units_xlsx([["T1-H1-CS1-CD9", "Chi đoàn thôn Mới", "chi-doan", "T1-H1-CS1", "Địa bàn dân cư"]])
    call_command("import_xlsx", "organizations", str(path))
    assert "1 mới" in capsys.readouterr().out
