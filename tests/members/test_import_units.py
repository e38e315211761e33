from members.importers import OrganizationImporter
from organizations.models import Organization


def run(path, user=None):
    return OrganizationImporter(user=user).run(str(path))


def test_it_creates_a_subtree_in_any_row_order_and_keeps_counts(tree, users, units_xlsx):
    path = units_xlsx(
        [
            ["T1-H1-CS9-CD1", "Chi đoàn xóm 1", "chi-doan", "T1-H1-CS9", "dia-ban-dan-cu"],
            ["T1-H1-CS9", "Đoàn xã Mới", "Đoàn cơ sở", "T1-H1", "Địa bàn dân cư"],
            ["t1-h1-cs9-cd2", "Chi đoàn xóm 2", "chi-doan", "T1-H1-CS9", ""],
        ]
    )
    result = run(path, users.district_approver)
    assert result.ok, result.errors
    assert result.created == 3
    grassroots = Organization.objects.get(code="T1-H1-CS9")
    assert grassroots.parent().code == "T1-H1" and grassroots.numchild == 2
    assert {c.code for c in grassroots.direct_children()} == {"T1-H1-CS9-CD1", "T1-H1-CS9-CD2"}
    district = Organization.objects.get(code="T1-H1")
    assert district.branches_total == 4 and district.units_total == 6


def test_reimport_updates_names_not_duplicates(tree, units_xlsx):
    path = units_xlsx([["T1-H1-CS1-CD1", "Chi đoàn thôn Đồng Tâm mới", "chi-doan", "T1-H1-CS1", ""]])
    result = run(path)
    assert (result.created, result.updated) == (0, 1)
    assert Organization.objects.get(code="T1-H1-CS1-CD1").name == "Chi đoàn thôn Đồng Tâm mới"
    assert Organization.objects.filter(code="T1-H1-CS1-CD1").count() == 1


def test_rules_of_the_tree_are_row_errors(tree, units_xlsx):
    path = units_xlsx(
        [
            ["X1", "Chi đoàn dưới tỉnh", "chi-doan", "T1", ""],
            ["X2", "Không cấp", "cap-la", "T1", ""],
            ["X3", "Không cha", "chi-doan", "KHONG-CO", ""],
            ["T1-H1-CS1-CD1", "Đổi cấp", "co-so", "T1-H1", ""],
            ["A1", "Vòng 1", "co-so", "A2", ""],
            ["A2", "Vòng 2", "co-so", "A1", ""],
            ["X4", "", "chi-doan", "T1-H1-CS1", "không có"],
        ]
    )
    where = {(e.row, e.column) for e in run(path).errors}
    assert {
        (2, "Cấp"),
        (3, "Cấp"),
        (4, "Mã đơn vị cấp trên"),
        (5, "Cấp"),
        (6, "Mã đơn vị cấp trên"),
        (8, "Tên đơn vị"),
        (8, "Loại hình"),
    } <= where
    assert not Organization.objects.filter(code__in=["X1", "A1"]).exists()


def test_no_unit_is_created_under_a_closed_one(tree, units_xlsx):
    Organization.objects.filter(code="T1-CS2-BP1").update(status=Organization.Status.DISSOLVED)
    result = run(units_xlsx([["T1-CS2-BP1-CD9", "Chi đoàn mới", "chi-doan", "T1-CS2-BP1", ""]]))
    assert [(e.column, e.message) for e in result.errors] == [
        ("Mã đơn vị cấp trên", "Đơn vị “T1-CS2-BP1” đã giải thể hoặc hợp nhất.")
    ]
