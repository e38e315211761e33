from datetime import date

import pytest

from members.models import Member, MemberEvent
from reports.builders import membership
from reports.excel import check_totals
from tests.factories import MemberFactory


@pytest.fixture
def people(tree):
    t = tree
    # the factory's birth dates follow a process-wide sequence; pin the one this test counts by age
    Member.objects.filter(pk=t.member3.pk).update(birth_date=date(1997, 6, 1))
    # T1-CS2's chi đoàn: a 2005-born Tày Party member admitted in 2025, and one who matured in 2025.
    MemberFactory(
        branch=t.branch3,
        birth_date=date(2005, 5, 1),
        gender="nu",
        ethnicity="Tày",
        is_party_member=True,
        admitted_on=date(2025, 3, 26),
    )
    MemberFactory(
        branch=t.branch3,
        birth_date=date(1994, 1, 1),
        gender="nam",
        status=Member.Status.MATURED,
        status_changed_on=date(2025, 6, 1),
        admitted_on=date(2010, 3, 26),
    )
    MemberEvent.objects.create(
        member=t.members[0], kind=MemberEvent.Kind.TRANSFER_IN, date=date(2025, 4, 1), to_branch=t.branch
    )
    MemberEvent.objects.create(
        member=t.member3, kind=MemberEvent.Kind.TRANSFER_OUT, date=date(2025, 4, 1), from_branch=t.branch3
    )
    MemberEvent.objects.create(
        member=t.member3, kind=MemberEvent.Kind.TRANSFER_OUT, date=date(2024, 4, 1), from_branch=t.branch3
    )
    return t


def _by_code(table):
    return {r[0]: r[2:] for r in table.rows}


def test_it_counts_members_per_child_unit(people):
    data = membership.build(root=people.province, year=2025)
    ages, structure, flows = data.tables
    assert _by_code(ages)["T1-CS2"][0] == 2 and _by_code(ages)["T1-H1"][0] == 5
    assert _by_code(ages)["T1-CS2"][1] == 1  # 2005-born: 20 on 31/12/2025
    assert ages.total[2] == 7
    cs2 = _by_code(structure)["T1-CS2"]
    assert cs2[5] == 1 and cs2[6] == 1 and cs2[7] == 50.0  # one minority, one Party member: 50,0%
    assert _by_code(flows)["T1-CS2"] == [1, 0, 1, 1] and _by_code(flows)["T1-H1"][1] == 1


def test_every_breakdown_adds_up_to_the_total(people):
    data = membership.build(root=people.province, year=2025)
    ages, structure, _ = data.tables
    for table in data.tables:
        check_totals(table)
    for row in [*ages.rows, ages.total]:
        assert sum(row[3:]) == row[2]
    for row in [*structure.rows, structure.total]:
        assert row[3] + row[4] + row[5] == row[2] == row[6] + row[7]


def test_it_tells_the_figures_in_vietnamese(people):
    text = " ".join(membership.build(root=people.province, year=2025).narrative)
    assert "Tỉnh đoàn Thái Nguyên có 7 đoàn viên" in text and "đảng viên 1 (14,3%)" in text
    assert "kết nạp mới 1 đoàn viên; 1 đoàn viên trưởng thành" in text
