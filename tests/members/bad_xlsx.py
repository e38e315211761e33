"""Workbooks a hostile or broken tool could send, written straight as zip parts (no openpyxl, so a
file can be as big or as odd as needed and is streamed to disk): the tests of
``members.xlsxlimits`` and ``bench/bad_files.py`` build theirs here."""

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from members.importers import MEMBER_REQUIRED
from members.xlsxwriter import column_letters

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
ROW = ["Nguyễn Văn Mới", "15/05/2000", "Nam", "", "T1-H1-CS1-CD1", "26/06/2016", "", "Kinh", "0912345678"]


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def row_xml(number: int, values: Iterable[str]) -> str:
    cells = "".join(cell(f"{column_letters(i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def member_rows(count: int, start: int = 2) -> Iterable[str]:
    """``count`` valid-looking member rows under the header, each with its own CCCD."""
    for i in range(count):
        values = list(ROW)
        values[3] = f"0792{i:08d}"
        yield row_xml(start + i, values)


def _package(z: zipfile.ZipFile, *, shared: bool) -> None:
    strings_type = f'<Override PartName="/{STRINGS}" ContentType="{CT}.sharedStrings+xml"/>' if shared else ""
    z.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/{SHEET}" ContentType="{CT}.worksheet+xml"/>{strings_type}</Types>',
    )
    z.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    )
    z.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
    )
    strings_rel = f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared else ""
    z.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>',
    )


def _stream(z: zipfile.ZipFile, name: str, pieces: Iterable[str | bytes]) -> None:
    with z.open(name, "w") as out:
        for piece in pieces:
            out.write(piece.encode() if isinstance(piece, str) else piece)


def workbook(
    path: Path, rows: Iterable[str], *, strings: Iterable[str | bytes] | None = None, header: bool = True
) -> Path:
    """A members workbook: the template's header row (row 1), then ``rows`` (row XML, streamed),
    and, when given, the shared-strings part's XML pieces (streamed too)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _package(z, shared=strings is not None)
        head = row_xml(1, MEMBER_REQUIRED) if header else ""
        _stream(z, SHEET, [f'<worksheet xmlns="{MAIN}"><sheetData>{head}', *_chunks(rows), "</sheetData></worksheet>"])
        if strings is not None:
            _stream(z, STRINGS, [f'<sst xmlns="{MAIN}">', *strings, "</sst>"])
    return path


def _chunks(rows: Iterable[str], size: int = 1 << 20) -> Iterable[str]:
    """Rows joined into pieces of about ``size`` characters (a bomb's pieces pass one by one)."""
    batch, length = [], 0
    for row in rows:
        batch.append(row)
        length += len(row)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    yield "".join(batch)


def repeated(text: str, times: int, piece: int = 1 << 20) -> Iterable[str]:
    """``text`` × ``times`` as pieces of about ``piece`` characters (never whole in memory)."""
    per = max(1, piece // len(text))
    done = 0
    while done < times:
        step = min(per, times - done)
        yield text * step
        done += step


def bomb_row(number: int, size: int) -> Iterable[str]:
    """A row whose one cell holds ``size`` characters of "A": a few KB once deflated."""
    yield f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>'
    yield from repeated("A", size)
    yield "</t></is></c></row>"


def bomb(path: Path, size: int) -> Path:
    """The issue's zip bomb: a valid row, then one cell expanding to ``size`` characters."""
    return workbook(path, _flat([list(member_rows(1)), bomb_row(3, size)]))


def _flat(parts):
    for part in parts:
        yield from part


def lie_about(path: Path, name: str, *, file_size: int, compress_size: int) -> Path:
    """The zip's central directory rewritten to claim other sizes for part ``name`` (the local
    header and the data stay): what a crafted file does to slip past a check of the directory."""
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length].decode() == name:
            struct.pack_into("<II", data, start + 20, compress_size, file_size)
            path.write_bytes(bytes(data))
            return path
        start = data.find(b"PK\x01\x02", start + 46)
    raise KeyError(name)
