"""The workbook read back with openpyxl matches the page; text never becomes a formula."""

import io

import pytest
from openpyxl import load_workbook

from organizations.reporting import ReportData, Table
from reports.excel import TotalsMismatch, check_totals, sheet_groups, sheet_title, write_workbook
from reports.serialize import from_json


def _read(data: ReportData, **kwargs):
    buffer = io.BytesIO()
    write_workbook(data, buffer, by="Lê Văn Cán Bộ", **kwargs)
    buffer.seek(0)
    return load_workbook(buffer)


HEADER_ROW = 7  # under the letterhead (2 rows), a blank, the title, the unit and a blank


def _column(ws, letter: str) -> list:
    return [c.value for c in ws[letter]]


def _assert_block(ws, table, header_row: int) -> int:
    """The table's header and rows from ``header_row``, as on the page; returns its last row."""
    expected = [*table.rows, *([table.total] if table.total else [])]
    last = header_row + len(expected)
    values = [list(r) for r in ws.iter_rows(min_row=header_row, max_row=last, values_only=True)]
    assert values[0][: len(table.columns)] == table.columns
    for got, want in zip(values[1:], expected, strict=True):
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            assert g == (pytest.approx(w / 100) if i in table.percent_columns else (w if w != "" else None))
    return last


def test_the_file_matches_the_page(done_job):
    data = from_json(done_job.result)
    wb = load_workbook(done_job.file.path)
    cover, *sheets = wb.worksheets
    assert cover["A4"].value == data.title
    assert [cover["A7"].value, cover["B7"].value] == ["Đơn vị", "Tỉnh đoàn Thái Nguyên (T1)"]
    assert cover["B8"].value == "2025" and cover["B10"].value == "canbo.tinh"  # no full name: the username
    groups = sheet_groups(data.tables)
    assert len(sheets) == len(groups) < len(data.tables)  # the per-unit tables share one sheet
    for ws, group in zip(sheets, groups, strict=True):
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        if len(group) == 1 and not group[0].stack:
            assert ws["A4"].value == group[0].title
            _assert_block(ws, group[0], HEADER_ROW)
            continue
        # A stack: the report's title, then each table's own title above its header row.
        assert ws.title == group[0].stack and ws["A4"].value == data.title and ws["A6"].value == group[0].title
        last = _assert_block(ws, group[0], HEADER_ROW)
        for table in group[1:]:
            assert ws.cell(row=last + 2, column=1).value == table.title
            last = _assert_block(ws, table, last + 3)


def test_it_uses_number_formats_and_a_bold_totals_row(done_job):
    wb = load_workbook(done_job.file.path)
    ws = wb["Theo đơn vị trực thuộc"]
    assert ws["A6"].value.startswith("Chi đoàn — ")
    header, first = ws[HEADER_ROW], ws[HEADER_ROW + 1]
    assert header[0].value == "Mã đơn vị" and header[0].font.bold
    assert first[2].number_format == "#,##0" and first[4].number_format == "0.0%"
    total = next(row for row in ws.iter_rows() if row[1].value == "Tổng cộng")
    assert total[1].font.bold and total[2].font.bold


def test_the_totals_row_equals_the_sum_of_its_rows(done_job):
    wb = load_workbook(done_job.file.path)
    ws = wb["Theo đơn vị trực thuộc"]
    start = next(c.row for c in ws["A"] if str(c.value).startswith("Đoàn viên — ")) + 2
    rows = list(ws.iter_rows(min_row=start, values_only=True))
    end = next(i for i, r in enumerate(rows) if r[1] == "Tổng cộng")
    body, total = rows[:end], rows[end]
    for i in (2, 3, 5, 7, 9, 11):
        assert total[i] == sum(r[i] for r in body)


def test_text_cells_never_become_formulas():
    nasty = ['=HYPERLINK("http://x","bấm")', "+1+2", "-3", "@SUM(A1)", "=1+1"]
    table = Table(title="Thử", columns=["Tên", "Số"], rows=[[s, 1] for s in nasty], total=["Tổng", 5])
    wb = _read(
        ReportData(
            kind="t",
            title="=cmd|' /C calc'!A0",
            root_code="X",
            root_name="=Đơn vị",
            year=2025,
            narrative=["-khởi đầu bằng dấu trừ"],
            tables=[table],
        )
    )
    cover, ws = wb.worksheets
    for row, text in zip(ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 5), nasty, strict=True):
        assert row[0].value == text and row[0].data_type == "s" and row[0].quotePrefix
    assert cover["A4"].data_type == "s" and cover["A4"].value.startswith("=")
    assert cover["B7"].data_type == "s"


def test_a_wrong_totals_row_is_refused():
    table = Table(title="Sai", columns=["Tên", "Số"], rows=[["a", 1], ["b", 2]], total=["Tổng", 4])
    with pytest.raises(TotalsMismatch, match="tổng 4 ≠ 3"):
        check_totals(table)


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    first = sheet_title("Tập thể lãnh đạo (BCH/BTV) theo đơn vị trực thuộc", taken)
    second = sheet_title("Tập thể lãnh đạo (BCH/BTV) theo đơn vị trực thuộc", taken)
    assert len(first) <= 31 and "/" not in first and first != second and len(second) <= 31


def test_the_cover_shows_the_year_as_text_and_one_clause_a_row():
    wb = _read(
        ReportData(
            kind="t",
            title="Xếp loại",
            root_code="T01",
            root_name="Tỉnh đoàn Thái Nguyên",
            year=2026,
            narrative=["có 468/2.294 chi đoàn xuất sắc, đạt tỷ lệ 20,4%; 25.123/90.511 đoàn viên (27,8%)"],
            tables=[],
        )
    )
    cover = wb.worksheets[0]
    values = [row[1].value for row in cover.iter_rows(min_col=1, max_col=2) if len(row) > 1]
    assert "2026" in values  # never rendered "2.026" or "2,026" by a number format
    assert "có 468/2.294 chi đoàn xuất sắc, đạt tỷ lệ 20,4%;" in values
    assert "25.123/90.511 đoàn viên (27,8%)" in values
