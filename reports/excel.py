"""One Excel workbook per report (issue 5): a cover sheet, then a sheet per table.

openpyxl in write_only mode (DESIGN.md: never the in-memory mode for large outputs); Vietnamese
headers; "#,##0" and "0.0%" number formats; frozen header rows; totals rows checked against the
sum of their rows; text that starts with = + - @ stays text (formula injection, CSV/Excel
"DDE" attacks: a cell typed as a string with a quote prefix is never evaluated)."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from organizations.reporting import ReportData, Table
from organizations.xlsx import safe_cell

INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4EA2")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class TotalsMismatch(ValueError):
    pass


def check_totals(table: Table) -> None:
    """A totals row must equal the sum of its rows in every whole-number column."""
    if table.total is None:
        return
    for i, value in enumerate(table.total):
        if i in table.percent_columns or not isinstance(value, int) or isinstance(value, bool):
            continue
        column = sum(row[i] for row in table.rows if isinstance(row[i], int | float))
        if column != value:
            raise TotalsMismatch(f"Bảng “{table.title}”, cột “{table.columns[i]}”: tổng {value} ≠ {column}.")


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", wanted).strip("'") or "Bảng"
    base = base[:31]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _cell(ws, value, *, percent: bool = False, font: Font | None = None) -> WriteOnlyCell:
    cell = safe_cell(ws, value)
    if percent and isinstance(value, int | float):
        cell.value = value / 100
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = INT_FORMAT
    if font is not None:
        cell.font = font
    return cell


def _row(ws, values: Iterable, percent_columns: set[int] = frozenset(), font: Font | None = None) -> list:
    return [_cell(ws, v, percent=i in percent_columns, font=font) for i, v in enumerate(values)]


def _cover(wb: Workbook, data: ReportData, by: str, generated_at: datetime, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_title("Thông tin chung", taken))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    ws.append([_cell(ws, data.title, font=Font(bold=True, size=14))])
    ws.append([])
    local = timezone.localtime(generated_at) if timezone.is_aware(generated_at) else generated_at
    for label, value in (
        ("Đơn vị", f"{data.root_name} ({data.root_code})"),
        ("Năm", str(data.year or "")),  # a year is a label, not a quantity: never "2.026"
        ("Thời điểm lập", local.strftime("%d/%m/%Y %H:%M")),
        ("Người lập", by),
    ):
        ws.append([_cell(ws, label, font=BOLD), _cell(ws, value)])
    ws.append([])
    # One clause a row: a write-only sheet cannot size a row to a wrapped paragraph, and wrapped
    # text in a default-height row is drawn over its neighbours by LibreOffice.
    for paragraph in data.narrative:
        clauses = paragraph.split("; ")
        for i, clause in enumerate(clauses):
            ws.append([None, _cell(ws, clause + (";" if i < len(clauses) - 1 else ""))])
        ws.append([])


def _table_sheet(wb: Workbook, table: Table, taken: set[str]) -> None:
    check_totals(table)
    ws = wb.create_sheet(sheet_title(table.sheet or table.title, taken))
    ws.freeze_panes = "A3"  # title and header rows stay in view
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(len(column) + 2, 40))
    ws.append([_cell(ws, table.title, font=BOLD)])
    header = _row(ws, table.columns, font=HEADER_FONT)
    for cell in header:
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    ws.append(header)
    for row in table.rows:
        ws.append(_row(ws, row, table.percent_columns))
    if table.total is not None:
        ws.append(_row(ws, table.total, table.percent_columns, font=BOLD))


def write_workbook(data: ReportData, target, *, by: str = "", generated_at: datetime | None = None) -> None:
    """Write ``data`` as .xlsx to ``target`` (a path or a binary file object)."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    _cover(wb, data, by, generated_at or timezone.now(), taken)
    for table in data.tables:
        _table_sheet(wb, table, taken)
    wb.save(target)
