from datetime import date

from members.importers import MemberImporter
from members.models import Member
from organizations.models import Organization

from .conftest import member_row


def run(path, user=None, dry_run=False):
    return MemberImporter(user=user).run(str(path), dry_run=dry_run)


def test_it_imports_new_members_and_updates_the_tree_totals(tree, members_xlsx):
    path = members_xlsx([member_row(), member_row(name="Trần Thị Hoa", gender="Nữ", cccd="079200000002")])
    result = run(path)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    hoa = Member.objects.get(citizen_id="079200000002")
    assert hoa.branch == tree.branch and hoa.gender == "nu" and hoa.birth_date == date(2000, 5, 15)
    assert hoa.name_folded == "tran thi hoa"
    assert Organization.objects.get(pk=tree.branch.pk).members_total == 5
    assert Organization.objects.get(pk=tree.province.pk).members_total == 8


def test_reimporting_the_same_file_updates_and_never_duplicates(tree, members_xlsx):
    path = members_xlsx([member_row(), member_row(name="Không Số", cccd="", card="")])
    assert run(path).created == 2
    again = run(path)
    assert (again.created, again.updated) == (0, 2)
    assert Member.objects.filter(branch=tree.branch).count() == 5
    assert Organization.objects.get(pk=tree.branch.pk).members_total == 5


def test_a_reimport_matches_by_card_number_and_changes_fields(tree, members_xlsx):
    existing = tree.members[0]
    path = members_xlsx(
        [
            member_row(
                name="Tên Mới",
                cccd="",
                card=existing.card_number,
                birth=existing.birth_date.strftime("%d/%m/%Y"),
                admitted=f"01/01/{existing.birth_date.year + 18}",
            )
        ]
    )
    result = run(path)
    assert (result.created, result.updated) == (0, 1), result.errors
    existing.refresh_from_db()
    assert existing.full_name == "Tên Mới"


def test_one_bad_row_writes_nothing_and_names_row_and_column(tree, members_xlsx):
    path = members_xlsx([member_row(), member_row(cccd="12345", name="Lê Văn Sai")])
    result = run(path)
    assert not result.ok
    assert Member.objects.count() == 7
    [error] = result.errors
    assert (error.row, error.column) == (3, "Số CCCD")
    assert "12 chữ số" in error.message


def test_each_validation_is_reported(tree, members_xlsx):
    future = date(date.today().year + 1, 1, 1).strftime("%d/%m/%Y")
    path = members_xlsx(
        [
            member_row(birth=future, cccd="079200000011"),
            member_row(admitted="01/01/2010", cccd="079200000012"),  # 9 years old at admission
            member_row(gender="Không rõ", cccd="079200000013"),
            member_row(branch="KHONG-CO", cccd="079200000014"),
            member_row(branch="T1-H1-CS1", cccd="079200000015"),
            member_row(name="", cccd="079200000016"),
            member_row(birth="32/13/2000", cccd="079200000017"),
            member_row(cccd="079200000018"),
            member_row(cccd="079200000018"),
            member_row(phone="12ab", cccd="079200000019"),
            member_row(cccd=tree.members[0].citizen_id, branch="T1-H1-CS1-CD2"),  # moves within scope: fine
        ]
    )
    result = run(path)
    where = {(e.row, e.column) for e in result.errors}
    assert (2, "Ngày sinh") in where
    assert (3, "Ngày vào Đoàn") in where
    assert (4, "Giới tính") in where
    assert (5, "Mã chi đoàn") in where and (6, "Mã chi đoàn") in where
    assert (7, "Họ và tên") in where
    assert (8, "Ngày sinh") in where
    assert (10, "Số CCCD") in where
    assert (11, "Số điện thoại") in where
    assert not any(e.row == 12 for e in result.errors)
    assert Member.objects.count() == 7


def test_a_row_outside_the_users_scope_is_refused(tree, users, members_xlsx):
    path = members_xlsx([member_row(), member_row(branch="T2-CS1-CD1", cccd="079200000002")])
    result = run(path, user=users.secretary)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Mã chi đoàn")]
    assert "phạm vi" in result.errors[0].message
    assert Member.objects.count() == 7


def test_a_secretary_imports_into_their_own_branch(tree, users, members_xlsx):
    result = run(members_xlsx([member_row()]), user=users.secretary)
    assert result.ok and result.created == 1
    assert Member.objects.get(citizen_id="079200000001").updated_by == users.secretary


def test_a_reimport_records_who_changed_the_record_and_keeps_unlisted_fields(tree, users, members_xlsx):
    member = tree.members[0]
    member.religion, member.address, member.ethnicity = "Phật giáo", "Xóm Đồng", "Tày"
    member.save()
    row = member_row(
        name=member.full_name,
        cccd=member.citizen_id,
        birth=member.birth_date.strftime("%d/%m/%Y"),
        admitted=f"01/01/{member.birth_date.year + 18}",
        ethnicity="",
        phone="0987654321",
    )
    result = run(members_xlsx([row]), user=users.secretary)
    assert result.ok and result.updated == 1, result.errors
    member.refresh_from_db()
    assert member.phone == "0987654321" and member.updated_by == users.secretary
    # columns not in the file, and a blank Dân tộc, leave the saved values alone
    assert (member.religion, member.address, member.ethnicity) == ("Phật giáo", "Xóm Đồng", "Tày")


def test_a_member_known_elsewhere_outside_scope_cannot_be_pulled_in(tree, users, members_xlsx):
    other = tree.member_other
    row = member_row(
        cccd=other.citizen_id,
        birth=other.birth_date.strftime("%d/%m/%Y"),
        admitted=f"01/01/{other.birth_date.year + 18}",
    )
    result = run(members_xlsx([row]), user=users.province_admin)
    assert [e.column for e in result.errors] == ["Số CCCD"]
    other.refresh_from_db()
    assert other.branch == tree.branch_other


def test_dry_run_counts_without_writing(tree, members_xlsx):
    result = run(members_xlsx([member_row()]), dry_run=True)
    assert result.ok and result.created == 1 and result.dry_run
    assert Member.objects.count() == 7


def test_optional_columns_are_read(tree, members_xlsx):
    headers = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Mã chi đoàn",
        "Ngày vào Đoàn",
        "Số thẻ đoàn",
        "Dân tộc",
        "Số điện thoại",
        "Đảng viên",
        "Ngày vào Đảng",
        "Email",
    ]
    row = [*member_row(), "Có", "01/01/2022", "an@example.vn"]
    result = run(members_xlsx([row], headers=headers))
    assert result.ok, result.errors
    member = Member.objects.get(citizen_id="079200000001")
    assert member.is_party_member and member.party_joined_on == date(2022, 1, 1) and member.email == "an@example.vn"


def test_a_cccd_typed_as_a_number_keeps_its_leading_zeros(tree, members_xlsx):
    result = run(members_xlsx([member_row(cccd=79200000001)]))
    assert result.ok, result.errors
    assert Member.objects.filter(citizen_id="079200000001").exists()


def test_real_date_cells_and_blank_rows_are_read(tree, members_xlsx):
    from datetime import datetime

    row = member_row()
    row[1], row[5] = datetime(2000, 5, 15), date(2016, 6, 26)
    path = members_xlsx([[None] * 9, row])  # a blank row in between is skipped, numbering kept
    result = run(path)
    assert result.ok, result.errors
    assert Member.objects.get(citizen_id="079200000001").birth_date == date(2000, 5, 15)
    bad = members_xlsx([[None] * 9, member_row(cccd="1")])
    assert [e.row for e in run(bad).errors] == [3]
