"""Every sheet of every report kind prints as a document an officer signs: letterhead, title,
unit and year, landscape A4 one page wide, header row repeated, page numbers, signature block,
widths that hold the names, real date cells and one % format."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from organizations.reporting import ReportData, Table
from organizations.xlsx import DATE_FORMAT, PERCENT_FORMAT, UNION, dated_line, place_of
from reports import kinds
from reports.excel import cut_words, sheet_title, write_workbook
from reports.services import request_job, run_job
from tests.documents.printed import assert_printable
from tests.documents.printed import cells as cells_of

HEADER_ROW = 7


@pytest.mark.parametrize("kind", [k for k, _ in kinds.available()])
def test_every_sheet_of_every_kind_prints_as_a_signed_document(ratings, users, kind):
    job = run_job(job_id=request_job(kind=kind, root=ratings.province, year=2025, by=users.province_admin).pk)
    assert job.status == "done", job.error
    wb = load_workbook(job.file.path)
    cover, *tables = wb.worksheets
    for ws in wb.worksheets:
        assert_printable(ws)
        assert len(ws.title) <= 31
    for ws in tables:
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    rates = {c.number_format for ws in tables for row in ws.iter_rows() for c in row if "%" in c.number_format}
    assert rates <= {PERCENT_FORMAT}


def _read(table: Table, **kwargs):
    return _read_all([table], **kwargs)


def test_the_letterhead_names_the_union_the_unit_the_place_and_the_day():
    ws = _read(Table(title="Bảng", columns=["Tên"], rows=[["a"]])).worksheets[1]
    assert ws["A1"].value == UNION and ws["A2"].value == "TỈNH ĐOÀN THÁI NGUYÊN" and ws["A2"].font.bold
    assert ws["B2"].value == "Thái Nguyên, ngày 03 tháng 12 năm 2026"
    assert ws["A4"].value == "Bảng" and ws["A5"].value == "Đơn vị: Tỉnh đoàn Thái Nguyên (T01) — Năm 2025"
    cells = cells_of(ws)
    assert cells["NGƯỜI LẬP BIỂU"].row > HEADER_ROW + 1 and cells["Lê Văn Cán Bộ"].row > cells["NGƯỜI LẬP BIỂU"].row
    assert cells["TM. BAN THƯỜNG VỤ"].row == cells["NGƯỜI LẬP BIỂU"].row


def test_dates_are_date_cells_wide_enough_to_show():
    table = Table(title="Đăng ký", columns=["Đơn vị", "Ngày"], rows=[["Đoàn xã Hùng Sơn", date(2025, 3, 9)]])
    ws = _read(table).worksheets[1]
    cell = ws.cell(row=HEADER_ROW + 1, column=2)
    assert isinstance(cell.value, datetime) and cell.value.date() == date(2025, 3, 9)
    assert cell.number_format == DATE_FORMAT and ws.column_dimensions["B"].width >= 12  # never "###"


def test_widths_hold_the_longest_name():
    name = "Huyện đoàn Phú Lương tỉnh Thái Nguyên"
    ws = _read(Table(title="Bảng", columns=["Mã", "Đơn vị"], rows=[["H1", name]])).worksheets[1]
    assert ws.column_dimensions["B"].width >= len(name)


def test_sheet_names_are_cut_between_words_never_inside_one():
    assert cut_words("Tập thể lãnh đạo (BCH-BTV theo Đoàn cơ sở)", 31) == "Tập thể lãnh đạo"
    assert (
        sheet_title("Kết quả đánh giá các đoàn cơ sở trực thuộc năm 2025", set()) == "Kết quả đánh giá các đoàn cơ sở"
    )
    taken: set[str] = set()
    sheet_title("Kết quả đánh giá các đoàn cơ sở trực thuộc", taken)
    assert sheet_title("Kết quả đánh giá các đoàn cơ sở trực thuộc", taken) == "Kết quả đánh giá các đoàn (2)"


def test_the_place_is_the_unit_name_without_its_level():
    assert place_of("Huyện đoàn Đại Từ") == "Đại Từ" and place_of("Thành đoàn Hà Nội") == "Hà Nội"
    assert dated_line("Đoàn Khối Cơ quan", date(2026, 1, 5)) == "Cơ quan, ngày 05 tháng 01 năm 2026"


def _stack(title: str, rows: list[list]) -> Table:
    total = ["", "Tổng cộng", sum(r[2] for r in rows)]
    return Table(title=title, columns=["Mã", "Đơn vị", "Tổng số"], rows=rows, total=total, stack="Theo đơn vị")


def test_tables_of_one_stack_print_on_one_sheet_each_under_its_title_and_header():
    wb = _read_all(
        [
            _stack("Chi đoàn — theo đơn vị", [["H1", "Huyện đoàn Đại Từ", 3]]),
            _stack("Đoàn viên — theo đơn vị", [["H1", "Huyện đoàn Đại Từ", 40], ["H2", "Thành đoàn Sông Công", 2]]),
            Table(title="Theo cấp", columns=["Cấp", "Tổng số"], rows=[["Chi đoàn", 3]]),
        ]
    )
    assert wb.sheetnames == ["Thông tin chung", "Theo đơn vị", "Theo cấp"]
    ws = wb["Theo đơn vị"]
    assert_printable(ws)
    assert ws["A4"].value == "Danh sách" and ws["A6"].value == "Chi đoàn — theo đơn vị"
    column = [c.value for c in ws["A"]]
    assert column[HEADER_ROW - 1 : HEADER_ROW + 2] == ["Mã", "H1", None]  # header, row, totals (no code)
    second = column.index("Đoàn viên — theo đơn vị") + 1
    assert second == HEADER_ROW + 4  # a blank row between the tables, then the title
    assert ws.cell(row=second + 1, column=1).value == "Mã" and ws.cell(row=second + 1, column=1).font.bold
    assert ws.cell(row=second + 4, column=2).value == "Tổng cộng" and ws.cell(row=second + 4, column=3).value == 42
    # One header row repeats on every printed page: the first table's, the same as the second's.
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert cells_of(ws)["NGƯỜI LẬP BIỂU"].row > second + 4  # signed once, under the last table


def test_a_stack_refuses_tables_whose_columns_differ():
    other = Table(title="Khác", columns=["Cấp", "Tổng số"], rows=[["Chi đoàn", 3]], stack="Theo đơn vị")
    with pytest.raises(ValueError, match="share their columns"):
        _read_all([_stack("Chi đoàn", [["H1", "Huyện đoàn Đại Từ", 3]]), other])


def _read_all(tables: list[Table], **kwargs):
    buffer = io.BytesIO()
    data = ReportData(kind="t", title="Danh sách", root_code="T01", root_name="Tỉnh đoàn Thái Nguyên", year=2025)
    data.tables = tables
    write_workbook(data, buffer, by="Lê Văn Cán Bộ", generated_at=datetime(2026, 12, 3, 9, 0), **kwargs)
    buffer.seek(0)
    return load_workbook(buffer)
