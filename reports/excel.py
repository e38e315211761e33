"""One Excel workbook per report (issues 5 and 15): a cover sheet, then a sheet per table (or per
stack of tables sharing their columns, ``Table.stack``), each
printed as a signed document (``organizations.xlsx``: letterhead, title, unit and year, signature block,
landscape A4 one page wide, repeated header row, page numbers).

openpyxl in write_only mode (DESIGN.md: never the in-memory mode for large outputs); Vietnamese
headers; "#,##0", "0.0%" (the one rate format) and dd/mm/yyyy date cells; frozen header rows;
totals rows checked against the sum of their rows; sheet names cut between words; text that
starts with = + - @ stays text (formula injection, CSV/Excel "DDE" attacks: a cell typed as a
string with a quote prefix is never evaluated)."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook

from organizations import xlsx as layout
from organizations.reporting import ReportData, Table
from organizations.xlsx import BOLD, typed_cell

COVER_WIDTHS = (22, 70, 40)  # label, value (the narrative's clauses overflow into the third)
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


def cut_words(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut between words, never inside one or inside an
    open parenthesis ("Tập thể lãnh đạo (BCH-BT theo Đ" was a sheet name once)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rindex("(")]
    return cut.rstrip(" -–—,;(") or text[:limit]


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\), cut between words."""
    base = _BAD_SHEET_CHARS.sub("-", wanted).strip("'") or "Bảng"
    name, n = cut_words(base, 31), 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = cut_words(base, 31 - len(suffix)) + suffix
    taken.add(name.lower())
    return name


@dataclass(frozen=True)
class Issue:
    """What every sheet of one workbook prints in its letterhead and signature block."""

    data: ReportData
    by: str
    generated_at: datetime

    @property
    def local(self) -> datetime:
        at = self.generated_at
        return timezone.localtime(at) if timezone.is_aware(at) else at

    @property
    def letterhead(self) -> layout.Letterhead:
        d = self.data
        return layout.Letterhead(d.root_name, d.root_code, d.year, self.local.date(), self.by)

    def head(self, ws, columns: int, title: str) -> int:
        return self.letterhead.head(ws, columns, title)


def _cover(wb: Workbook, issue: Issue, taken: set[str]) -> None:
    data = issue.data
    ws = wb.create_sheet(sheet_title("Thông tin chung", taken))
    for letter, width in zip("ABC", COVER_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    layout.print_setup(ws, header_row=None)
    rows = issue.head(ws, len(COVER_WIDTHS), data.title)
    for label, value in (
        ("Đơn vị", f"{data.root_name} ({data.root_code})"),
        ("Năm", str(data.year or "")),  # a year is a label, not a quantity: never "2.026"
        ("Thời điểm lập", issue.local.strftime("%d/%m/%Y %H:%M")),
        ("Người lập", issue.by),
    ):
        ws.append([typed_cell(ws, label, font=BOLD), typed_cell(ws, value)])
        rows += 1
    ws.append([])
    rows += 1
    # One clause a row: a write-only sheet cannot size a row to a wrapped paragraph, and wrapped
    # text in a default-height row is drawn over its neighbours by LibreOffice.
    for paragraph in data.narrative:
        clauses = paragraph.split("; ")
        for i, clause in enumerate(clauses):
            ws.append([None, typed_cell(ws, clause + (";" if i < len(clauses) - 1 else ""))])
        ws.append([])
        rows += len(clauses) + 1
    layout.signature(ws, columns=len(COVER_WIDTHS), first_row=rows, by=issue.by)


def sheet_groups(tables: list[Table]) -> list[list[Table]]:
    """The tables grouped by the sheet they print on: consecutive tables of one ``stack`` share
    a sheet; any other table has one of its own."""
    groups: list[list[Table]] = []
    for table in tables:
        if groups and table.stack and groups[-1][0].stack == table.stack:
            groups[-1].append(table)
        else:
            groups.append([table])
    return groups


def _table_sheet(wb: Workbook, tables: list[Table], issue: Issue, taken: set[str]) -> None:
    for table in tables:
        check_totals(table)
    first = tables[0]
    blocks = [layout.Block(t.columns, t.rows, t.total, t.percent_columns, t.title) for t in tables]
    if first.stack:  # a sheet of several tables: the report's title above, each table's own above it
        name, title = first.stack, issue.data.title
    else:
        name, title = first.sheet or first.title, first.title
    layout.stacked_sheet(wb, sheet_title(name, taken), issue.letterhead, title=title, blocks=blocks)


def write_workbook(
    data: ReportData, target, *, by: str = "", generated_at: datetime | None = None, footer: str = ""
) -> None:
    """Write ``data`` as .xlsx to ``target`` (a path or a binary file object). ``footer`` is
    printed at the left foot of every page (a return's version and submission time, issue 18)."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    issue = Issue(data, by, generated_at or timezone.now())
    _cover(wb, issue, taken)
    for tables in sheet_groups(data.tables):
        _table_sheet(wb, tables, issue, taken)
    for ws in wb.worksheets:  # a write-only sheet writes its header and footer when it is saved
        ws.oddFooter.left.text = footer or None
    wb.save(target)
