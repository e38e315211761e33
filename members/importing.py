"""The Excel import contract shared by every kind of import (``import_xlsx KIND FILE``).

An importer reads the whole file, validates every row first and writes nothing unless every row
is valid (all-or-nothing), inside one transaction. Higher apps register their own kinds
(``evaluations`` registers "ratings") in their AppConfig.ready, so ``members`` never imports them.

``XlsxImporter`` is the engine most kinds build on: it reads the first sheet with openpyxl in
read-only mode, checks the headers, hands every data row to ``validate`` (which must not write),
and only when no row has an error calls ``write`` inside one transaction.
"""

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as the user sees it (header is row 1)
    column: str  # the Vietnamese header, e.g. "Số CCCD"; "" for a whole-row or file problem
    message: str  # Vietnamese, names what is wrong

    def __str__(self):
        if self.row <= 0:  # a problem with the file itself, not one of its rows
            return f"Tệp: {self.message}"
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """Base class: subclasses set ``kind``, ``label``, ``headers`` (required Vietnamese headers)
    and implement ``run``."""

    kind: str = ""
    label: str = ""
    headers: list[str] = []

    def __init__(self, *, user, **options):
        self.user, self.options = user, options

    def run(self, file, *, dry_run: bool = False) -> ImportResult:  # file: path or file object
        raise NotImplementedError


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _REGISTRY[importer.kind] = importer
    return importer


def get_importer(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"Không có loại nhập “{kind}”. Các loại: {', '.join(sorted(_REGISTRY))}.") from None


def kinds() -> list[str]:
    return sorted(_REGISTRY)


class FileProblem(Exception):
    """The file cannot be read as an import at all (not an xlsx, empty, wrong headers)."""

    def __init__(self, message: str, *, row: int = 0, column: str = ""):
        super().__init__(message)
        self.row, self.column = row, column


ET_ERRORS = (SyntaxError, ValueError, KeyError, IndexError)  # ElementTree's ParseError is a SyntaxError
NOT_XLSX = "Tệp không phải là tệp Excel .xlsx (hãy lưu lại bằng Excel với định dạng .xlsx rồi tải lên)."


def _open(file):
    """A path or a file object (an upload), checked for the two commonest mistakes first."""
    if isinstance(file, str | os.PathLike):
        if os.path.getsize(file) == 0:
            raise FileProblem("Tệp rỗng (0 byte).")
        handle = open(file, "rb")  # noqa: SIM115  (closed by the workbook's reader)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        handle = io.BytesIO(file.read())
        if handle.getbuffer().nbytes == 0:
            raise FileProblem("Tệp rỗng (0 byte).")
    if not zipfile.is_zipfile(handle):
        raise FileProblem(NOT_XLSX)
    handle.seek(0)
    return handle


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT = (f"{_NS}{t}" for t in ("row", "c", "v", "is", "t"))


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if ch.isdigit():
            break
        index = index * 26 + ord(ch) - 64
    return index - 1


def _cell_value(cell, shared: list, dates: set, epoch):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        node = cell.find(_INLINE)
        return "".join(t.text or "" for t in node.iter(_TEXT)) if node is not None else None
    text = cell.findtext(_VALUE)
    if text is None:
        return None
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return text == "1"
    if kind in ("str", "e"):
        return text
    if kind == "d":
        return datetime.fromisoformat(text)
    number = float(text) if any(ch in text for ch in ".eE") else int(text)
    style = cell.get("s")
    if style and int(style) in dates:
        from openpyxl.utils.datetime import from_excel

        return from_excel(number, epoch)
    return number


def _rows(worksheet) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column index: value}) for each row of a read-only worksheet.

    openpyxl's own row reader builds an object per cell (a rich-text object per inline string):
    20,000 rows × 9 columns cost 3.4 s of CPU, most of an import. This loop reads the same XML
    with the workbook's own shared strings, date styles and epoch, about four times faster."""
    import xml.etree.ElementTree as ET

    workbook = worksheet.parent
    shared, dates, epoch = worksheet._shared_strings, workbook._date_formats, workbook.epoch
    number = 0
    with worksheet._get_source() as source:
        for _, element in ET.iterparse(source):
            if element.tag != _ROW:
                continue
            number = int(element.get("r") or number + 1)
            values, position = {}, 0
            for cell in element.iter(_CELL):
                ref = cell.get("r")
                position = _column_index(ref) if ref else position
                values[position] = _cell_value(cell, shared, dates, epoch)
                position += 1
            element.clear()
            yield number, values


def read_sheet(file, required: list[str], optional: list[str] = ()) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The headers found and an iterator of (row number, {header: value}) for non-empty rows."""
    from openpyxl import load_workbook

    handle = _open(file)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        rows = _rows(workbook.worksheets[0])
        header_number, header_row = next(rows, (1, {}))
    except Exception as exc:  # openpyxl and the XML parser raise many kinds for a foreign zip
        raise FileProblem(NOT_XLSX) from exc
    width = max(header_row, default=-1) + 1
    headers = [str(header_row[i]).strip() if header_row.get(i) is not None else "" for i in range(width)]
    if not any(headers):
        workbook.close()
        raise FileProblem("Tệp trống: không có dòng tiêu đề. Hãy dùng tệp mẫu.", row=1)
    missing = [h for h in required if h not in headers]
    if missing:
        workbook.close()
        names = ", ".join(f"“{h}”" for h in missing)
        raise FileProblem(
            f"Thiếu cột {names}. Dòng {header_number} phải có đủ các cột của tệp mẫu.",
            row=header_number,
            column=missing[0],
        )
    wanted = {i: h for i, h in enumerate(headers) if h in set(required) | set(optional)}

    def data():
        try:
            for number, values in rows:
                record = {h: _clean(values.get(i)) for i, h in wanted.items()}
                if any(v is not None for v in record.values()):
                    yield number, record
        except ET_ERRORS as exc:
            raise FileProblem(NOT_XLSX) from exc
        finally:
            workbook.close()

    return [h for h in headers if h in wanted.values()], data()


def parse_date(value) -> date | None:
    """A date cell, or text written dd/mm/yyyy (also dd-mm-yyyy and yyyy-mm-dd)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S"):
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                continue
    raise ValueError(f"“{value}” không phải là ngày (viết theo dạng dd/mm/yyyy).")


def parse_text(value, *, digits: int = 0) -> str:
    """Text of a cell; a number typed into a text column loses Excel's float form (and, for
    fixed-length codes such as CCCD, the leading zeros Excel dropped are restored)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and digits:
        return str(value).zfill(digits)
    return str(value).strip()


class XlsxImporter(Importer):
    """Read → validate every row → write all in one transaction, or nothing."""

    optional_headers: list[str] = []

    def run(self, file, *, dry_run: bool = False) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        try:
            headers, rows = read_sheet(file, self.headers, self.optional_headers)
            self.present = set(headers)
            plan = self.validate(rows, result)
        except FileProblem as exc:
            result.errors.append(RowError(exc.row, exc.column, str(exc)))
            return result
        if not plan_has_rows(result) and not result.errors:
            result.errors.append(RowError(2, "", "Tệp không có dòng dữ liệu nào."))
        if result.errors or dry_run:
            return result
        with transaction.atomic():
            self.write(plan, result)
        return result

    def validate(self, rows: Iterator[tuple[int, dict]], result: ImportResult):
        """Check every row, append RowErrors, fill result.created/updated; return a plan for write."""
        raise NotImplementedError

    def write(self, plan, result: ImportResult) -> None:
        raise NotImplementedError


def plan_has_rows(result: ImportResult) -> bool:
    return bool(result.created or result.updated)
