"""Bounds on reading an uploaded .xlsx, so that no file can take a worker down (issue 14).

A 1 MB file whose one cell expands to 1 GiB once drove ``import_xlsx --dry-run`` to 11.9 GB. Every
path (the upload form, the worker's check and write, the command) reads through
``members.xlsxreader``, which applies these limits:

- before parsing: the file's size (``DOANHUB_IMPORT_MAX_BYTES``), then the zip's own directory:
  the total size once unpacked (``DOANHUB_IMPORT_MAX_UNPACKED_BYTES``), each part's compression
  ratio (a zip bomb's is near deflate's 1032:1; a real sheet's near 15:1) and the size of the
  small parts openpyxl parses whole (styles, workbook, theme);
- while parsing: every byte actually unpacked counts against the same total (so a directory that
  lies is caught too), the XML is fed a chunk at a time and one row (or one shared string) may not
  grow past a fixed size before it ends, a cell holds at most Excel's own 32,767 characters, the
  shared-strings table is bounded in strings and characters, and reading stops at the first row
  past ``DOANHUB_IMPORT_MAX_ROWS``.

Each refusal is a ``FileProblem`` whose Vietnamese message states the limit."""

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from organizations.numbers import vn_decimal, vn_int

MB = 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_ROW_XML = 8 * MB  # one row's XML: 16,384 short cells take under 1 MB
MAX_STRING_XML = MB  # one shared string's XML: 32,767 characters of any script fit
MAX_SHARED_STRINGS = 1_000_000  # 200,000 rows × 5 distinct texts
MAX_SHARED_CHARS = 50_000_000  # 200,000 rows × 250 characters of distinct text
MAX_SHEET_ROWS = 1_048_576  # Excel's last row: row elements past it (even blank ones) are not Excel's
MAX_RATIO = 200  # deflate reaches about 1032:1; generated rosters stay under 20:1
RATIO_FROM = MB  # small parts may compress oddly well; only large ones are judged
MAX_SMALL_PART = 10 * MB  # parts openpyxl builds whole in memory (styles, theme, workbook…)
SMALL_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/theme/", "docProps/", "_rels/")
CHUNK = 64 * 1024
SPLIT_HINT = "Hãy chia thành nhiều tệp nhỏ hơn rồi tải lên từng tệp."
BOMB_HINT = "Tệp có thể là “bom nén” (nhỏ nhưng giải nén ra rất lớn) nên không được đọc."


class FileProblem(Exception):
    """The file cannot be read as an import at all (not an xlsx, empty, wrong headers, too big)."""

    def __init__(self, message: str, *, row: int = 0, column: str = ""):
        super().__init__(message)
        self.row, self.column = row, column


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked: int
    max_rows: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(
            max_bytes=settings.DOANHUB_IMPORT_MAX_BYTES,
            max_unpacked=settings.DOANHUB_IMPORT_MAX_UNPACKED_BYTES,
            max_rows=settings.DOANHUB_IMPORT_MAX_ROWS,
        )


def megabytes(size: int) -> str:
    """20971520 -> "20 MB", 1234567 -> "1,2 MB" (Vietnamese decimal comma), 1024 -> "1 KB"."""
    if size < MB:
        return f"{vn_int(-(-size // 1024))} KB"
    text = vn_decimal(size / MB, 1)
    return (text[:-2] if text.endswith(",0") else text) + " MB"


# -- before parsing ---------------------------------------------------------------------------


def size_problem(size: int) -> str | None:
    """The message refusing a file of ``size`` bytes, or None. The upload form asks before the
    file is stored; the reader asks again for every other path."""
    limit = Limits.current().max_bytes
    if size > limit:
        return f"Tệp nặng {megabytes(size)}, quá giới hạn {megabytes(limit)} cho một lần nhập. {SPLIT_HINT}"
    return None


def check_size(size: int) -> None:
    if message := size_problem(size):
        raise FileProblem(message)


def check_directory(archive: zipfile.ZipFile) -> None:
    """The zip's directory, read before anything is unpacked: the total, each part's ratio, the
    parts openpyxl parses whole."""
    limits = Limits.current()
    total = 0
    for part in archive.infolist():
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise FileProblem(
                f"Phần “{part.filename[:60]}” của tệp nén tới {vn_int(round(ratio))} lần "
                f"(giới hạn {vn_int(MAX_RATIO)} lần). {BOMB_HINT}"
            )
        if part.file_size > MAX_SMALL_PART and part.filename.startswith(SMALL_PARTS):
            raise FileProblem(
                f"Phần “{part.filename[:60]}” của tệp giải nén ra {megabytes(part.file_size)}, quá giới hạn "
                f"{megabytes(MAX_SMALL_PART)}. Hãy mở bằng Excel, lưu lại với định dạng .xlsx rồi tải lên."
            )
    if total > limits.max_unpacked:
        raise FileProblem(unpacked_message(total, limits.max_unpacked))


def unpacked_message(size: int, limit: int, *, more: bool = False) -> str:
    amount = f"hơn {megabytes(limit)}" if more else megabytes(size)
    return f"Tệp giải nén ra {amount}, quá giới hạn {megabytes(limit)}. {BOMB_HINT} {SPLIT_HINT}"


# -- while parsing ------------------------------------------------------------------------------


class Budget:
    """The bytes actually unpacked, whatever the directory said: every part read counts."""

    def __init__(self, limit: int | None = None):
        self.limit = Limits.current().max_unpacked if limit is None else limit
        self.spent = 0

    def read(self, stream, size: int = CHUNK) -> bytes:
        chunk = stream.read(size)
        self.spent += len(chunk)
        if self.spent > self.limit:
            raise FileProblem(unpacked_message(self.spent, self.limit, more=True))
        return chunk


def elements(stream, tag: str, *, budget: Budget, max_xml: int, too_big) -> Iterator[ET.Element]:
    """Each ``tag`` element of an XML part as it ends, fed to the parser a chunk at a time.

    ElementTree gathers an element's text before it hands the element over, so a 1 GiB cell would
    sit in memory whole; here no element may take more than ``max_xml`` bytes of the part (counted
    to within a chunk) before it ends: ``too_big()`` gives the FileProblem raised then."""
    parser = ET.XMLPullParser(events=("end",))
    pending = 0
    while chunk := budget.read(stream):
        parser.feed(chunk)
        pending += len(chunk)
        for _, element in parser.read_events():
            if element.tag == tag:
                pending = 0
                yield element
        if pending > max_xml:
            raise too_big()
    parser.close()
    for _, element in parser.read_events():
        if element.tag == tag:
            yield element


@dataclass
class SheetShape:
    """What the guard pass saw of a worksheet: enough to say whether python-calamine may read it.

    calamine lays a sheet out as one dense block of rows × columns before a row can be looked at
    (a cell at XFD1 of a 100,000-row sheet is 1.6·10⁹ cells: the process aborts), and it reads an
    error cell (#N/A) as a blank and a ``t="d"`` cell by its own rules; such a sheet is read by the
    streaming XML reader instead."""

    rows: int = 0  # row elements
    last_row: int = 0  # the highest row number
    last_column: int = 0  # the highest column index (0 = A) of a cell reference of two letters or more
    odd_cells: bool = False  # error cells, ISO-date cells, or cells without a leading reference

    @property
    def dense_cells(self) -> int:
        return self.last_row * (max(self.last_column, 25) + 1)


# Each pattern starts with a literal, so the scan runs at the speed of a substring search. A sheet
# whose tags carry a namespace prefix (<x:row>) is left to the XML reader (``odd_cells``).
_ROW_NUMBERS = re.compile(rb'<row\b[^>]*?\sr="(\d{1,12})"')
# a cell whose reference has two letters or more (group 1, 2), or a cell without a leading reference
_CELL_CHECK = re.compile(rb'<c(?:\s+r="([A-Za-z]{2,})(\d*)"|>|/>|\s+(?!r=))')
_ODD_TEXT = (b't="e"', b't="d"', b"t='e'", b"t='d'", b":row ", b":row>")  # error, ISO-date cells; <x:row>


def scan_sheet(stream, *, budget: Budget, column_index) -> SheetShape:
    """One pass over a worksheet's bytes, a chunk at a time, before anything parses it: every
    byte counts against ``budget``, no row may grow past ``MAX_ROW_XML`` before it ends, a sheet
    may not hold more rows than Excel's last one, and no cell may lie past Excel's last column
    (``column_index`` maps column letters to an index and raises OverflowError past XFD).

    Only tag boundaries are looked at (regular expressions over bytes), so this costs a fraction
    of parsing; a chunk is cut after its last complete tag, the rest carried to the next."""
    shape = SheetShape()
    number, carried, offset, last_event, open_row = 0, b"", 0, 0, False  # offsets count bytes of the part
    while chunk := budget.read(stream):
        data, base = carried + chunk, offset - len(carried)
        offset += len(chunk)
        cut = data.rfind(b"<")
        cut = len(data) if cut == -1 or data.find(b">", cut) != -1 else cut
        data, carried = data[:cut], data[cut:]
        starts = data.count(b"<row ") + data.count(b"<row>")
        numbers = _ROW_NUMBERS.findall(data)
        shape.rows += starts
        if shape.rows > MAX_SHEET_ROWS:
            raise not_excel_rows()
        number = int(numbers[-1]) if numbers else number + starts
        shape.last_row = max(shape.last_row, number, *map(int, numbers))
        opened, closed = max(data.rfind(b"<row "), data.rfind(b"<row>")), data.rfind(b"</row>")
        if opened > closed:
            last_event, open_row = base + opened, not data[opened : data.find(b">", opened)].endswith(b"/")
        elif closed != -1:
            last_event, open_row = base + closed + len(b"</row>"), False
        for match in _CELL_CHECK.finditer(data):
            if match.group(1) is None:
                shape.odd_cells = True
                continue
            letters, digits = match.group(1).decode(), match.group(2).decode()
            try:
                shape.last_column = max(shape.last_column, column_index(letters))
            except (OverflowError, ValueError):
                raise beyond_last_column(letters + digits, int(digits) if digits else number) from None
        shape.odd_cells = shape.odd_cells or any(text in data for text in _ODD_TEXT)
        if offset - last_event > MAX_ROW_XML:  # the row being read (or whatever follows the last one)
            raise row_too_big(number - 1 if open_row else number)
    return shape


def beyond_last_column(ref: str, row: int) -> FileProblem:
    return FileProblem(
        f"Ô “{ref[:20]}” nằm ngoài cột cuối cùng của Excel (XFD): tệp bị hỏng hoặc không do "
        "Excel tạo ra. Hãy mở bằng Excel, lưu lại với định dạng .xlsx rồi tải lên.",
        row=row,
    )


def cell_too_long(ref: str, row: int) -> FileProblem:
    return FileProblem(
        f"Ô {ref} dài hơn {vn_int(MAX_CELL_CHARS)} ký tự, giới hạn của một ô Excel: tệp không do Excel tạo ra "
        "hoặc đã bị sửa. Hãy rút ngắn nội dung ô rồi tải lên lại.",
        row=row,
    )


def row_too_big(after: int) -> FileProblem:
    return FileProblem(
        f"Dòng {after + 1} của trang tính lớn hơn {megabytes(MAX_ROW_XML)} (có ô dài hơn "
        f"{vn_int(MAX_CELL_CHARS)} ký tự, giới hạn của một ô Excel). {BOMB_HINT}",
        row=after + 1,
    )


def too_many_rows(limit: int, row: int) -> FileProblem:
    return FileProblem(f"Tệp có hơn {vn_int(limit)} dòng dữ liệu, quá giới hạn một lần nhập. {SPLIT_HINT}", row=row)


def not_excel_rows() -> FileProblem:
    return FileProblem(
        f"Trang tính có hơn {vn_int(MAX_SHEET_ROWS)} dòng, số dòng tối đa của Excel: tệp không do Excel tạo ra. "
        "Hãy mở bằng Excel, lưu lại với định dạng .xlsx rồi tải lên."
    )


_SST_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R = f"{_SST_NS}si", f"{_SST_NS}t", f"{_SST_NS}r"


def _string_text(si: ET.Element) -> str:
    """A shared string as openpyxl reads it: its text, or its rich-text runs joined (phonetic
    guides, ``rPh``, left out)."""
    parts = [si.findtext(_T) or ""]
    parts += [run.findtext(_T) or "" for run in si.iter(_R)]
    return "".join(parts).replace("x005F_", "")


class SharedStrings(list):
    """The shared-strings table; ``rich`` when a string is made of runs (calamine trims each run's
    spaces, "Lê " + "Thị Hà" → "LêThị Hà", so such a file is read by the XML reader)."""

    rich = False


def read_shared_strings(stream, budget: Budget) -> SharedStrings:
    """The workbook's shared-strings table, bounded in strings, characters and each string's size."""
    strings, chars = SharedStrings(), 0

    def too_big():
        return FileProblem(
            f"Một chuỗi trong bảng chuỗi dùng chung của tệp dài hơn {vn_int(MAX_CELL_CHARS)} ký tự, giới hạn "
            f"của một ô Excel. {BOMB_HINT}"
        )

    for si in elements(stream, _SI, budget=budget, max_xml=MAX_STRING_XML, too_big=too_big):
        strings.rich = strings.rich or si.find(_R) is not None
        text = _string_text(si)
        si.clear()
        if len(text) > MAX_CELL_CHARS:
            raise too_big()
        chars += len(text)
        strings.append(text)
        if len(strings) > MAX_SHARED_STRINGS:
            raise FileProblem(
                f"Tệp có hơn {vn_int(MAX_SHARED_STRINGS)} chuỗi văn bản khác nhau (bảng chuỗi dùng chung), quá "
                f"giới hạn một lần nhập. {SPLIT_HINT}"
            )
        if chars > MAX_SHARED_CHARS:
            raise FileProblem(
                f"Bảng chuỗi dùng chung của tệp dài hơn {vn_int(MAX_SHARED_CHARS)} ký tự, quá giới hạn một lần "
                f"nhập. {SPLIT_HINT}"
            )
    return strings
