"""Re-imports: which saved member a row updates, what a blank cell keeps, what a change is checked
against, and the tree's counts (the matching rules of issue 3: CCCD, else card number, else name
+ birth date + chi đoàn)."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from members import exporting, matching, resources, services
from members.importers import MemberImporter
from members.models import Member
from members.selectors import roster
from organizations.models import Organization

from .conftest import member_row

pytestmark = pytest.mark.django_db


def run(path, user=None):
    return MemberImporter(user=user).run(str(path))


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def row_of(member, **changes):
    """The member's row as a secretary's sheet would hold it, with ``changes``."""
    values = dict(
        name=member.full_name,
        birth=day(member.birth_date),
        gender=member.get_gender_display(),
        cccd=member.citizen_id or "",
        branch=member.branch.code,
        admitted=day(member.admitted_on) if member.admitted_on else "",
        card=member.card_number or "",
        ethnicity=member.ethnicity,
        phone=member.phone,
    )
    return member_row(**(values | changes))


def test_a_card_number_of_someone_with_another_cccd_is_refused_not_overwritten(tree, members_xlsx):
    other = tree.members[1]
    result = run(members_xlsx([member_row(name="Người Mới", cccd="079288888888", card=other.card_number)]))
    assert [(e.column, e.message) for e in result.errors] == [
        ("Số thẻ đoàn", "Số thẻ đoàn này đang thuộc về một đoàn viên có số CCCD khác.")
    ]
    other.refresh_from_db()
    assert other.full_name != "Người Mới"


def test_a_cccd_filled_in_later_updates_the_record_instead_of_duplicating_it(tree, members_xlsx):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(citizen_id=None, card_number=None)
    member.refresh_from_db()
    before = Member.objects.count()
    result = run(members_xlsx([row_of(member, cccd="079299999999")]))
    assert (result.created, result.updated) == (0, 1), result.errors
    assert Member.objects.count() == before
    assert Member.objects.get(pk=member.pk).citizen_id == "079299999999"


def test_same_name_and_birth_date_with_another_cccd_is_another_person(tree, members_xlsx):
    member = tree.members[0]
    result = run(members_xlsx([row_of(member, cccd="079277777777", card="")]))
    assert (result.created, result.updated) == (1, 0), result.errors


def test_a_card_number_typed_in_lower_case_or_with_spaces_still_matches(tree, members_xlsx):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(citizen_id=None)
    member.refresh_from_db()
    card = member.card_number.lower()
    result = run(members_xlsx([row_of(member, cccd="", card=f"{card[:2]} {card[2:]}")]))
    assert (result.created, result.updated) == (0, 1), result.errors


def test_blank_cells_keep_every_saved_value(tree, members_xlsx):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(phone="0911111111", ethnicity="Tày", admitted_on=date(2015, 3, 26))
    member.refresh_from_db()
    saved = Member.objects.values().get(pk=member.pk)
    row = row_of(member, cccd="", admitted="", ethnicity="", phone="")  # matched by the card number
    result = run(members_xlsx([row]))
    assert result.ok and result.updated == 1, result.errors
    after = Member.objects.values().get(pk=member.pk)
    unchanged = {k: v for k, v in saved.items() if k not in ("updated_at", "updated_by_id")}
    assert {k: after[k] for k in unchanged} == unchanged


def test_an_old_mistake_on_file_does_not_block_reimporting_the_export(tree, tmp_path):
    legacy = tree.members[1]
    Member.objects.filter(pk=legacy.pk).update(admitted_on=date(legacy.birth_date.year + 14, 1, 1))  # at 14
    out = tmp_path / "roster.xlsx"
    exporting.export_members(roster(tree.branch), out)
    result = run(out)
    assert result.ok and result.updated == 3, result.errors


def test_a_changed_value_is_still_checked(tree, members_xlsx):
    member = tree.members[0]
    result = run(members_xlsx([row_of(member, admitted=day(date(member.birth_date.year + 14, 1, 1)))]))
    assert [e.column for e in result.errors] == ["Ngày vào Đoàn"]


def test_a_move_by_import_dates_the_new_chi_doan_and_moves_the_counts(tree, members_xlsx):
    member = tree.members[0]
    result = run(members_xlsx([row_of(member, branch=tree.branch2.code)]))
    assert result.ok and result.updated == 1, result.errors
    member.refresh_from_db()
    assert (member.branch, member.joined_branch_on) == (tree.branch2, date.today())
    totals = dict(
        Organization.objects.filter(pk__in=[tree.branch.pk, tree.branch2.pk]).values_list("pk", "members_total")
    )
    assert totals == {tree.branch.pk: 2, tree.branch2.pk: 3}
    assert Organization.objects.get(pk=tree.province.pk).members_total == 7 - 1  # T1 holds 6 of the 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_an_admission_committed_while_an_import_finishes_is_counted(tree, members_xlsx, monkeypatch):
    path = members_xlsx([member_row()])
    real = resources.add_to_counts

    def admit_meanwhile(changes):
        def admit():
            try:
                services.create_member(
                    branch=Organization.objects.get(pk=tree.branch2.pk),
                    by=None,
                    full_name="Kết Nạp Cùng Lúc",
                    birth_date=date(2001, 1, 1),
                    gender="nam",
                    admitted_on=date(2018, 1, 1),
                )
            finally:
                connection.close()

        other = threading.Thread(target=admit)
        other.start()
        other.join(20)
        real(changes)

    monkeypatch.setattr(resources, "add_to_counts", admit_meanwhile)
    assert run(path).ok
    province = Organization.objects.get(pk=tree.province.pk)
    on_roll = Member.objects.filter(branch__path__startswith=province.path, status__in=["active", "transferring"])
    assert province.members_total == on_roll.count() == 8


def test_a_card_number_is_kept_in_one_spelling(tree):
    member = tree.members[0]
    member.card_number = " dv 12345 "
    member.save()
    assert Member.objects.get(pk=member.pk).card_number == "DV12345"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings are PostgreSQL's")
def test_matching_looks_keys_up_by_index_and_sets_the_planner_back(tree, monkeypatch):
    """The file's keys are looked up one by one in the members' indexes (a hash join read the
    whole members table: seconds at national scale); the planner is as it was for the writes."""

    def settings_now(cursor):
        cursor.execute("SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin')")
        return cursor.fetchone()

    seen, real = [], matching._found
    monkeypatch.setattr(matching, "_found", lambda cur, join: seen.append(settings_now(cur)) or real(cur, join))
    member = Member.objects.filter(citizen_id__isnull=False).first()
    with transaction.atomic(), connection.cursor() as cursor:
        by_cid, _, _ = matching.saved_members({2: (member.citizen_id, None, None), 3: ("000000000999", None, None)})
        after = settings_now(cursor)
    assert by_cid[2].pk == member.pk and 3 not in by_cid
    assert seen == [("off", "off")] * 3
    assert after == ("on", "on")
