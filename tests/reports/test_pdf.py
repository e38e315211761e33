"""The PDF of a report: the workbook's document (letterhead, narrative, tables, signature) in
landscape A4, few pages for the province's ratings report (issue 15: goal ≤ 6)."""

import io

import pytest
from weasyprint import HTML

from organizations.reporting import ReportData, Table
from reports import kinds
from reports.pdf import display, html, write_pdf
from reports.serialize import from_json
from reports.services import request_job, run_job


@pytest.mark.parametrize("kind", [k for k, _ in kinds.available()])
def test_every_kind_renders_as_a_pdf(ratings, users, kind):
    job = run_job(job_id=request_job(kind=kind, root=ratings.province, year=2025, by=users.province_admin).pk)
    out = io.BytesIO()
    pages = write_pdf(from_json(job.result), out, by="canbo.tinh")
    assert out.getvalue().startswith(b"%PDF") and 1 <= pages <= 6


def test_the_ratings_pdf_is_a_signed_landscape_document(ratings, users):
    job = run_job(job_id=request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_admin).pk)
    data = from_json(job.result)
    text = html(data, by="canbo.tinh")
    for words in ("ĐOÀN TNCS HỒ CHÍ MINH", "NGƯỜI LẬP BIỂU", "TM. BAN THƯỜNG VỤ", "Thái Nguyên, ngày ", "Năm 2025"):
        assert words in text
    page = HTML(string=text).render().pages[0]
    assert page.width > page.height  # landscape


def test_cells_read_as_on_the_page():
    from datetime import date

    assert [display(2294), display(20.6, percent=True), display(date(2025, 3, 9)), display(None)] == [
        "2.294",
        "20,6%",
        "09/03/2025",
        "",
    ]


def _texts(page) -> list[str]:
    # WeasyPrint's laid-out boxes (no public text API): what each page prints
    return [box.text for box in page._page_box.descendants() if hasattr(box, "text")]


def test_a_long_table_repeats_its_header_and_numbers_every_page():
    rows = [[f"Chi đoàn số {i}", i] for i in range(1, 121)]
    data = ReportData(kind="t", title="Danh sách", root_code="T1", root_name="Tỉnh đoàn Thái Nguyên", year=2025)
    data.tables = [Table(title="Bảng dài", columns=["Tên chi đoàn", "Số"], rows=rows)]
    pages = HTML(string=html(data)).render().pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        texts = _texts(page)
        assert "Tên chi đoàn" in texts and f"Trang {number}/{len(pages)}" in texts
