"""Reading an uploaded .xlsx into a tablib Dataset, fast enough for 10⁵ rows.

django-import-export reads xlsx through openpyxl's cell objects; at 100,000 rows that alone cost
more than the whole import, so the sheet's XML is read here (with the workbook's own shared
strings, date styles and epoch) and handed to import-export as a ``tablib.Dataset``.

What a real roster looks like is taken as it comes: a title row or two above the headers (the
header row is looked for among the first rows), headers typed in another letter case, in a Mac's
decomposed Unicode or without diacritics; the Dataset always carries the importer's own header
names. What cannot be read as an import at all (a 0-byte file, a file that is not an xlsx, a
missing or repeated header, a cell beyond Excel's last column, a file past a limit of
``members.xlsxlimits``) becomes a ``FileProblem`` with a Vietnamese message. Odd cells never do: an error left by a failed formula (#N/A) is a
``CellError`` the widgets refuse by row and column, and a number too big for a date stays a number."""

import io
import itertools
import math
import os
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

import python_calamine
import tablib

from organizations.text import fold

from . import xlsxlimits
from .xlsxlimits import MAX_CELL_CHARS, Budget, FileProblem, Limits
from .xlsxpackage import Package, read_package
from .xlsxwriter import column_letters

ROW = "__dong__"  # the column carrying each row's number in the spreadsheet, as the user sees it
HEADER_SEARCH_ROWS = 10  # the header row may sit under a title: it is looked for in these rows
MAX_COLUMNS = 16_384  # Excel's last column is XFD
MAX_DENSE_CELLS = 6_000_000  # rows × columns calamine may lay out (≈ 200 MB); past it, the XML reader
EXACT_INTEGERS = 1e15  # Excel keeps 15 significant digits: a whole number below this is an integer
TICK_EVERY = 5000  # rows read between two calls of ``progress`` (a discarded job stops there)


class CellError(str):
    """An Excel error value (#N/A, #REF!, #VALUE!…) cached by a failed formula. It is not text the
    user typed: ``members.widgets`` refuses it, so the row is reported at that column."""

    __slots__ = ()


# ElementTree's ParseError is a SyntaxError; a part whose directory entry lies fails its CRC
ET_ERRORS = (SyntaxError, ValueError, KeyError, IndexError, zipfile.BadZipFile, EOFError, zlib.error)
NOT_XLSX = "Tệp không phải là tệp Excel .xlsx (hãy lưu lại bằng Excel với định dạng .xlsx rồi tải lên)."


def _open(file):
    """A path or a file object (an upload), checked for the commonest mistakes and its size first
    (an upload is read no further than one byte past the limit)."""
    if isinstance(file, str | os.PathLike):
        size = os.path.getsize(file)
        handle = None
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        handle = io.BytesIO(file.read(Limits.current().max_bytes + 1))
        size = handle.getbuffer().nbytes
    if size == 0:
        raise FileProblem("Tệp rỗng (0 byte).")
    xlsxlimits.check_size(size)
    handle = handle or open(file, "rb")  # noqa: SIM115  (closed by the workbook's reader)
    if not zipfile.is_zipfile(handle):
        raise FileProblem(NOT_XLSX)
    handle.seek(0)
    return handle


SHARED_TEXTS = 10_000  # distinct texts a column keeps one copy of (codes, days, words)


def _shared(value, seen: dict):
    """A repeated text as the one object already read: 10⁵ rows hold a few thousand distinct chi
    đoàn codes, days and words, and each cell read is a new string (a tenth of an import's memory)."""
    if value.__class__ is not str:
        return value
    kept = seen.get(value)
    if kept is None and len(seen) < SHARED_TEXTS:
        seen[value] = kept = value
    return kept or value


def _clean(value):
    if isinstance(value, str) and not isinstance(value, CellError):  # strip() would drop the marker
        value = value.strip()
        return value or None
    return value


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT = (f"{_NS}{t}" for t in ("row", "c", "v", "is", "t"))
_DIGITS = "0123456789"


@lru_cache(maxsize=1024)
def _letters_index(letters: str) -> int:
    """ "A" → 0, "XFD" → 16383. Capped: a crafted "ZZZZZZZZZZ1" would otherwise make a row as wide
    as its number (the header row is laid out column by column)."""
    index = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(letters)
        index = index * 26 + ord(ch) - 64
        if index > MAX_COLUMNS:
            raise OverflowError(letters)
    if not index:
        raise ValueError(letters)
    return index - 1


def _number(text: str):
    """A number cell's value; text that is not a finite number (a generator's "inf") stays text,
    and NaN (how some tools write a missing value) is a blank."""
    try:
        return float(text) if any(ch in text for ch in ".eE") else int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    if math.isnan(number):
        return None
    return text.strip() if math.isinf(number) else number


def _date(number, epoch):
    """A number in a date-formatted cell; one no calendar holds (3e6, 1e20) stays a number, which
    the date widget then reports by row and column."""
    from openpyxl.utils.datetime import from_excel

    try:
        return from_excel(number, epoch)
    except (OverflowError, ValueError):
        return number


def _cell_value(cell, shared: list, dates: set, epoch):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        node = cell.find(_INLINE)
        return "".join(t.text or "" for t in node.iter(_TEXT)) if node is not None else None
    text = cell.findtext(_VALUE)
    if not text:  # no value, or a formula saved without its result (<v/>): a blank cell
        return None
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return text == "1"
    if kind == "str":
        return text
    if kind == "e":
        return CellError(text)
    if kind == "d":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    number = _number(text)
    style = cell.get("s")
    if style and int(style) in dates and isinstance(number, int | float):
        return _date(number, epoch)
    return number


def _xml_rows(archive: zipfile.ZipFile, package: Package, shared: list, budget: Budget) -> Iterator[tuple[int, dict]]:
    """(row number, {column index: value}) for each row of the worksheet, read from its XML.

    The fallback for the sheets calamine cannot read (``xlsxlimits.SheetShape``): the same XML
    fed a chunk at a time within ``xlsxlimits``' bounds (a row's size, a cell's length, Excel's
    last row), with the package's own shared strings, date styles and epoch."""
    dates, epoch = package.date_styles, package.epoch
    number = count = 0
    with archive.open(package.sheet) as source:
        rows = xlsxlimits.elements(
            source, _ROW, budget=budget, max_xml=xlsxlimits.MAX_ROW_XML, too_big=lambda: xlsxlimits.row_too_big(number)
        )
        for element in rows:
            count += 1
            if count > xlsxlimits.MAX_SHEET_ROWS:
                raise xlsxlimits.not_excel_rows()
            number = int(element.get("r") or number + 1)
            values, position = {}, 0
            for cell in element.iter(_CELL):
                ref = cell.get("r")
                try:
                    position = _letters_index(ref.rstrip(_DIGITS)) if ref else position
                except OverflowError:
                    raise xlsxlimits.beyond_last_column(ref, number) from None
                if position >= MAX_COLUMNS:  # cells without a reference, one after another
                    raise FileProblem(NOT_XLSX, row=number)
                value = values[position] = _cell_value(cell, shared, dates, epoch)
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise xlsxlimits.cell_too_long(ref or f"ở cột thứ {position + 1}", number)
                position += 1
            element.clear()
            yield number, values


def _calamine_value(value):
    """A calamine cell as the XML reader gives it: whole numbers as integers (so "3000000" is not
    shown "3000000.0"), NaN (a generator's missing value) as a blank, an infinity as its text."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return str(value)
        if value.is_integer() and abs(value) < EXACT_INTEGERS:
            return int(value)
    return value


def _calamine_rows(handle, package: Package) -> Iterator[tuple[int, dict]]:
    """(row number, {column index: value}) for each row, read by python-calamine (Rust): a
    100,000-row sheet in a second or two, where parsing its XML in Python takes over ten."""
    handle.seek(0)
    with python_calamine.CalamineWorkbook.from_filelike(handle) as workbook:
        sheet = workbook.get_sheet_by_name(package.sheet_name)
        if sheet.start is None:  # no cell at all
            return
        top, left = sheet.start
        for offset, cells in enumerate(sheet.iter_rows()):
            number, values = top + offset + 1, {}
            for position, value in enumerate(cells, start=left):
                if value == "":
                    continue
                value = values[position] = _calamine_value(value)
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise xlsxlimits.cell_too_long(f"{column_letters(position)}{number}", number)
            yield number, values


def _sheet_rows(handle) -> Iterator[tuple[int, dict]]:
    """The worksheet's rows, once every bound of ``xlsxlimits`` holds: the zip's directory, the
    shared strings and a pass over the sheet's bytes; then calamine reads it, or the XML reader
    where calamine cannot (``SheetShape``, or calamine refuses the file)."""
    archive = zipfile.ZipFile(handle)
    xlsxlimits.check_directory(archive)
    package = read_package(archive)
    shared = xlsxlimits.SharedStrings()
    if package.strings:
        with archive.open(package.strings) as source:
            shared = xlsxlimits.read_shared_strings(source, Budget())
    with archive.open(package.sheet) as source:
        shape = xlsxlimits.scan_sheet(source, budget=Budget(), column_index=_letters_index)
    if not (shape.odd_cells or shared.rich) and shape.dense_cells <= MAX_DENSE_CELLS:
        try:
            rows = _calamine_rows(handle, package)
            first = next(rows, None)  # calamine reads the whole sheet here: a refusal comes now
        except python_calamine.CalamineError:
            pass
        else:
            del shared
            return itertools.chain([first] if first else [], rows)
    return _xml_rows(archive, package, shared, Budget())


# -- the header row ---------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    """Headers compare in one Unicode form (a Mac writes "ọ" as "o" plus two marks), in any letter
    case ("Họ và Tên") and spacing."""
    return " ".join(unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold()).split())


class _Headers:
    """The importer's headers, and which of them a header cell names.

    Diacritics count ("Nam" is not "Năm"), except in a cell typed with none at all: that one is
    read as the one known header it folds to ("Ngay sinh" → "Ngày sinh"), if exactly one does. A
    header row is matched against a short closed list, and typing without diacritics is common."""

    def __init__(self, required: list[str], optional: list[str]):
        self.required = list(required)
        known = [*required, *optional]
        self.exact = {_header_key(h): h for h in known}
        folds = Counter(fold(h) for h in known)
        self.unmarked = {fold(h): h for h in known if folds[fold(h)] == 1}

    def name(self, cell) -> str | None:
        if cell is None or isinstance(cell, CellError):
            return None
        key = _header_key(str(cell))
        if key in self.exact:
            return self.exact[key]
        return self.unmarked.get(key) if fold(key) == key else None

    def columns(self, values: dict) -> dict[int, str]:
        """{column index: the importer's header} for the known headers of a row."""
        named = ((i, self.name(v)) for i, v in sorted(values.items()))
        return {i: h for i, h in named if h}


def _blank(values: dict) -> bool:
    return all(v is None or not str(v).strip() for v in values.values())


def _find_header(rows, headers: _Headers) -> tuple[int, dict[int, str]]:
    """The first of the first rows naming every required header, as {column index: header}; rows
    above it (a title, a blank line) are skipped. Without one, the row closest to it is named."""
    best, first, further = None, None, False
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            further = True
            break
        if _blank(values):
            continue
        columns = headers.columns(values)
        if set(headers.required) <= set(columns.values()):
            _refuse_repeated(columns, number)
            return number, columns
        first = first or number
        if columns and (best is None or len(set(columns.values())) > len(set(best[1].values()))):
            best = (number, columns)
    if first is None and not further:
        raise FileProblem("Tệp trống: không có dòng tiêu đề. Hãy dùng tệp mẫu.", row=1)
    number, columns = best or (first or 1, {})
    missing = [h for h in headers.required if h not in columns.values()]
    names = ", ".join(f"“{h}”" for h in missing)
    raise FileProblem(
        f"Thiếu cột {names}. Dòng {number} phải có đủ các cột của tệp mẫu "
        f"(dòng tiêu đề cần nằm trong {HEADER_SEARCH_ROWS} dòng đầu của trang tính thứ nhất).",
        row=number,
        column=missing[0],
    )


def _refuse_repeated(columns: dict[int, str], number: int) -> None:
    """Two columns for one header: which one holds the data is anyone's guess (an empty second
    "Số điện thoại" would clear every phone), so the file is refused."""
    for header, count in Counter(columns.values()).items():
        if count > 1:
            times = "hai lần" if count == 2 else f"{count} lần"
            raise FileProblem(f"Cột “{header}” xuất hiện {times} ở dòng {number}.", row=number, column=header)


# -- the sheet --------------------------------------------------------------------------------------


def _read(file, required: list[str], optional: list[str], progress=None) -> tuple[int, dict[int, str], Iterator]:
    """The header's row number, {column index: header} and an iterator of the rows under it.
    ``progress(0, 0)`` is called every ``TICK_EVERY`` rows read (a job's progress may stop it)."""
    handle = _open(file)
    limit = Limits.current().max_rows
    try:
        rows = _sheet_rows(handle)
        header_number, wanted = _find_header(rows, _Headers(required, optional))
    except Exception as exc:
        handle.close()
        if isinstance(exc, FileProblem):
            raise
        raise FileProblem(NOT_XLSX) from exc  # the XML parser and the zip raise many kinds for a foreign zip

    def data():
        count = 0
        same = {h: {} for h in wanted.values()}  # per column: one object for a repeated text
        try:
            for number, values in rows:
                record = {h: _shared(_clean(values.get(i)), same[h]) for i, h in wanted.items()}
                if any(v is not None for v in record.values()):
                    count += 1
                    if count > limit:  # one row past the limit is read, never the rest of the file
                        raise xlsxlimits.too_many_rows(limit, number)
                    if progress and count % TICK_EVERY == 0:
                        progress(0, 0)
                    yield number, record
        except ET_ERRORS as exc:
            raise FileProblem(NOT_XLSX) from exc
        finally:
            handle.close()

    return header_number, wanted, data()


def read_sheet(
    file, required: list[str], optional: list[str] = (), progress=None
) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The headers found (the importer's own names, in the sheet's order) and an iterator of
    (row number, {header: value}) for the non-empty rows under the header row."""
    _, wanted, rows = _read(file, required, optional, progress)
    return list(wanted.values()), rows


def read_dataset(file, required: list[str], optional: list[str] = (), progress=None) -> tablib.Dataset:
    """The sheet's known columns as a Dataset, plus ``ROW`` (each row's spreadsheet number, so
    errors name the row the user sees even when blank rows or a title were skipped)."""
    header_number, wanted, rows = _read(file, required, optional, progress)
    headers = list(wanted.values())
    dataset = tablib.Dataset(headers=[*headers, ROW])
    for number, record in rows:
        dataset.append([*(record.get(h) for h in headers), number])
    if not len(dataset):
        raise FileProblem("Tệp không có dòng dữ liệu nào.", row=header_number + 1)
    return dataset
