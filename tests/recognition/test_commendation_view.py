from io import BytesIO

from openpyxl import load_workbook


def test_the_province_lists_units_recognised_in_chosen_years(login, users, campaign, flow):
    flow.decided()
    years = f"{campaign.year - 1},{campaign.year}"
    body = login(users.province_approver).get(f"/3-chu-dong/tuyen-duong/T1/?years={years}").content.decode()
    assert "1 đoàn cơ sở được công nhận" in body and "Đoàn xã Hùng Sơn" in body


def test_the_xlsx_marks_the_years(login, users, campaign, flow):
    flow.decided()
    response = login(users.province_approver).get(f"/3-chu-dong/tuyen-duong/T1/xlsx/?years={campaign.year}")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[6][-2:] == (f"Năm {campaign.year}", "Số năm được công nhận")  # under the letterhead
    assert rows[7][1:] == ("T1-H1-CS1", "Đoàn xã Hùng Sơn", "Huyện đoàn Đại Từ", "x", 1)


def test_bad_years_get_a_message(login, users, campaign):
    body = login(users.province_approver).get("/3-chu-dong/tuyen-duong/T1/?years=hai+nghin").content.decode()
    assert "Các năm phải là số" in body


def test_only_standing_offices_and_only_in_scope(login, users):
    assert login(users.province_staff).get("/3-chu-dong/tuyen-duong/T1/").status_code == 403
    assert login(users.outsider).get("/3-chu-dong/tuyen-duong/T1/").status_code == 404
