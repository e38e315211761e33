"""The "3 chủ động" workbooks are signed documents like the report workbooks (issue 15): the
letterhead, title, unit and year on the sheet, landscape A4 one page wide, the header row
repeated, page numbers, the signature block, real dates wide enough to show, units in Vietnamese
order."""

from io import BytesIO

from openpyxl import load_workbook

from organizations.xlsx import DATE_FORMAT, DATE_WIDTH, HEAD_ROWS
from tests.documents.printed import assert_printable
from tests.factories import make_unit

HEADER_ROW = HEAD_ROWS + 1


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content)).active


def test_the_registration_workbook_prints_as_a_document_with_real_dates(login, users, campaign, flow, tree):
    flow.submitted()
    flow.submitted(org=make_unit(tree.district, "T1-H1-CS8", "Đoàn xã Dân Tiến", "co-so"), by=users.superuser)
    ws = _sheet(login(users.district_approver).get(f"/3-chu-dong/dot/{campaign.pk}/bang/T1-H1/xlsx/"))
    assert_printable(ws, year=str(campaign.year))
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.freeze_panes == f"A{HEADER_ROW + 1}"
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 2))
    assert [r[2].value for r in rows] == ["Đoàn xã Dân Tiến", "Đoàn xã Hùng Sơn"]  # D before H, not by path
    sent = rows[0][4]
    assert sent.is_date and sent.number_format == DATE_FORMAT
    assert ws.column_dimensions["E"].width >= DATE_WIDTH  # never "###"
    assert ws["A2"].value == "HUYỆN ĐOÀN ĐẠI TỪ"


def test_the_commendation_workbook_prints_as_a_document_in_vietnamese_order(login, users, campaign, flow):
    flow.decided()
    url = f"/3-chu-dong/tuyen-duong/T1/xlsx/?years={campaign.year - 1},{campaign.year}"
    ws = _sheet(login(users.province_approver).get(url))
    assert_printable(ws, year=f"{campaign.year - 1}, {campaign.year}")
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws["A2"].value == "TỈNH ĐOÀN THÁI NGUYÊN"


def test_an_outsider_gets_no_workbook(login, users, campaign):
    assert login(users.outsider).get(f"/3-chu-dong/dot/{campaign.pk}/bang/T1-H1/xlsx/").status_code == 404
    assert login(users.outsider).get("/3-chu-dong/tuyen-duong/T1/xlsx/").status_code == 404
