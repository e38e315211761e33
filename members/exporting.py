"""Rosters and import templates as .xlsx, with the import's own Vietnamese headers so an export
re-imports cleanly. Rosters are rendered by the import's own django-import-export resource and
stream through ``xlsxwriter`` (every cell text, so a value starting with = + - @ is never a
formula); the small templates use openpyxl's write-only mode."""

from openpyxl import Workbook

from . import xlsxwriter
from .importers import UNIT_HEADERS
from .importing import get_importer
from .resources import MemberResource


def export_members(queryset, out) -> int:
    """Write the members of ``queryset`` to ``out`` (a path or binary file); returns the row count.
    The same resource as the import renders every cell, so the file re-imports as it is."""
    resource = MemberResource()
    rows = resource.rows(queryset.order_by("branch__path", "name_folded", "pk"))
    return xlsxwriter.write(out, sheet="Đoàn viên", headers=resource.get_export_headers(), rows=rows)


def template(kind: str, out) -> None:
    """The published empty template of an import kind: its headers, required ones first."""
    importer = get_importer(kind)
    headers = [*importer.headers, *getattr(importer, "optional_headers", [])]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(importer.label or kind)
    sheet.append(headers)
    workbook.save(out)


__all__ = ["export_members", "template", "UNIT_HEADERS"]
