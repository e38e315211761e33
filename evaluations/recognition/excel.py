"""Excel downloads of this app: the district's registration report and the commendation list,
each a signed document like the report workbooks (issue 15; ``organizations.xlsx``): letterhead,
title, unit and year, landscape A4 one page wide, repeated header row, fitting widths, page
numbers, signature block, real dd/mm/yyyy dates. Units in natural Vietnamese order.

openpyxl in write-only mode; text that starts with = + - @ is written as text, never as a
formula (a unit name must not run in Excel)."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from organizations.models import Organization
from organizations.text import vn_sort_key
from organizations.xlsx import Letterhead, table_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def by_name(user) -> str:
    """Who drew the workbook up, as the signature block names them."""
    return (user.get_full_name() or user.username) if user else ""


def workbook_bytes(
    *, title: str, unit: Organization, year, columns: list[str], rows: list[list], by: str, sheet: str = "Danh sách"
) -> bytes:
    """One table as a signed document of ``unit`` for ``year`` (an int, or "2024, 2025")."""
    wb = Workbook(write_only=True)
    letterhead = Letterhead(unit.name, unit.code, year, timezone.localdate(), by)
    table_sheet(wb, sheet[:31], letterhead, title=title, columns=columns, rows=rows)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def board_rows(registrations) -> tuple[list[str], list[list]]:
    """The registrants by receiving unit, then name, both in Vietnamese order."""
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
    ordered = sorted(
        registrations, key=lambda r: (vn_sort_key(r.receiving_unit.name), vn_sort_key(r.organization.name))
    )
    rows = []
    for i, r in enumerate(ordered, start=1):
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
    """Most years recognised first, then by name in Vietnamese order."""
    columns = ["STT", "Mã đơn vị", "Đoàn cơ sở", "Trực thuộc", *[f"Năm {y}" for y in years], "Số năm được công nhận"]
    ordered = sorted(rows, key=lambda r: (-len(r["years"]), vn_sort_key(r["org"].name)))
    out = []
    for i, r in enumerate(ordered, start=1):
        marks = ["x" if m else "" for m in r["marks"]]
        out.append([i, r["org"].code, r["org"].name, r["parent"], *marks, len(r["years"])])
    return columns, out
