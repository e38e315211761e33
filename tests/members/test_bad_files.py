"""Files that are not imports at all get one clear Vietnamese message and write nothing."""

import pytest

from members.importers import MemberImporter, OrganizationImporter
from members.models import Member

from .conftest import member_row, write_xlsx


def run(path, importer=MemberImporter):
    return importer(user=None).run(str(path))


def only_error(result):
    assert not result.ok
    return [str(e) for e in result.errors]


def test_a_zero_byte_file(tree, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"")
    assert only_error(run(path)) == ["Tệp: Tệp rỗng (0 byte)."]


@pytest.mark.parametrize("content", [b"Ho va ten;Ngay sinh\nAn;1/1/2000\n", b"PK\x03\x04not really a zip"])
def test_a_file_that_is_not_xlsx(tree, tmp_path, content):
    path = tmp_path / "a.xlsx"
    path.write_bytes(content)
    assert "không phải là tệp Excel .xlsx" in only_error(run(path))[0]


def test_a_zip_that_is_not_a_workbook(tree, tmp_path):
    import zipfile

    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "xin chào")
    assert "không phải là tệp Excel .xlsx" in only_error(run(path))[0]


def test_an_empty_workbook(tree, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [], [])
    [message] = only_error(run(path))
    assert "Tệp trống" in message


def test_headers_without_rows(tree, members_xlsx):
    [message] = only_error(run(members_xlsx([])))
    assert message == "Dòng 2: Tệp không có dòng dữ liệu nào."


def test_wrong_headers_are_named(tree, members_xlsx):
    path = members_xlsx(
        [member_row()],
        headers=[
            "Ho ten",
            "Ngày sinh",
            "Giới tính",
            "Số CCCD",
            "Mã chi đoàn",
            "Ngày vào Đoàn",
            "Số thẻ đoàn",
            "Dân tộc",
            "Số điện thoại",
        ],
    )
    [message] = only_error(run(path))
    assert "Thiếu cột “Họ và tên”" in message and message.startswith("Dòng 1")
    assert Member.objects.count() == 7


def test_a_unit_file_given_as_members(tree, units_xlsx):
    [message] = only_error(run(units_xlsx([["X", "Y", "chi-doan", "T1", ""]])))
    assert "Thiếu cột" in message


def test_rows_outside_scope_are_refused_for_units_too(tree, users, units_xlsx):
    path = units_xlsx([["T2-CS1-CD9", "Chi đoàn lạ", "chi-doan", "T2-CS1", ""]])
    result = OrganizationImporter(user=users.province_admin).run(str(path))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã đơn vị cấp trên")]
