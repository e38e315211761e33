"""Rosters and import templates as .xlsx, with the import's own Vietnamese headers so an export
re-imports cleanly. Rosters are rendered by the import's own django-import-export resource and
stream through ``xlsxwriter`` (every cell text, so a value starting with = + - @ is never a
formula, except dates, which are real date cells), under a title, the unit and the day of the
export (issue 15: a roster printed or sent is a document); the small templates use openpyxl's
write-only mode."""

from django.db.models import Case, Value, When
from django.utils import timezone

from organizations.collation import person_order

from . import import_template, xlsxwriter
from .importers import UNIT_HEADERS
from .permissions import PERSONAL_FIELDS, personal_data_q
from .resources import MemberResource

TITLE = "DANH SÁCH ĐOÀN VIÊN"


def title_rows(unit=None) -> list[str]:
    """What the roster is, whose, and when: the rows above its header."""
    rows = [TITLE]
    if unit is not None:
        rows.append(f"Đơn vị: {unit.name} ({unit.code})")
    rows.append(f"Ngày xuất: {timezone.localdate():%d/%m/%Y}")
    return rows


def _cells(resource: MemberResource, queryset, user):
    """The roster's rows as the resource's widgets write them (``export_columns``), read as plain
    values 5,000 at a time; the personal cells left empty on the rows the user may not see them
    (members.permissions.personal_data_q, decided by the database beside each row)."""
    columns = resource.export_columns()
    personal = [lookup in PERSONAL_FIELDS for lookup, _ in columns]
    keeps = personal_data_q(user)  # empty: every row (the command line, a superuser)
    sees = Case(When(keeps, then=Value(True)), default=Value(False)) if keeps else Value(True)
    rows = queryset.annotate(sees_personal=sees).values_list(*(lookup for lookup, _ in columns), "sees_personal")
    renders = [render for _, render in columns]
    blank_personal = [render if not hidden else _blank for render, hidden in zip(renders, personal, strict=True)]
    for *values, shown in rows.iterator(chunk_size=5000):
        chosen = renders if shown else blank_personal
        yield [value if render is None else render(value) for render, value in zip(chosen, values, strict=True)]


def _blank(value) -> str:
    return ""


def export_members(queryset, out, *, unit=None, user=None) -> int:
    """Write the members of ``queryset`` (of ``unit``, named above the header) to ``out`` (a path
    or binary file) as ``user`` may see them (None: the command line, everything); returns the row
    count. The same resource as the import renders every cell, so the file re-imports as it is."""
    resource = MemberResource()
    rows = _cells(resource, queryset.order_by("branch__path", *person_order(), "pk"), user)  # as the roster page
    headers = resource.get_export_headers()
    return xlsxwriter.write(out, sheet="Đoàn viên", headers=headers, rows=rows, title_rows=title_rows(unit))


def template(kind: str, out) -> None:
    """The published template of an import kind (members.import_template)."""
    import_template.write(kind, out)


__all__ = ["export_members", "template", "UNIT_HEADERS"]
