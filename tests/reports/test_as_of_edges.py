"""Edge cases of the history reports count as of a date (issue 18): a re-import's spell dated
today, a backdated move or transfer overlapping a spell already recorded (refused with a
Vietnamese message naming the unit or member and the day to choose from: splitting spells would
rewrite what earlier reports counted), and a path slot a moved unit left (a new unit must not
take it and, with it, the moved unit's past). Through the services, the member import and the
merge page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services as members
from members.history import record_rewritten
from members.models import Member, PastBranch
from organizations import services as tree_services
from organizations.models import Organization, PastPlacement
from reports.services import build_data
from tests.factories import level
from tests.members.conftest import member_row, members_xlsx  # noqa: F401 - the members' own fixture

LOCK = date(2025, 12, 15)
AFTER = date(2026, 1, 10)


def _report(root, as_of=None, kind="ratings"):
    return build_data(kind=kind, root=root, year=2025, years=[2025], as_of=as_of)


def _members_by_child(data) -> dict[str, tuple[str, int]]:
    """Child code -> (name, members) from "Đoàn viên — theo đơn vị trực thuộc"."""
    table = next(t for t in data.tables if t.title.startswith("Đoàn viên — theo đơn vị"))
    return {row[0]: (row[1], row[2]) for row in table.rows}


def _members_of_branches(data) -> dict[str, int]:
    """Membership report: child code -> members (the age table's total column)."""
    return {row[0]: row[2] for row in data.tables[0].rows}


def _new_unit(parent, code, name, level_code, by):
    """A unit founded through the service (the page's "Thành lập đơn vị trực thuộc")."""
    return tree_services.create_unit(parent=parent, code=code, name=name, level=level(level_code), kind=None, by=by)


# ---- a re-import dated today ------------------------------------------------------------------


def _reimport(member, branch):
    """What a re-import does for one row whose chi đoàn changed (members.bulk.update_members)."""
    record_rewritten({member.pk: branch.pk}, date.today())
    Member.objects.filter(pk=member.pk).update(branch=branch)


def test_a_reimport_today_counts_the_old_chi_doan_until_yesterday_and_the_new_from_today(ratings):
    t, yesterday = ratings, date.today() - timedelta(days=1)
    _reimport(t.members[0], t.branch3)  # T1-H1 (CD1) -> T1-CS2 (BP1-CD1)
    before = _members_by_child(_report(t.province, as_of=yesterday, kind="ratings"))
    now = _members_by_child(_report(t.province, as_of=date.today(), kind="ratings"))
    assert (before["T1-H1"][1], before["T1-CS2"][1]) == (5, 1)
    assert (now["T1-H1"][1], now["T1-CS2"][1]) == (4, 2)


def test_a_reimport_there_and_back_the_same_day_leaves_an_empty_spell_that_never_counts(ratings):
    t, yesterday = ratings, date.today() - timedelta(days=1)
    _reimport(t.members[0], t.branch3)
    _reimport(Member.objects.get(pk=t.members[0].pk), t.branch)
    spells = PastBranch.objects.filter(member=t.members[0]).order_by("pk")
    assert [(s.branch_id, s.valid_from, s.valid_to) for s in spells] == [
        (t.branch.pk, None, date.today()),
        (t.branch3.pk, date.today(), date.today()),  # in force on no day
    ]
    for day in (yesterday, date.today()):
        counted = _members_by_child(_report(t.province, as_of=day))
        assert (counted["T1-H1"][1], counted["T1-CS2"][1]) == (5, 1)


def test_the_member_import_records_the_spell_dated_today(ratings, users, members_xlsx):  # noqa: F811
    """The import command a person runs: a re-import moving a member keeps the old chi đoàn."""
    from django.core.management import call_command

    member = ratings.members[0]
    row = member_row(
        name=member.full_name,
        birth=f"{member.birth_date:%d/%m/%Y}",
        gender=member.get_gender_display(),
        cccd=member.citizen_id or "",
        branch=ratings.branch3.code,
        admitted=f"{member.admitted_on:%d/%m/%Y}" if member.admitted_on else "",
        card=member.card_number or "",
        ethnicity=member.ethnicity,
        phone=member.phone,
    )
    call_command("import_xlsx", "members", str(members_xlsx([row])), "--user", users.superuser.username)
    moved = Member.objects.get(pk=member.pk)
    assert moved.branch_id == ratings.branch3.pk
    assert list(moved.past_branches.values_list("branch_id", "valid_to")) == [(ratings.branch.pk, date.today())]
    counted = _members_by_child(_report(ratings.province, as_of=date.today()))
    assert (counted["T1-H1"][1], counted["T1-CS2"][1]) == (4, 2)


# ---- a backdated move overlapping a recorded spell ----------------------------------------------


def test_a_transfer_dated_before_the_members_last_move_is_refused_and_writes_nothing(ratings, users):
    t = ratings
    moved = t.members[1]
    first = members.request_transfer(member=moved, to_branch=t.branch2, by=users.superuser, on_date=date(2026, 2, 1))
    members.accept_transfer(transfer=first, by=users.superuser, on_date=date(2026, 2, 10))
    second = members.request_transfer(member=Member.objects.get(pk=moved.pk), to_branch=t.branch3, by=users.superuser)
    with pytest.raises(ValidationError) as refused:
        members.accept_transfer(transfer=second, by=users.superuser, on_date=date(2026, 1, 20))
    assert refused.value.messages == [
        f"Không thể ghi đoàn viên {moved.full_name} chuyển chi đoàn từ ngày 20/01/2026: hồ sơ đã ghi đoàn viên "
        "rời Chi đoàn thôn Đồng Tâm ngày 10/02/2026, sau ngày đó. Chọn ngày từ 10/02/2026 trở đi."
    ]
    assert Member.objects.get(pk=moved.pk).branch_id == t.branch2.pk
    assert PastBranch.objects.filter(member=moved).count() == 1
    members.accept_transfer(transfer=second, by=users.superuser, on_date=date(2026, 2, 10))  # the same day: fine
    assert Member.objects.get(pk=moved.pk).branch_id == t.branch3.pk


def test_a_move_dated_before_a_sub_units_last_move_is_refused_naming_it(ratings, users):
    t = ratings
    tree_services.move_unit(unit=t.branch2, new_parent=t.grassroots2, by=users.superuser, on_date=date(2026, 3, 1))
    tree_services.move_unit(
        unit=Organization.objects.get(pk=t.branch2.pk),
        new_parent=t.grassroots,
        by=users.superuser,
        on_date=date(2026, 3, 5),
    )
    with pytest.raises(ValidationError) as refused:
        tree_services.move_unit(unit=t.district, new_parent=t.province2, by=users.superuser, on_date=date(2026, 2, 1))
    assert refused.value.messages == [
        "Không thể ghi chuyển từ ngày 01/02/2026: Chi đoàn thôn Tân Lập (T1-H1-CS1-CD2) đã được ghi chuyển "
        "ngày 05/03/2026, sau ngày đó. Chọn ngày từ 05/03/2026 trở đi."
    ]
    assert Organization.objects.get(pk=t.district.pk).parent() == t.province
    assert not PastPlacement.objects.filter(unit=t.district).exists()


def test_the_merge_page_shows_the_refusal_and_merges_nothing(ratings, users, login):
    t = ratings
    client = login(users.superuser)
    other = _new_unit(t.province, "T1-H2", "Huyện đoàn Phú Lương", "huyen", users.superuser)
    tree_services.move_unit(
        unit=Organization.objects.get(pk=t.grassroots.pk),
        new_parent=other,
        by=users.superuser,
        on_date=date(2026, 3, 5),
    )
    response = client.post(
        reverse("organizations:merge", args=[other.code]),
        {"target": t.district.code, "on_date": "01/02/2026", "reason": "Sáp nhập huyện"},
    )
    assert response.status_code == 200
    assert "Đoàn xã Hùng Sơn (T1-H1-CS1) đã được ghi chuyển ngày 05/03/2026" in response.content.decode()
    assert Organization.objects.get(pk=other.pk).is_active


# ---- a path slot a moved unit left ----------------------------------------------------------------


def test_a_new_unit_never_takes_the_path_a_moved_unit_left_nor_its_past(ratings, users):
    t = ratings
    old_path = t.direct.path  # T1-CS2, T1's last child: treebeard would give its slot to the next child
    tree_services.move_unit(unit=t.direct, new_parent=t.province2, by=users.superuser, on_date=AFTER)
    new = _new_unit(t.province, "T1-CS3", "Đoàn trường Trung cấp Y", "co-so", users.superuser)
    assert new.path != old_path and new.path > old_path and not new.path.startswith(old_path)
    as_of_lock = _members_by_child(_report(t.province))
    assert as_of_lock["T1-CS2"] == ("Đoàn trường Cao đẳng Sư phạm", 1)  # its own row and member, by its own name
    assert as_of_lock.get("T1-CS3", ("", 0))[1] == 0
    assert _members_of_branches(_report(new, kind="membership")) == {}  # nothing of T1-CS2's subtree
    assert _members_by_child(_report(t.province, as_of=date(2026, 11, 30)))["T1-CS3"][1] == 0


def test_a_unit_moved_into_a_freed_slot_takes_a_fresh_one_with_its_subtree(ratings, users):
    t = ratings
    old_path = t.direct.path
    tree_services.move_unit(unit=t.direct, new_parent=t.province2, by=users.superuser, on_date=AFTER)
    moved = tree_services.move_unit(unit=t.grassroots2, new_parent=t.province, by=users.superuser, on_date=AFTER)
    assert moved.path > old_path and not moved.path.startswith(old_path)
    branch = Organization.objects.get(pk=t.branch_other.pk)
    assert branch.path.startswith(moved.path) and branch.depth == moved.depth + 1
    assert Organization.find_problems() == ([], [], [], [], [])  # treebeard's own check of the tree
    # as of the lock date T1-CS2 is still T1's, T2-CS1 still T2's
    assert _members_by_child(_report(t.province))["T1-CS2"] == ("Đoàn trường Cao đẳng Sư phạm", 1)
    assert "T2-CS1" not in _members_by_child(_report(t.province))
