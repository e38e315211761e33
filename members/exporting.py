"""Rosters and import templates as .xlsx, with the import's own Vietnamese headers so an
export re-imports cleanly. Rosters stream through ``xlsxwriter`` (every cell text, so a value
starting with = + - @ is never a formula); the small templates use openpyxl's write-only mode."""

from openpyxl import Workbook

from . import xlsxwriter
from .importers import MEMBER_COLUMNS, UNIT_HEADERS
from .importing import get_importer
from .models import Member

EXTRA_HEADERS = ["Tên chi đoàn", "Trạng thái"]  # for people reading the file; ignored on import
GENDERS = dict(Member.Gender.choices)
STATUSES = dict(Member.Status.choices)
# the columns read per member: only what the file shows (no model instances at 10⁵ rows)
_FIELDS = [name if kind != "branch" else "branch__code" for name, kind in MEMBER_COLUMNS.values()]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")  # the importer reads dd/mm/yyyy back
    return str(value)


def _member_rows(queryset):
    gender_at = _FIELDS.index("gender")
    rows = queryset.order_by("branch__path", "name_folded", "pk").values_list(*_FIELDS, "branch__name", "status")
    for values in rows.iterator(5000):
        row = [_text(v) for v in values]
        row[gender_at] = GENDERS.get(values[gender_at], "")
        row[-1] = STATUSES.get(values[-1], "")
        yield row


def export_members(queryset, out) -> int:
    """Write the members of ``queryset`` to ``out`` (a path or binary file); returns the row count."""
    return xlsxwriter.write(
        out, sheet="Đoàn viên", headers=[*MEMBER_COLUMNS, *EXTRA_HEADERS], rows=_member_rows(queryset)
    )


def template(kind: str, out) -> None:
    """The published empty template of an import kind: its headers, required ones first."""
    importer = get_importer(kind)
    headers = [*importer.headers, *getattr(importer, "optional_headers", [])]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(importer.label or kind)
    sheet.append(headers)
    workbook.save(out)


__all__ = ["export_members", "template", "UNIT_HEADERS"]
