"""The parts of an .xlsx package the importer reads: the first worksheet, its shared strings, the
date styles and the date epoch, found through the package's own relationships.

These come from the package's public layout (ECMA-376), not from openpyxl's private attributes,
so the reader does not break when openpyxl changes its internals. Each part read here is small
(workbook, relationships, styles): it is read whole but never past ``MAX_SMALL_PART``."""

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from .xlsxlimits import MAX_SMALL_PART, FileProblem

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class Package:
    sheet: str  # the first worksheet's part, e.g. "xl/worksheets/sheet1.xml"
    sheet_name: str
    strings: str | None = None
    styles: str | None = None
    epoch: datetime = CALENDAR_WINDOWS_1900
    date_styles: set[int] = field(default_factory=set)  # cell style indexes whose format is a date


def _xml(archive: zipfile.ZipFile, name: str) -> ET.Element:
    with archive.open(name) as source:
        data = source.read(MAX_SMALL_PART + 1)
    if len(data) > MAX_SMALL_PART:
        raise FileProblem(f"Phần “{name[:60]}” của tệp quá lớn: tệp không do Excel tạo ra.")
    return ET.fromstring(data)  # noqa: S314  (a small part; entities are not expanded by expat here)


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type's last word, target part) of ``part``'s relationships."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.NameToInfo:
        return {}
    found = {}
    for rel in _xml(archive, rels).iter(f"{PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return found


def read_package(archive: zipfile.ZipFile) -> Package:
    """Where the first worksheet and its helpers are; KeyError or SyntaxError for a zip that is
    not a workbook (the reader answers that as "not an xlsx")."""
    workbook = next(t for kind, t in _relations(archive, "").values() if kind == "officeDocument")
    root, rels = _xml(archive, workbook), _relations(archive, workbook)
    sheets = [s for s in root.iter(f"{MAIN}sheet") if rels.get(s.get(f"{DOC_REL}id"), ("",))[0] == "worksheet"]
    first = sheets[0]
    package = Package(sheet=rels[first.get(f"{DOC_REL}id")][1], sheet_name=first.get("name", ""))
    for kind, target in rels.values():
        if target in archive.NameToInfo and kind in ("sharedStrings", "styles"):
            setattr(package, "strings" if kind == "sharedStrings" else "styles", target)
    properties = root.find(f"{MAIN}workbookPr")
    if properties is not None and properties.get("date1904", "").lower() in ("1", "true"):
        package.epoch = CALENDAR_MAC_1904
    if package.styles:
        package.date_styles = _date_styles(_xml(archive, package.styles))
    return package


def _date_styles(styles: ET.Element) -> set[int]:
    """Indexes of the cell formats (``cellXfs``) that show a number as a date."""
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in styles.iter(f"{MAIN}numFmt")}
    formats = styles.find(f"{MAIN}cellXfs")
    dates = set()
    for index, xf in enumerate(formats if formats is not None else []):
        number_format = int(xf.get("numFmtId", 0))
        code = custom.get(number_format, BUILTIN_FORMATS.get(number_format, ""))
        if is_date_format(code):
            dates.add(index)
    return dates
