"""The menu fits the role (issue 15): a chi đoàn secretary meets no "3 chủ động" and no empty
"1+2"; a tổ chức cơ sở Đoàn (đoàn cơ sở or chi đoàn cơ sở) sees "3 chủ động", where it registers;
the district and the province see both. The pages still answer by scope (tests of each app)."""

import pytest
from django.urls import reverse

from doanhub.context_processors import nav
from organizations.scoping import open_posts
from tests.factories import make_unit, make_user

RECOGNITION, FIELDWORK = "3 chủ động", "Đi cơ sở 1+2"


def _menu(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {entry["label"] for entry in response.context["nav_entries"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "recognition", "fieldwork"),
    [
        ("secretary", False, False),
        ("grassroots_secretary", True, False),
        ("grassroots_approver", True, False),
        ("district_approver", True, True),
        ("province_staff", True, True),
        ("province_approver", True, True),
        ("province_admin", True, True),
        ("superuser", True, True),
        ("nopost", False, False),
    ],
)
def test_menu_entries_follow_the_posts(client, users, who, recognition, fieldwork):
    menu = _menu(client, getattr(users, who))
    assert "Đoàn viên" in menu and "Báo cáo" in menu
    assert (RECOGNITION in menu) is recognition
    assert (FIELDWORK in menu) is fieldwork


@pytest.mark.django_db
def test_a_chi_doan_co_so_secretary_sees_3_chu_dong(client, tree):
    unit = make_unit(tree.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bưu điện Đại Từ", "chi-doan-co-so")
    menu = _menu(client, make_user("bithu.cdcs", "secretary", unit))
    assert RECOGNITION in menu and FIELDWORK not in menu


@pytest.mark.django_db
def test_the_menu_costs_no_query_of_its_own(rf, users, django_assert_num_queries):
    """The posts read once for the navigation bar, with their levels, decide the menu."""
    request = rf.get("/")
    request.user = users.grassroots_secretary
    open_posts(request.user)  # what the bar reads (memoised for the request)
    with django_assert_num_queries(0):
        labels = {entry["label"] for entry in nav(request)["nav_entries"]}
    assert RECOGNITION in labels and FIELDWORK not in labels
