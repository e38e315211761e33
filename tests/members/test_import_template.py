"""The import templates (issue 15): drop-downs on the word columns from a sheet of accepted values,
a guide with one example row, and a template filled in as the guide shows imports cleanly, every
word of every drop-down included."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from evaluations.importers import RatingImporter
from members import import_template
from members.importers import MemberImporter, OrganizationImporter
from members.models import Member
from organizations.models import Level, Organization
from organizations.text import fold


def _template(login, user, kind):
    response = login(user).get(reverse("members:import_template", args=[kind]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rules(sheet) -> dict[str, str]:
    """Column letter -> the drop-down's source range."""
    return {
        str(rule.sqref).split(":")[0].rstrip("0123456789"): rule.formula1
        for rule in sheet.data_validations.dataValidation
    }


def test_the_members_template_has_drop_downs_a_guide_and_an_example(tree, users, login):
    book = _template(login, users.secretary, "members")
    first, guide, values = book.worksheets
    assert [first.title, guide.title, values.title] == ["Đoàn viên", "Hướng dẫn", "Giá trị hợp lệ"]
    headers = [c.value for c in first[1]]
    assert headers[:3] == ["Họ và tên", "Ngày sinh", "Giới tính"] and first.max_row == 1  # no example here
    gender = headers.index("Giới tính")
    source = _rules(first)["C"]
    assert source.startswith("'Giá trị hợp lệ'!$")
    column = [c.value for c in values[source.split("!$")[1][0]]]
    assert column == ["Giới tính", *Member.Gender.labels]
    assert [c.value for c in guide[3]][gender] == "Nữ" and [c.value for c in guide[3]][0] == "Nguyễn Thị Lan"
    assert "Đảng viên" in [c.value for c in values[1]]  # the yes/no column has its drop-down too


def _filled(tmp_path, importer, values: dict[str, str], name="filled.xlsx"):
    """The template of ``importer`` with one row under its headers."""
    path = tmp_path / name
    import_template.write(importer.kind, path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append([values.get(c.value, "") for c in sheet[1]])
    book.save(path)
    return path


def test_a_members_template_filled_as_the_guide_shows_imports(tree, tmp_path):
    row = {**MemberImporter.example, "Mã chi đoàn": tree.branch.code}
    result = MemberImporter(user=None).run(str(_filled(tmp_path, MemberImporter, row)))
    assert result.ok, result.errors
    assert Member.objects.get(citizen_id=row["Số CCCD"]).gender == Member.Gender.FEMALE


def test_every_level_and_kind_the_units_template_lists_imports(tree, tmp_path):
    choices = OrganizationImporter.choices()
    assert "Chi đoàn" in choices["Cấp"] and choices["Loại hình"]
    for i, kind in enumerate(choices["Loại hình"]):
        row = {
            **OrganizationImporter.example,
            "Mã đơn vị": f"T1-H1-CS1-CD9{i}",
            "Mã đơn vị cấp trên": tree.grassroots.code,
            "Loại hình": kind,
        }
        result = OrganizationImporter(user=None).run(str(_filled(tmp_path, OrganizationImporter, row, f"u{i}.xlsx")))
        assert result.ok, (kind, result.errors)
    assert Organization.objects.filter(code__startswith="T1-H1-CS1-CD9").count() == len(choices["Loại hình"])
    levels = Level.lookup_table(Level.objects.all())  # what the import reads a Cấp cell with
    assert all(fold(name) in levels for name in choices["Cấp"])


def test_every_word_the_ratings_template_lists_is_read(tree):
    for field in RatingImporter.resource_class().get_import_fields():
        for word in RatingImporter.choices().get(field.column_name, []):
            assert field.widget.clean(word) is not None, (field.column_name, word)
    assert RatingImporter.choices()["Xếp loại"] == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]


def test_the_upload_page_names_each_template_for_what_it_is(tree, users, login):
    page = login(users.grassroots_approver).get(reverse("members:import")).content.decode()
    assert "Mẫu nhập đoàn viên" in page and "Mẫu nhập kết quả xếp loại chất lượng" in page
    assert ">members.xlsx<" not in page
