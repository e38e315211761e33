"""The check's errors as a workbook (issue 15): the officer's bad rows with their values, the
cells at fault filled red, the reasons in a last column; only for the job's own uploader."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from members import import_errors, uploads

from .conftest import checked_job, member_row


def _book(response):
    assert response.status_code == 200
    assert "loi-nhap-" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_error_workbook_marks_the_bad_cells_of_the_bad_rows(tree, users, login, members_xlsx):
    rows = [
        member_row(),
        member_row(name="Trần Thị Sai", cccd="12"),
        member_row(cccd="079200000003", birth="31/02/2000"),
    ]
    job = checked_job(users.secretary, members_xlsx(rows))
    assert job.error_count == 2
    page = login(users.secretary).get(reverse("members:import_job", args=[job.pk])).content.decode()
    url = reverse("members:import_errors", args=[job.pk])
    assert url in page
    sheet = _book(login(users.secretary).get(url))
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "Dòng" and headers[-1] == "Lỗi" and "Số CCCD" in headers
    lines = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(lines) == {3, 4}  # the file's rows 3 and 4 (row 2 is good)
    bad_id = lines[3][headers.index("Số CCCD")]
    assert bad_id.value == "12" and bad_id.fill.fgColor.rgb.endswith(import_errors.BAD.fgColor.rgb[-6:])
    assert lines[3][headers.index("Họ và tên")].fill.fill_type is None  # only the cell at fault
    assert "Số CCCD" in lines[3][-1].value and "Ngày sinh" in lines[4][-1].value
    assert lines[4][headers.index("Ngày sinh")].fill.fill_type == "solid"


def test_only_the_uploader_gets_it_and_only_with_errors(tree, users, login, members_xlsx):
    bad = checked_job(users.secretary, members_xlsx([member_row(cccd="12")]))
    good = checked_job(users.secretary, members_xlsx([member_row()]))
    assert login(users.grassroots_approver).get(reverse("members:import_errors", args=[bad.pk])).status_code == 404
    assert login(users.secretary).get(reverse("members:import_errors", args=[good.pk])).status_code == 404


def test_once_the_file_is_gone_the_errors_still_come_without_the_values(tree, users, login, members_xlsx):
    job = checked_job(users.secretary, members_xlsx([member_row(cccd="12")]))
    uploads.remove(job.stored)
    sheet = _book(login(users.secretary).get(reverse("members:import_errors", args=[job.pk])))
    (line,) = list(sheet.iter_rows(min_row=2, values_only=True))
    assert line[0] == 2 and "Số CCCD" in line[-1] and not any(line[1:-1])
