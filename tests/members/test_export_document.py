"""A roster export is a document (title, unit, day above the header; real date cells) and still
re-imports cleanly: the importer finds its header under the title rows (issue 15)."""

import io
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members import exporting, selectors
from members.importers import MEMBER_REQUIRED, MemberImporter
from members.models import Member


def _export(tree, tmp_path):
    for member in Member.objects.all():  # the shared factory's admission dates may be under 16
        member.admitted_on = member.birth_date.replace(year=member.birth_date.year + 18)
        member.save()
    path = tmp_path / "out.xlsx"
    exporting.export_members(selectors.roster(tree.province), path, unit=tree.province)
    return path


def test_title_unit_and_day_sit_above_the_header(tree, tmp_path):
    sheet = load_workbook(_export(tree, tmp_path)).worksheets[0]
    column = [row[0].value for row in sheet.iter_rows(max_row=5)]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert column == [
        "DANH SÁCH ĐOÀN VIÊN",
        f"Đơn vị: {tree.province.name} ({tree.province.code})",
        f"Ngày xuất: {today}",
        None,
        MEMBER_REQUIRED[0],
    ]
    assert sheet.freeze_panes == "A6"


def test_dates_are_date_cells_shown_day_month_year(tree, tmp_path):
    sheet = load_workbook(_export(tree, tmp_path)).worksheets[0]
    headers = [c.value for c in sheet[5]]
    births = [row[headers.index("Ngày sinh")] for row in sheet.iter_rows(min_row=6)]
    assert births and all(isinstance(c.value, datetime) and c.number_format == "dd/mm/yyyy" for c in births)
    assert sorted(c.value.date() for c in births) == sorted(
        selectors.roster(tree.province).values_list("birth_date", flat=True)
    )


def test_the_document_round_trips_through_the_import(tree, tmp_path):
    path = _export(tree, tmp_path)
    before = list(Member.objects.order_by("pk").values("pk", "full_name", "birth_date", "admitted_on", "branch_id"))
    result = MemberImporter(user=None).run(str(path))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 6)
    after = list(Member.objects.order_by("pk").values("pk", "full_name", "birth_date", "admitted_on", "branch_id"))
    assert after == before and isinstance(after[0]["birth_date"], date)


def test_the_page_export_is_titled_and_dated(tree, users, login):
    response = login(users.secretary).get(reverse("members:export", args=[tree.branch.code]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet["A1"].value == "DANH SÁCH ĐOÀN VIÊN"
    assert sheet["A2"].value == f"Đơn vị: {tree.branch.name} ({tree.branch.code})"
    assert sheet["A3"].value.startswith("Ngày xuất: ")
