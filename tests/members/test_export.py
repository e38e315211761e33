"""Export a roster to .xlsx with the import's headers; it re-imports cleanly; no formulas."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from members import exporting, selectors
from members.importers import MEMBER_REQUIRED, MemberImporter
from members.models import Member
from organizations.models import Organization


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def _header_row(sheet) -> int:
    """The roster's header sits under its title rows."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == MEMBER_REQUIRED[0])


def test_the_export_reimports_cleanly_and_changes_nothing(tree, tmp_path):
    for member in Member.objects.all():  # the shared factory's admission dates may be under 16
        member.admitted_on = member.birth_date.replace(year=member.birth_date.year + 18)
        member.save()
    path = tmp_path / "out.xlsx"
    assert exporting.export_members(selectors.roster(tree.province), path) == 6
    before = list(Member.objects.order_by("pk").values())
    result = MemberImporter(user=None).run(str(path))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 6)
    after = list(Member.objects.order_by("pk").values())
    strip = {"updated_at", "updated_by_id"}
    assert [{k: v for k, v in m.items() if k not in strip} for m in after] == [
        {k: v for k, v in m.items() if k not in strip} for m in before
    ]
    assert Organization.objects.get(pk=tree.province.pk).members_total == 6


def test_text_that_looks_like_a_formula_stays_text(tree, users, login):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(
        address='=HYPERLINK("http://x")', occupation="+1", qualification="@SUM(A1)"
    )
    response = login(users.secretary).get(reverse("members:export", args=[tree.branch.code]))
    assert response["Content-Disposition"].startswith('attachment; filename="doan-vien-T1-H1-CS1-CD1.xlsx"')
    sheet = _sheet(b"".join(response.streaming_content))
    headers = [c.value for c in sheet[_header_row(sheet)]]
    assert headers[: len(MEMBER_REQUIRED)] == MEMBER_REQUIRED
    cells = [c for row in sheet.iter_rows(min_row=_header_row(sheet) + 1) for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://x")' in [c.value for c in cells]


def test_the_export_follows_the_filters_and_scope(tree, users, login):
    client = login(users.province_staff)
    response = client.get(reverse("members:export", args=["T1"]), {"gender": "nu"})
    sheet = _sheet(b"".join(response.streaming_content))
    first = _header_row(sheet) + 1
    genders = {row[2] for row in sheet.iter_rows(min_row=first, values_only=True)}
    assert genders == {"Nữ"}
    codes = {row[4] for row in sheet.iter_rows(min_row=first, values_only=True)}
    assert "T2-CS1-CD1" not in codes


def test_the_template_has_vietnamese_headers(tree, users, login):
    response = login(users.secretary).get(reverse("members:import_template", args=["members"]))
    sheet = _sheet(b"".join(response.streaming_content))
    assert [c.value for c in sheet[1]][:9] == [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Mã chi đoàn",
        "Ngày vào Đoàn",
        "Số thẻ đoàn",
        "Dân tộc",
        "Số điện thoại",
    ]
    response = login(users.secretary).get(reverse("members:import_template", args=["organizations"]))
    assert [c.value for c in _sheet(b"".join(response.streaming_content))[1]] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Cấp",
        "Mã đơn vị cấp trên",
        "Loại hình",
    ]
    assert login(users.secretary).get(reverse("members:import_template", args=["khong-co"])).status_code == 404
