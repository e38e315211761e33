"""A streaming .xlsx writer for very large rosters, every cell an inline string.

openpyxl's write-only mode serialises each cell through et_xmlfile in pure Python (without
lxml, which this project does not ship): 100,000 members × 22 columns took minutes on a loaded
2-core machine. A roster needs no formulas, styles or numbers, so the sheet is written here as
plain XML into the zip stream. Every cell is text (``t="inlineStr"``), which also makes formula
injection impossible: a value starting with = + - @ can only ever be shown as typed; the one
exception is a ``date``, written as a real date cell shown dd/mm/yyyy (a number can never run).
Title rows (the list's title, unit and date) may sit above the header: the importer looks for
its header among the first rows, so the file still re-imports as it is."""

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date
from xml.sax.saxutils import escape

# one C-level pass a cell: the characters XML 1.0 forbids dropped, & < > escaped (the two sets
# are disjoint, so doing both at once is removing, then escaping)
_XML_TEXT = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
}

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="{header}" '
    'topLeftCell="A{first}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    '<cols><col min="1" max="{columns}" width="16" customWidth="1"/></cols><sheetData>'
)
_DATE_STYLE = ' s="2"'  # the dd/mm/yyyy cell format of _STYLES
_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its 1900 leap-year bug)


def column_letters(index: int) -> str:
    """0 -> "A", 16383 -> "XFD"."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _row_xml(number: int, values: list, columns: list[str], style: str = "") -> str:
    cells = []
    for column, value in zip(columns, values, strict=False):
        if value is None or value == "":
            continue
        if isinstance(value, date):
            cells.append(f'<c r="{column}{number}"{_DATE_STYLE}><v>{(value - _EPOCH).days}</v></c>')
            continue
        text = str(value).translate(_XML_TEXT)
        cells.append(f'<c r="{column}{number}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def write(out, *, sheet: str, headers: list[str], rows: Iterable[list], title_rows: list[str] = ()) -> int:
    """Write one sheet (``title_rows`` in bold, one a row, then a blank row and the bold, frozen
    header row) to ``out`` (a path or binary file); returns the row count.

    The rows go to a temporary file first so the sheet can start with its exact ``<dimension>``:
    without it openpyxl (and so our own importer) parses a whole sheet once more just to size it."""
    columns = [column_letters(i) for i in range(len(headers))]
    above = [[text] for text in title_rows] + ([[]] if title_rows else [])
    header = len(above) + 1
    count = 0
    with tempfile.TemporaryFile() as body:
        buffer = [_row_xml(i, values, columns, ' s="1"') for i, values in enumerate(above, start=1)]
        buffer.append(_row_xml(header, headers, columns, ' s="1"'))
        for count, values in enumerate(rows, start=1):
            buffer.append(_row_xml(header + count, values, columns))
            if len(buffer) >= 2000:
                body.write("".join(buffer).encode())
                buffer = []
        body.write("".join(buffer).encode())
        body.seek(0)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
            archive.writestr("_rels/.rels", _RELS)
            archive.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet[:31], {'"': "&quot;"})))
            archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
            archive.writestr("xl/styles.xml", _STYLES)
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
                last = f"{columns[-1] if columns else 'A'}{header + count}"
                head = _SHEET_HEAD.format(
                    dimension=f"A1:{last}", header=header, first=header + 1, columns=len(columns) or 1
                )
                stream.write(head.encode())
                shutil.copyfileobj(body, stream, 1 << 20)
                stream.write(b"</sheetData></worksheet>")
    return count
