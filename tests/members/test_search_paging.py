"""A name search over a unit's roster: only the unit's members, every match once, in name order,
page after page (the search orders by an expression so the planner cannot walk the name index;
the order must stay the plain one's, or the keyset cursor would skip or repeat rows)."""

import pytest
from django.urls import reverse

from members import selectors
from members.models import Member
from organizations.collation import person_sort_key
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn Bình", "Nguyễn Văn An", "Nguyễn Văn Ánh", "Nguyên Văn Cúc", "Trần Văn Nguyễn", "Lê Thị Hà"]


@pytest.fixture
def named(tree):
    members = [MemberFactory(branch=b, full_name=n) for b in (tree.branch, tree.branch3) for n in NAMES]
    MemberFactory(branch=tree.branch_other, full_name="Nguyễn Văn Ngoài")  # another province
    return members


def _all_pages(qs, per_page):
    rows, cursor = [], ""
    while True:
        page = selectors.keyset_page(qs, cursor=cursor, per_page=per_page)
        rows.extend(page.rows)
        if not page.has_next:
            return rows
        cursor = page.next_cursor


def test_it_pages_through_every_match_in_name_order_inside_the_unit(tree, named):
    in_province = Member.objects.filter(branch__path__startswith=tree.province.path)
    expected = sorted(
        (m for m in in_province if "nguyen" in m.name_folded and "van" in m.name_folded),
        key=lambda m: (person_sort_key(m.full_name), m.pk),
    )
    assert len(expected) >= 8
    for per_page in (1, 2, 3):
        rows = _all_pages(selectors.roster(tree.province, q="Nguyễn văn"), per_page)
        assert [m.pk for m in rows] == [m.pk for m in expected]
    assert "Nguyễn Văn Ngoài" not in {m.full_name for m in rows}


def test_it_orders_a_search_as_the_plain_roster(tree, named):
    searched = [m.pk for m in selectors.roster(tree.branch, q="van")]
    plain = [m.pk for m in selectors.roster(tree.branch) if "van" in m.name_folded]
    assert searched == plain


def test_the_search_page_follows_its_cursor_to_the_last_match(tree, users, login):
    MemberFactory.create_batch(55, branch=tree.branch, full_name="Nguyễn Văn Trùng")
    client = login(users.district_approver)
    url = reverse("members:unit", args=["T1-H1"])
    first = client.get(url, {"q": "nguyen van trung"})
    page = first.context["page"]
    assert len(page.rows) == 50 and page.has_next and "Nguyễn Văn Trùng" in first.content.decode()
    second = client.get(url, {"q": "nguyen van trung", "sau": page.next_cursor}).context["page"]
    assert len(second.rows) == 5 and not second.has_next
    assert not {m.pk for m in page.rows} & {m.pk for m in second.rows}


def test_the_search_page_of_another_province_is_404(tree, users, login):
    other = tree.branch_other.code
    assert login(users.district_approver).get(reverse("members:unit", args=[other]), {"q": "nguyen"}).status_code == 404


def test_a_search_whose_matches_fit_one_page_counts_them_from_the_page(tree, named, django_assert_num_queries):
    qs = selectors.roster(tree.province, q="nguyen van")
    expected = qs.count()
    assert 0 < expected <= 50
    with django_assert_num_queries(1):  # the page alone: its rows are the count
        page = selectors.keyset_page(qs)
    assert page.total == expected == len(page.rows) and not page.has_next
    with django_assert_num_queries(2):  # a page that does not hold every match counts them
        page = selectors.keyset_page(qs, per_page=2)
    assert page.total == expected and len(page.rows) == 2 and page.has_next
