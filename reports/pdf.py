"""The PDF of a report (issue 15): the same document as the workbook (letterhead, title, unit and
year, narrative, tables, signature block), landscape A4, the table header repeated on each page
and "Trang x/y" at the foot, rendered on the server by WeasyPrint (no browser, no internet: fonts
are the system's DejaVu, which holds every Vietnamese letter).

Cost (bench/documents.py, 8 tables of 13 columns, load average about 4 on 2 cores): 12 units a
table 5.6 s and 5 pages, 30 units 8.6 s and 8 pages, 200 units 42.8 s and 37 pages; the workbook
takes 0.1–1.1 s. A worker pays it once per job run, in a follow-up task after the job is done
(reports.services.render_pdf): the figures and the workbook never wait for it."""

import io
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from organizations.numbers import vn_decimal, vn_int
from organizations.reporting import ReportData, Table
from organizations.xlsx import SIGN_HINT, SIGNERS, UNION, dated_line


def display(value, *, percent: bool = False) -> str:
    """A cell as the page shows it: "2.294", "20,6%", "09/03/2025"."""
    if value is None:
        return ""
    if percent and isinstance(value, int | float):
        return vn_decimal(value) + "%"
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, int) and not isinstance(value, bool):
        return vn_int(value)
    return str(value)


def _table(table: Table) -> dict:
    def cells(row):
        return [display(v, percent=i in table.percent_columns) for i, v in enumerate(row)]

    return {
        "title": table.title,
        "columns": table.columns,
        "rows": [cells(r) for r in table.rows],
        "total": cells(table.total) if table.total is not None else None,
    }


def html(data: ReportData, *, by: str = "", generated_at: datetime | None = None, footer: str = "") -> str:
    """The document as HTML; ``footer`` is printed at the left foot of every page (a return's
    version and submission time, issue 18)."""
    at = generated_at or timezone.now()
    day = (timezone.localtime(at) if timezone.is_aware(at) else at).date()
    return render_to_string(
        "reports/document_pdf.html",
        {
            "data": data,
            "union": UNION,
            "dated_line": dated_line(data.root_name, day),
            "tables": [_table(t) for t in data.tables],
            "signers": SIGNERS,
            "sign_hint": SIGN_HINT,
            "by": by,
            "footer": footer,
        },
    )


def write_pdf(data: ReportData, target, *, by: str = "", generated_at: datetime | None = None, footer: str = "") -> int:
    """Write ``data`` as PDF to ``target`` (a path or binary file); returns the page count."""
    from weasyprint import HTML  # imported here: pango is loaded only by a worker that renders

    document = HTML(string=html(data, by=by, generated_at=generated_at, footer=footer)).render()
    document.write_pdf(target)
    return len(document.pages)


def beside(file) -> FieldFile:
    """The PDF stored beside a job's workbook: same name, ``.pdf`` (no column of its own, so a
    job built before PDFs existed simply has none: its link answers 404)."""
    stem = file.name.rsplit(".", 1)[0] if file else ""
    return FieldFile(file.instance, file.field, f"{stem}.pdf" if stem else "")


def render(data: ReportData, *, by: str) -> bytes:
    buffer = io.BytesIO()
    write_pdf(data, buffer, by=by)
    return buffer.getvalue()


def delete_beside(file) -> None:
    target = beside(file)
    if target.name and target.storage.exists(target.name):
        target.storage.delete(target.name)


def store_beside(file, content: bytes) -> None:
    """Store the rendered PDF beside ``file`` (the job's workbook), overwriting a previous copy,
    as the workbook is (a job is idempotent)."""
    delete_beside(file)
    target = beside(file)
    target.storage.save(target.name, ContentFile(content))
