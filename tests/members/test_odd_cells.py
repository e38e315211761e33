"""Cells and header rows as real spreadsheets have them: formula errors, numbers too big for a date,
formulas saved without a value, headers typed another way, a title above the headers, repeated
columns, a crafted cell reference. Each is read or refused with a clear message, never crashed on."""

import time
import unicodedata

import pytest
from openpyxl import Workbook

from members.importers import MEMBER_REQUIRED, UNIT_HEADERS, MemberImporter, OrganizationImporter
from members.importing import RowError
from members.models import Member
from members.widgets import ERROR_CELL, parse_date, parse_text
from members.xlsxreader import CellError, FileProblem, read_dataset
from organizations.text import fold
from tests.factories import patched

from .conftest import member_row, write_xlsx

NOT_A_DATE = "không phải là ngày (viết theo dạng dd/mm/yyyy)."


def run(path, dry_run=False):
    return MemberImporter(user=None).run(str(path), dry_run=dry_run)


def a_row(**changes):
    return member_row(**{"card": "DV0001", **changes})


# -- cells ----------------------------------------------------------------------------------------

COLUMNS = [("ABCDEFGHI"[i], MEMBER_REQUIRED[i]) for i in range(9)]


@pytest.mark.parametrize(("letter", "column"), COLUMNS)
def test_it_refuses_a_formula_error_at_its_column(tree, tmp_path, letter, column):
    path = write_xlsx(
        tmp_path / "a.xlsx", MEMBER_REQUIRED, [a_row(), a_row(name="Lê Văn Hai", cccd="079200000002", card="DV0002")]
    )
    path = patched(path, {f"{letter}2": f'<c r="{letter}2" t="e"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c>'})
    result = run(path)
    assert result.errors == [RowError(2, column, ERROR_CELL.format(value="#N/A"))]
    assert Member.objects.count() == 7  # the good row is not written either


UNIT_COLUMNS = [
    ("A", "Mã đơn vị"),
    ("B", "Tên đơn vị"),
    ("C", "Cấp"),
    ("D", "Mã đơn vị cấp trên"),
    ("E", "Loại hình"),
]


@pytest.mark.parametrize(("letter", "column"), UNIT_COLUMNS)
def test_it_refuses_a_formula_error_in_a_unit_file_at_its_column(tree, tmp_path, letter, column):
    path = write_xlsx(
        tmp_path / "a.xlsx", UNIT_HEADERS, [["T1-H1-CS1-CD9", "Chi đoàn mới", "chi-doan", "T1-H1-CS1", ""]]
    )
    path = patched(path, {f"{letter}2": f'<c r="{letter}2" t="e"><v>#REF!</v></c>'})
    result = OrganizationImporter(user=None).run(str(path))
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, column, ERROR_CELL.format(value="#REF!"))]


def test_error_cells_are_never_text():
    for parse in (parse_text, parse_date):
        with pytest.raises(ValueError, match="Ô có lỗi công thức “#REF!”"):
            parse(CellError("#REF!"))


@pytest.mark.parametrize(("serial", "shown"), [(1e20, "1e+20"), (3e6, "3000000"), (2958466, "2958466")])
def test_a_number_no_calendar_holds_in_a_date_cell_is_reported(tree, tmp_path, serial, shown):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(MEMBER_REQUIRED)
    sheet.append(a_row(birth=serial))
    sheet["B2"].number_format = "dd/mm/yyyy"
    workbook.save(tmp_path / "a.xlsx")
    result = run(tmp_path / "a.xlsx")
    assert result.errors == [RowError(2, "Ngày sinh", f"“{shown}” {NOT_A_DATE}")]


def test_a_formula_saved_without_its_value_is_a_blank(tree, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", MEMBER_REQUIRED, [a_row(phone="=1+1")])  # openpyxl: <f>1+1</f><v/>
    result = run(path)
    assert result.ok and result.created == 1
    assert Member.objects.get(citizen_id="079200000001").phone == ""


@pytest.mark.parametrize(
    ("xml", "errors"),
    [
        ('<c r="I2"><f>A1/0</f><v></v></c>', []),
        ('<c r="I2" t="n"><v>nan</v></c>', []),
        ('<c r="I2" t="e"><v/></c>', []),
        ('<c r="I2"><v>inf</v></c>', [(2, "Số điện thoại")]),
        ('<c r="I2" t="d"><v>ngày hôm qua</v></c>', [(2, "Số điện thoại")]),
    ],
)
def test_odd_values_are_values_not_a_broken_file(tree, tmp_path, xml, errors):
    path = patched(write_xlsx(tmp_path / "a.xlsx", MEMBER_REQUIRED, [a_row()]), {"I2": xml})
    result = run(path, dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == errors


def test_a_number_too_long_for_excel_reads_as_excel_shows_it():
    assert parse_text(1e300) == "1e+300"
    assert parse_text(79200000001.0, digits=12) == "079200000001"


# -- the header row ---------------------------------------------------------------------------------


def test_a_repeated_header_is_refused_and_nothing_cleared(tree, tmp_path):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(phone="0987654321")
    row = a_row(
        name=member.full_name,
        birth=member.birth_date.strftime("%d/%m/%Y"),
        admitted=member.admitted_on.strftime("%d/%m/%Y"),
        cccd=member.citizen_id,
    )
    path = write_xlsx(tmp_path / "a.xlsx", [*MEMBER_REQUIRED, "So dien thoai"], [[*row, None]])
    result = run(path)
    assert result.errors == [RowError(1, "Số điện thoại", "Cột “Số điện thoại” xuất hiện hai lần ở dòng 1.")]
    assert Member.objects.get(pk=member.pk).phone == "0987654321"


@pytest.mark.parametrize(
    "spell",
    [
        lambda h: unicodedata.normalize("NFD", h),  # a Mac's decomposed Unicode
        lambda h: f"  {h.upper()} ",
        lambda h: h.title().replace(" ", "  "),  # "Họ  Và  Tên"
        lambda h: fold(h).capitalize(),  # "Ho va ten"
    ],
)
def test_headers_typed_another_way_carry_the_template_names(tree, tmp_path, spell):
    path = write_xlsx(tmp_path / "a.xlsx", [spell(h) for h in MEMBER_REQUIRED], [a_row()])
    assert read_dataset(path, MEMBER_REQUIRED).headers[:9] == MEMBER_REQUIRED
    assert run(path).created == 1


def test_diacritics_still_count_when_a_header_has_them(tree, tmp_path):
    headers = ["Họ và tên", "Ngày sính", *MEMBER_REQUIRED[2:]]  # a wrong mark, not a missing one
    result = run(write_xlsx(tmp_path / "a.xlsx", headers, [a_row()]))
    assert result.errors[0].column == "Ngày sinh" and "Thiếu cột “Ngày sinh”" in result.errors[0].message


def test_a_header_without_diacritics_is_read_only_if_one_header_folds_to_it(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", ["Nam", "Mã"], [[2025, "X"]])
    assert read_dataset(path, ["Năm"], ["Mã"]).headers == ["Năm", "Mã", "__dong__"]
    with pytest.raises(FileProblem, match="Thiếu cột “Năm”"):
        read_dataset(path, ["Năm"], ["Nắm", "Mã"])  # "nam" could be either: neither is guessed


def test_the_header_row_may_sit_under_a_title(tree, tmp_path):
    rows = [["DANH SÁCH ĐOÀN VIÊN CHI ĐOÀN THÔN ĐỒNG TÂM"], [], MEMBER_REQUIRED, a_row(), [], a_row(cccd="1")]
    result = run(write_xlsx(tmp_path / "a.xlsx", None, rows))
    assert [(e.row, e.column) for e in result.errors] == [(6, "Số CCCD")]  # the spreadsheet's own numbers
    assert run(write_xlsx(tmp_path / "b.xlsx", None, rows[:4])).created == 1


def test_a_title_without_data_rows_names_the_row_under_the_headers(tree, tmp_path):
    result = run(write_xlsx(tmp_path / "a.xlsx", None, [["DANH SÁCH"], MEMBER_REQUIRED]))
    assert [str(e) for e in result.errors] == ["Dòng 3: Tệp không có dòng dữ liệu nào."]


def test_headers_below_the_tenth_row_are_not_looked_for(tree, tmp_path):
    rows = [["Ghi chú"]] * 10 + [MEMBER_REQUIRED, a_row()]
    [error] = run(write_xlsx(tmp_path / "a.xlsx", None, rows)).errors
    assert error.row == 1 and "Thiếu cột “Họ và tên”" in error.message and "10 dòng đầu" in error.message


def test_the_row_closest_to_a_header_is_named(tree, tmp_path):
    rows = [["DANH SÁCH"], MEMBER_REQUIRED[:8], a_row()]
    [error] = run(write_xlsx(tmp_path / "a.xlsx", None, rows)).errors
    assert (error.row, error.column) == (2, "Số điện thoại") and error.message.startswith("Thiếu cột “Số điện thoại”.")


# -- crafted files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("row", [1, 2])
def test_a_cell_beyond_excels_last_column_is_refused_quickly(tree, tmp_path, row):
    path = write_xlsx(tmp_path / "a.xlsx", MEMBER_REQUIRED, [a_row()])
    path = patched(path, {}, after={row: f'<c r="ZZZZZZZZZZ{row}" t="inlineStr"><is><t>x</t></is></c>'})
    started = time.monotonic()
    [error] = run(path).errors
    assert time.monotonic() - started < 5
    assert error.row == row and "nằm ngoài cột cuối cùng của Excel (XFD)" in error.message


def test_excels_last_column_itself_is_read(tree, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", MEMBER_REQUIRED, [a_row()])
    path = patched(path, {}, after={1: '<c r="XFD1" t="inlineStr"><is><t>Ghi chú riêng</t></is></c>'})
    assert run(path).created == 1
