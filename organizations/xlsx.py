"""Excel cells and the printed page every app's workbooks share (issue 15): an officer prints a
workbook, signs it and sends it to the level above, so each sheet is a document of its own.

Top: the Đoàn letterhead (left "ĐOÀN TNCS HỒ CHÍ MINH" over the issuing unit, right the place
and "…, ngày … tháng … năm …"), then the title and "Đơn vị … — Năm …"; bottom: the signature
block ("NGƯỜI LẬP BIỂU", "TM. BAN THƯỜNG VỤ"), as a statistical table ("biểu") is signed.
Print: landscape A4, one page wide (any number of pages tall), the header row repeated on each
page, "Trang x/y" in the footer. Column widths follow the longest text so no name is cut."""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# A cell starting with one of these would run as a formula in Excel or LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(ws, value) -> WriteOnlyCell:
    """A write-only cell whose text is always text: "=HYPERLINK(…)" in a unit name never runs."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would type "=…" as a formula
        cell.quotePrefix = True  # and the spreadsheet shows it literally
    return cell


INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"  # the one rate format of every sheet
DATE_FORMAT = "dd/mm/yyyy"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4EA2")
WRAP = Alignment(wrap_text=True, vertical="center")


def typed_cell(ws, value, *, percent: bool = False, font: Font | None = None) -> WriteOnlyCell:
    """A safe cell in the one format of its kind: a rate given in per cent as "0.0%", a date as
    a real dd/mm/yyyy date, a whole number as "#,##0"."""
    cell = safe_cell(ws, value)
    if percent and isinstance(value, int | float):
        cell.value = value / 100
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, date):  # a real date, shown dd/mm/yyyy (a datetime is a date too)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = INT_FORMAT
    if font is not None:
        cell.font = font
    return cell


def typed_row(ws, values: Iterable, percent_columns: Iterable[int] = (), font: Font | None = None) -> list:
    percent = set(percent_columns)
    return [typed_cell(ws, v, percent=i in percent, font=font) for i, v in enumerate(values)]


UNION = "ĐOÀN TNCS HỒ CHÍ MINH"
SIGNERS = ("NGƯỜI LẬP BIỂU", "TM. BAN THƯỜNG VỤ")
SIGN_HINT = "(Ký, ghi rõ họ tên)"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
CENTER = Alignment(horizontal="center", vertical="center")
FOOTER = "Trang &P/&N"
A4 = "9"  # the paperSize code of ISO A4 (ECMA-376 §18.3.1.64)
DATE_WIDTH = 12  # "31/12/2025" and a margin: never "###"
MIN_WIDTH, MAX_WIDTH = 8, 60
HEAD_ROWS = 6  # letterhead (2), a blank, the title, the unit and year, a blank
HEADER_LINE = 14  # a header cell wider than this wraps onto two lines rather than widening its column
# "Tỉnh đoàn Thái Nguyên" is issued at "Thái Nguyên": the place is the name without its level word.
_LEVEL_WORDS = re.compile(
    r"^(tỉnh đoàn|thành đoàn|huyện đoàn|quận đoàn|thị đoàn|đoàn khối|đoàn thanh niên|đoàn xã|"
    r"đoàn phường|đoàn thị trấn|đoàn trường|đoàn|chi đoàn|ban chấp hành)\s+",
    re.IGNORECASE,
)


def place_of(unit_name: str) -> str:
    """Where a unit issues its documents: "Tỉnh đoàn Thái Nguyên" → "Thái Nguyên"."""
    return _LEVEL_WORDS.sub("", unit_name.strip(), count=1) or unit_name


def dated_line(unit_name: str, day: date) -> str:
    """ "Thái Nguyên, ngày 03 tháng 12 năm 2026", as the right side of the letterhead reads."""
    return f"{place_of(unit_name)}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def text_width(value) -> int:
    """Characters a cell needs to show ``value`` whole."""
    if isinstance(value, datetime | date):
        return DATE_WIDTH
    if isinstance(value, float):
        return 8
    if isinstance(value, int):
        return len(f"{value:,}") + 2
    return max((len(line) for line in str(value or "").splitlines()), default=0) + 2


def fit_widths(ws, header: list[str], rows: Iterable[list]) -> None:
    """Each column as wide as its longest cell (bounded), headers wrapping onto two lines."""
    widths = [min(len(h) + 2, max(HEADER_LINE, math.ceil(len(h) / 2) + 2)) for h in header]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], text_width(value))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(width, MAX_WIDTH))


def _styled(ws, value, font: Font | None = None, alignment: Alignment | None = None):
    cell = safe_cell(ws, value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _two_sides(ws, row: int, columns: int, left, right, font: Font | None = None) -> list:
    """One row of two centred blocks, the left half of the columns and the right half, merged."""
    split = max(1, math.ceil(columns / 2))
    cells = [_styled(ws, left, font, CENTER)] + [None] * (split - 1)
    if columns > split:
        cells += [_styled(ws, right, font, CENTER)] + [None] * (columns - split - 1)
        if columns - split > 1:
            ws.merged_cells.add(f"{get_column_letter(split + 1)}{row}:{get_column_letter(columns)}{row}")
    if split > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(split)}{row}")
    return cells


def _across(ws, row: int, columns: int, value, font: Font | None = None) -> list:
    if columns > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(columns)}{row}")
    return [_styled(ws, value, font, CENTER)]


def head(ws, *, columns: int, unit_name: str, unit_code: str, title: str, year, day: date, subtitle: str = "") -> int:
    """The letterhead, title and unit rows; returns the number of rows written (the table's
    header row comes next and is the one repeated on every printed page). ``subtitle`` fills the
    last row, blank otherwise: the first table's own title on a sheet of several."""
    columns = max(columns, 2)
    unit_line = f"Đơn vị: {unit_name} ({unit_code})" + (f" — Năm {year}" if year else "")
    rows = [  # HEAD_ROWS of them
        _two_sides(ws, 1, columns, UNION, "", BOLD),
        _two_sides(ws, 2, columns, unit_name.upper(), dated_line(unit_name, day), None),
        [],
        _across(ws, 4, columns, title, TITLE_FONT),
        _across(ws, 5, columns, unit_line, ITALIC),
        _across(ws, 6, columns, subtitle, BOLD) if subtitle else [],
    ]
    rows[1][0].font = BOLD
    if len(rows[1]) > 1 and rows[1][math.ceil(columns / 2)] is not None:
        rows[1][math.ceil(columns / 2)].font = ITALIC
    for cells in rows:
        ws.append(cells)
    return HEAD_ROWS


def signature(ws, *, columns: int, first_row: int, by: str) -> None:
    """The signature block under ``first_row`` (the last row written): who drew the table up,
    and for the standing committee; room left for the hand signature, then the preparer's name."""
    columns = max(columns, 2)
    ws.append([])
    ws.append(_two_sides(ws, first_row + 2, columns, *SIGNERS, BOLD))
    ws.append(_two_sides(ws, first_row + 3, columns, SIGN_HINT, SIGN_HINT, ITALIC))
    for _ in range(3):
        ws.append([])
    ws.append(_two_sides(ws, first_row + 7, columns, by, "", BOLD))


def print_setup(ws, *, header_row: int | None) -> None:
    """Landscape A4, fitted to one page wide, header row repeated, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = FOOTER


@dataclass(frozen=True)
class Letterhead:
    """Who issues a workbook, for which year, on which day and drawn up by whom: what every sheet
    prints above its table and in its signature block."""

    unit_name: str
    unit_code: str
    year: int | None
    day: date
    by: str = ""

    def head(self, ws, columns: int, title: str, subtitle: str = "") -> int:
        return head(
            ws,
            columns=columns,
            unit_name=self.unit_name,
            unit_code=self.unit_code,
            title=title,
            year=self.year,
            day=self.day,
            subtitle=subtitle,
        )


@dataclass(frozen=True)
class Block:
    """One table of a sheet: its own title (printed above its header on a sheet of several),
    header, rows and an optional totals row."""

    columns: list[str]
    rows: list[list]
    total: list | None = None
    percent_columns: Iterable[int] = ()
    title: str = ""

    @property
    def body(self) -> list[list]:
        return [*self.rows, *([self.total] if self.total is not None else [])]


def table_sheet(
    wb,
    name: str,
    letterhead: Letterhead,
    *,
    title: str,
    columns: list[str],
    rows: list[list],
    total: list | None = None,
    percent_columns: Iterable[int] = (),
) -> None:
    """One table as a signed document on a new write-only sheet ``name``: letterhead, title,
    header row (repeated on every page, frozen), rows, an optional bold totals row, signature."""
    stacked_sheet(wb, name, letterhead, title=title, blocks=[Block(columns, rows, total, percent_columns)])


def stacked_sheet(wb, name: str, letterhead: Letterhead, *, title: str, blocks: list[Block]) -> None:
    """Tables of the same columns one under the other on one sheet, as one signed document: the
    letterhead, ``title`` and unit once, then each table's own title, header row, rows and totals,
    and the signature block once at the end. Each sheet starts a printed page of its own, so eight
    small tables on eight sheets printed as eight pages (issue 15). One header row can be repeated
    on a printed page (a sheet has one range of print titles): the first table's, right for every
    table only because they share their columns, which is why a sheet takes no other."""
    columns = blocks[0].columns
    if any(block.columns != columns for block in blocks):
        raise ValueError(f"Sheet “{name}”: stacked tables must share their columns.")
    ws = wb.create_sheet(name)
    header_row = HEAD_ROWS + 1
    # A write-only sheet writes its widths, view and print setup with its first row: set them first.
    fit_widths(ws, columns, [row for block in blocks for row in block.body])
    print_setup(ws, header_row=header_row)
    ws.freeze_panes = f"A{header_row + 1}"  # the header row stays in view
    letterhead.head(ws, len(columns), title, subtitle=blocks[0].title if len(blocks) > 1 else "")
    last = HEAD_ROWS
    for i, block in enumerate(blocks):
        if i:  # a blank row, then the table's own title (the first one's sits in the head's last row)
            ws.append([])
            ws.append(_across(ws, last + 2, len(columns), block.title, BOLD))
            last += 2
        last += _block(ws, block)
    signature(ws, columns=len(columns), first_row=last, by=letterhead.by)


def _block(ws, block: Block) -> int:
    """A table's header row, rows and bold totals row; returns the number of rows written."""
    header = typed_row(ws, block.columns, font=HEADER_FONT)
    for cell in header:
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    ws.append(header)
    for row in block.rows:
        ws.append(typed_row(ws, row, block.percent_columns))
    if block.total is not None:
        ws.append(typed_row(ws, block.total, block.percent_columns, font=BOLD))
    return 1 + len(block.body)
