"""Excel downloads of this app: the district's registration report and the commendation list.

openpyxl in write-only mode (lists of a whole province stay small in memory); text that starts
with = + - @ is written as text, never as a formula (a unit name must not run in Excel)."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from organizations.xlsx import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(*, title: str, columns: Sequence[str], rows: Iterable[Sequence], sheet: str = "Danh sách") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    heading = WriteOnlyCell(ws, value=title)
    heading.font = Font(bold=True, size=13)
    ws.append([heading])
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([safe_cell(ws, v) for v in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def board_rows(registrations) -> tuple[list[str], list[list]]:
    columns = [
        "STT",
        "Mã đơn vị",
        "Đoàn cơ sở",
        "Đơn vị tiếp nhận",
        "Ngày đăng ký",
        "Đăng ký muộn",
        "Trạng thái",
        "Cán bộ theo dõi",
    ]
    rows = []
    for i, r in enumerate(registrations, start=1):
        sent = timezone.localdate(r.submitted_at) if r.submitted_at else None
        cadre = (r.cadre.get_full_name() or r.cadre.username) if r.cadre else ""
        rows.append(
            [
                i,
                r.organization.code,
                r.organization.name,
                r.receiving_unit.name,
                sent,
                "Muộn" if r.is_late else "",
                r.get_status_display(),
                cadre,
            ]
        )
    return columns, rows


def commendation_rows(rows: list[dict], years: list[int]) -> tuple[list[str], list[list]]:
    columns = ["STT", "Mã đơn vị", "Đoàn cơ sở", "Trực thuộc", *[f"Năm {y}" for y in years], "Số năm được công nhận"]
    out = []
    for i, r in enumerate(rows, start=1):
        marks = ["x" if m else "" for m in r["marks"]]
        out.append([i, r["org"].code, r["org"].name, r["parent"], *marks, len(r["years"])])
    return columns, out
