"""A checked import's errors as a workbook (issue 15): each bad row of the officer's own file with
its values, the cells at fault filled red, and what is wrong with them in a last column, so the
file can be corrected beside it. Problems of the file as a whole (row 0) come first."""

from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from . import uploads
from .importing import get_importer
from .models import ImportJob
from .xlsxreader import ROW, FileProblem, read_dataset

ROW_HEADER, ERRORS_HEADER = "Dòng", "Lỗi"
BAD = PatternFill("solid", fgColor="F8CBAD")
BOLD = Font(bold=True)


def _file_rows(job: ImportJob, wanted: set[int]) -> tuple[list[str], dict[int, tuple]]:
    """The file's headers and the values of the rows ``wanted``; none when the file is gone."""
    importer = get_importer(job.kind)
    try:
        copy = uploads.local_copy(job.stored)
    except FileNotFoundError:  # expired after its day, or confirmed and removed
        return importer.all_headers(), {}
    with copy:
        try:
            dataset = read_dataset(copy.name, importer.headers, importer.optional_headers)
        except FileProblem:
            return importer.all_headers(), {}
    headers = [h for h in dataset.headers if h != ROW]
    at = dataset.headers.index(ROW)
    rows = {}
    for index, number in enumerate(dataset[ROW]):
        if number in wanted:
            values = dataset[index]
            rows[number] = tuple(v for i, v in enumerate(values) if i != at)
    return headers, rows


def write(job: ImportJob, out) -> None:
    """The workbook of ``job``'s kept errors into ``out``."""
    faults: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row, column, message in job.errors:
        faults[row].append((column, message))
    headers, values = _file_rows(job, set(faults) - {0})
    book = Workbook()
    sheet = book.active
    sheet.title = "Lỗi nhập"
    sheet.append([ROW_HEADER, *headers, ERRORS_HEADER])
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "B2"
    for row in sorted(faults):
        found = faults[row]
        cells = list(values.get(row, ("",) * len(headers)))
        sheet.append([row or "—", *cells, "; ".join(f"{c}: {m}" if c else m for c, m in found)])
        for column, _ in found:
            if column in headers:
                sheet.cell(row=sheet.max_row, column=headers.index(column) + 2).fill = BAD
    sheet.column_dimensions["A"].width = 8
    book.save(out)
