"""Natural Vietnamese order on both databases (issue 15): a ă â b c d đ e …, "số 2" before
"số 10"; people by tên, then họ đệm. PostgreSQL's ICU collation and SQLite's Python one (from
vn_sort_key) give the same order, and keyset paging follows it without skipping or repeating."""

import pytest
from django.db.models import Value
from django.urls import reverse

from members import selectors as member_selectors
from members.models import Member
from organizations import selectors
from organizations.collation import COLLATION, given_name, person_sort_key, vn_order
from organizations.models import Organization
from organizations.text import vn_sort_key
from tests.factories import MemberFactory, make_unit, refresh_counts

pytestmark = pytest.mark.django_db

UNIT_NAMES = [
    "Chi đoàn số 10",
    "Chi đoàn Vũ Lăng",
    "Chi đoàn Đồng Tâm",
    "Chi đoàn số 2",
    "Chi đoàn Dương Sơn",
    "Chi đoàn Ấp Bắc",
    "Chi đoàn An Khánh",
    "Chi đoàn Ăn Quả",
    "Chi đoàn Em Bé",
    "Chi đoàn số 1",
]
IN_ORDER = [
    "Chi đoàn An Khánh",
    "Chi đoàn Ăn Quả",
    "Chi đoàn Ấp Bắc",
    "Chi đoàn Dương Sơn",
    "Chi đoàn Đồng Tâm",
    "Chi đoàn Em Bé",
    "Chi đoàn số 1",
    "Chi đoàn số 2",
    "Chi đoàn số 10",
    "Chi đoàn Vũ Lăng",
]
PEOPLE = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Đức", "Phạm Văn Dũng", "Hoàng Văn An", "Vũ Thị Ánh", "Bùi Văn Đạt"]
PEOPLE_IN_ORDER = [
    "Hoàng Văn An",
    "Trần Văn An",
    "Vũ Thị Ánh",
    "Nguyễn Thị Bình",
    "Phạm Văn Dũng",
    "Bùi Văn Đạt",
    "Lê Đức",
]


@pytest.fixture
def units(tree):
    return [make_unit(tree.grassroots, f"T1-H1-CS1-N{i}", name) for i, name in enumerate(UNIT_NAMES)]


def test_the_python_key_puts_d_before_dj_and_numbers_by_value():
    assert sorted(UNIT_NAMES, key=vn_sort_key) == IN_ORDER
    assert sorted(PEOPLE, key=person_sort_key) == PEOPLE_IN_ORDER
    assert given_name(" Nguyễn  Thị Bình ") == "Bình"


def test_the_database_orders_units_as_the_python_key(units):
    names = Organization.objects.filter(code__contains="-N").order_by(vn_order("name")).values_list("name", flat=True)
    assert list(names) == IN_ORDER


def test_the_database_compares_under_the_same_collation(units):
    after_dung = Organization.objects.filter(code__contains="-N").alias(k=vn_order("name"))
    names = set(after_dung.filter(k__gt=Value("Chi đoàn Dương Sơn")).values_list("name", flat=True))
    assert names == set(IN_ORDER[4:]), COLLATION


def test_a_unit_page_lists_its_children_in_vietnamese_order(tree, units, users, login):
    assert [o.name for o in selectors.children(tree.grassroots) if "-N" in o.code] == IN_ORDER
    page = login(users.grassroots_secretary).get(reverse("organizations:detail", args=[tree.grassroots.code]))
    body = page.content.decode()
    assert page.status_code == 200
    assert [body.index(n) for n in IN_ORDER] == sorted(body.index(n) for n in IN_ORDER)


def test_a_roster_sorts_by_given_name_then_family_names_and_pages_by_the_same_keys(tree):
    for name in PEOPLE:
        MemberFactory(branch=tree.branch3, full_name=name)
    MemberFactory(branch=tree.branch3, full_name="Trần Văn An")  # the same name twice: pk breaks the tie
    everyone = Member.objects.filter(branch=tree.branch3).order_by("pk").values_list("full_name", flat=True)
    expected = sorted(everyone, key=person_sort_key)
    for per_page in (1, 2, 3):
        rows, cursor = [], ""
        while True:
            page = member_selectors.keyset_page(member_selectors.roster(tree.branch3), cursor=cursor, per_page=per_page)
            rows += page.rows
            if not page.has_next:
                break
            cursor = page.next_cursor
        assert [m.full_name for m in rows] == expected
        assert len({m.pk for m in rows}) == len(rows)


def test_the_members_page_lists_people_in_vietnamese_order(tree, users, login):
    for name in PEOPLE:
        MemberFactory(branch=tree.branch3, full_name=name)
    refresh_counts()
    page = login(users.province_staff).get(reverse("members:unit", args=[tree.branch3.code]))
    body = page.content.decode()
    assert [body.index(n) for n in PEOPLE_IN_ORDER] == sorted(body.index(n) for n in PEOPLE_IN_ORDER)
