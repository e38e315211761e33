"""The published template of an import kind (issue 15): what an officer fills in, and what tells
them how.

- the first sheet (the one every import reads): the headers, required ones first, and a drop-down
  on each word column (Giới tính, Cấp, Loại hình, Xếp loại) listing what the import accepts;
- "Hướng dẫn": the headers again above one example row, and which columns are required;
- "Giá trị hợp lệ": the accepted words, one column per drop-down (the drop-downs' source).
The example stays off the first sheet, so a template filled in and sent never imports it."""

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .importing import get_importer

GUIDE, VALUES = "Hướng dẫn", "Giá trị hợp lệ"
ROWS = 10_000  # rows of the first sheet that carry the drop-downs
HEADER = Font(bold=True)
REQUIRED = PatternFill("solid", fgColor="FFF2CC")


def _widths(sheet, headers: list[str]) -> None:
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 4)


def _header_row(sheet, headers: list[str], required: set[str]) -> None:
    sheet.append(headers)
    for cell, header in zip(sheet[1], headers, strict=True):
        cell.font = HEADER
        if header in required:
            cell.fill = REQUIRED
    _widths(sheet, headers)
    sheet.freeze_panes = "A2"


def _drop_downs(sheet, values_sheet, headers: list[str], choices: dict[str, list[str]]) -> None:
    for source, (header, words) in enumerate(choices.items(), start=1):
        if header not in headers or not words:
            continue
        letter = get_column_letter(source)
        values_sheet.cell(row=1, column=source, value=header).font = HEADER
        for row, word in enumerate(words, start=2):
            values_sheet.cell(row=row, column=source, value=word)
        values_sheet.column_dimensions[letter].width = max(16, *(len(w) + 2 for w in words))
        rule = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(VALUES)}!${letter}$2:${letter}${len(words) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=f"Chọn một giá trị trong danh sách (trang “{VALUES}”).",
        )
        column = get_column_letter(headers.index(header) + 1)
        rule.add(f"{column}2:{column}{ROWS + 1}")
        sheet.add_data_validation(rule)


def _guide(sheet, headers: list[str], required: set[str], example: dict[str, str], choices: dict) -> None:
    sheet.append(["Dòng ví dụ (không nhập trang này; điền vào trang đầu tiên):"])
    sheet["A1"].font = HEADER
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = HEADER
    sheet.append([example.get(h) or (choices.get(h) or [""])[0] for h in headers])
    sheet.append([])
    sheet.append(["Cột bắt buộc (tô vàng ở trang đầu): " + ", ".join(h for h in headers if h in required) + "."])
    sheet.append(["Ngày ghi dd/mm/yyyy; cột có danh sách chọn nhận các giá trị ở trang “Giá trị hợp lệ”."])
    _widths(sheet, headers)


def write(kind: str, out) -> None:
    """The template of ``kind`` into ``out`` (a path or a binary file)."""
    importer = get_importer(kind)
    headers = importer.all_headers()
    required, choices = set(importer.headers), importer.choices()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = importer.label or kind
    _header_row(sheet, headers, required)
    _guide(workbook.create_sheet(GUIDE), headers, required, importer.example, choices)
    _drop_downs(sheet, workbook.create_sheet(VALUES), headers, choices)
    workbook.save(out)
