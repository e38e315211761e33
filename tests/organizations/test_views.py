"""Every tree page for every role: inside scope it works, outside it is 404, wrong role 403."""

import pytest
from django.urls import reverse

from organizations.models import Organization, Post

UNIT_ACTIONS = ["edit", "move", "merge", "dissolve"]


def _url(name, *args):
    return reverse(f"organizations:{name}", args=args)


def test_anonymous_users_are_sent_to_login(client, tree):
    response = client.get(_url("detail", "T1"))
    assert response.status_code == 302 and "/dang-nhap/" in response.url


@pytest.mark.parametrize(
    "who",
    [
        "secretary",
        "grassroots_approver",
        "district_approver",
        "province_staff",
        "province_approver",
        "province_admin",
        "superuser",
    ],
)
def test_it_shows_a_branch_to_everyone_above_it(tree, users, login, who):
    response = login(getattr(users, who)).get(_url("detail", tree.branch.code))
    assert response.status_code == 200
    assert "Chi đoàn thôn Đồng Tâm" in response.content.decode()


@pytest.mark.parametrize(
    "who",
    [
        "secretary",
        "grassroots_approver",
        "district_approver",
        "province_staff",
        "province_approver",
        "province_admin",
        "outsider",
        "nopost",
    ],
)
def test_it_answers_404_outside_scope(tree, users, login, who):
    # T2's chi đoàn for everyone of T1; T1's chi đoàn for the outsider (and for a user with no post)
    code = tree.branch.code if who in ("outsider", "nopost") else tree.branch_other.code
    assert login(getattr(users, who)).get(_url("detail", code)).status_code == 404


def test_a_secretary_cannot_see_the_units_above_their_branch(tree, users, login):
    client = login(users.secretary)
    assert client.get(_url("detail", tree.grassroots.code)).status_code == 404
    body = client.get(_url("detail", tree.branch.code)).content.decode()
    assert "Đoàn xã Hùng Sơn" not in body  # no breadcrumb above their own root


def test_the_tree_page_redirects_to_the_single_root(tree, users, login):
    response = login(users.district_approver).get(_url("tree"))
    assert response.status_code == 302 and response.url == _url("detail", "T1-H1")


def test_the_detail_page_lists_children_with_counts_in_constant_queries(
    tree, users, login, django_assert_max_num_queries
):
    client = login(users.province_staff)
    with django_assert_max_num_queries(12):
        body = client.get(_url("detail", "T1")).content.decode()
    assert "Huyện đoàn Đại Từ" in body and "Đoàn trường Cao đẳng Sư phạm" in body
    from tests.factories import make_unit

    for i in range(30):
        make_unit(tree.province, f"T1-CSX{i}", f"Đoàn xã {i}", "co-so")
    with django_assert_max_num_queries(12):
        assert client.get(_url("detail", "T1")).status_code == 200


def test_search_ignores_diacritics_and_scope(tree, users, login):
    client = login(users.province_staff)
    body = client.get(_url("search"), {"q": "doan xa hung son"}).content.decode()
    assert "Đoàn xã Hùng Sơn" in body
    body = client.get(_url("search"), {"q": "hien nam"}).content.decode()
    assert "Đoàn phường Hiến Nam" not in body  # other province
    body = client.get(_url("search"), {"q": "T1-H1-CS1"}).content.decode()
    assert "Đoàn xã Hùng Sơn" in body  # by code too


@pytest.mark.parametrize("action", UNIT_ACTIONS)
def test_unit_actions_are_403_for_a_secretary_and_404_for_an_outsider(tree, users, login, action):
    assert login(users.secretary).get(_url(action, tree.branch.code)).status_code == 403
    assert login(users.outsider).get(_url(action, tree.branch.code)).status_code == 404


@pytest.mark.parametrize("action", UNIT_ACTIONS)
def test_unit_actions_open_for_the_level_above(tree, users, login, action):
    assert login(users.grassroots_approver).get(_url(action, tree.branch.code)).status_code == 200
    # the approver of the cơ sở cannot act on their own unit: that is the district's decision
    assert login(users.grassroots_approver).get(_url(action, tree.grassroots.code)).status_code == 403


def test_create_through_the_page(tree, users, login):
    client = login(users.grassroots_approver)
    level_id = Organization.objects.get(code="T1-H1-CS1-CD1").level_id
    response = client.post(
        _url("create", tree.grassroots.code),
        {"code": "T1-H1-CS1-CD7", "name": "Chi đoàn thôn Mới", "level": level_id, "founded_on": "26/03/2024"},
    )
    assert response.status_code == 302
    unit = Organization.objects.get(code="T1-H1-CS1-CD7")
    assert unit.founded_on.isoformat() == "2024-03-26" and unit.parent() == tree.grassroots


def test_create_refuses_a_forged_level(tree, users, login):
    client = login(users.grassroots_approver)
    province_level = tree.province.level_id
    response = client.post(_url("create", tree.grassroots.code), {"code": "BAD1", "name": "x", "level": province_level})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode() or "hợp lệ" in response.content.decode()
    assert not Organization.objects.filter(code="BAD1").exists()


def test_move_refuses_a_parent_outside_scope_with_a_message(tree, users, login):
    client = login(users.province_approver)
    response = client.post(_url("move", tree.grassroots.code), {"new_parent": "T2", "reason": "x"})
    assert "Không tìm thấy đơn vị mã “T2” trong phạm vi của bạn." in response.content.decode()
    tree.grassroots.refresh_from_db()
    assert tree.grassroots.parent() == tree.district


def test_move_through_the_page(tree, users, login):
    client = login(users.province_approver)
    response = client.post(_url("move", tree.grassroots.code), {"new_parent": "t1", "reason": "Sắp xếp lại"})
    assert response.status_code == 302
    assert Organization.objects.get(code="T1-H1-CS1").parent() == tree.province


def test_dissolve_with_members_shows_the_reason(tree, users, login):
    response = login(users.grassroots_approver).post(_url("dissolve", tree.branch.code), {"reason": "Giải thể"})
    assert response.status_code == 200
    assert "còn 3 đoàn viên" in response.content.decode()


def test_merge_through_the_page(tree, users, login):
    client = login(users.grassroots_approver)
    response = client.post(
        _url("merge", tree.branch2.code), {"target": tree.branch.code, "reason": "QĐ 3", "on_date": "01/02/2026"}
    )
    assert response.status_code == 302
    assert Organization.objects.get(code=tree.branch2.code).status == "merged"


# --- users and posts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["secretary", "grassroots_approver", "district_approver", "province_staff", "province_approver", "outsider"]
)
def test_user_pages_are_for_administrators_only(tree, users, login, who):
    client = login(getattr(users, who))
    assert client.get(_url("users")).status_code == 403
    assert client.get(_url("user_create")).status_code == 403


def test_an_administrator_lists_only_users_in_scope(tree, users, login):
    body = login(users.province_admin).get(_url("users")).content.decode()
    assert "duyet.huyen" in body and "bithu.tinhkhac" not in body


def test_an_administrator_creates_a_user_with_a_first_post(tree, users, login):
    client = login(users.province_admin)
    response = client.post(
        _url("user_create"),
        {
            "username": "bithu.moi",
            "full_name": "Nguyễn Thị Mới",
            "email": "",
            "password": "Rat-kho-doan-2026",
            "organization": tree.branch2.code,
            "role": Post.Role.SECRETARY,
            "title": "Bí thư",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(user__username="bithu.moi")
    assert post.organization == tree.branch2 and post.role == "secretary"
    assert client.get(_url("user", post.user_id)).status_code == 200


def test_an_administrator_cannot_create_a_user_outside_scope(tree, users, login):
    client = login(users.province_admin)
    response = client.post(
        _url("user_create"),
        {
            "username": "ngoai",
            "full_name": "Người Ngoài",
            "password": "Rat-kho-doan-2026",
            "organization": "T2-CS1-CD1",
            "role": Post.Role.SECRETARY,
        },
    )
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị mã “T2-CS1-CD1”" in response.content.decode()


def test_user_detail_outside_scope_is_404(tree, users, login):
    assert login(users.province_admin).get(_url("user", users.outsider.pk)).status_code == 404


def test_assign_and_end_a_post(tree, users, login):
    client = login(users.province_admin)
    response = client.post(_url("user", users.secretary.pk), {"organization": tree.branch2.code, "role": "secretary"})
    assert response.status_code == 302
    post = Post.objects.get(user=users.secretary, organization=tree.branch2)
    assert client.get(_url("post_end", post.pk)).status_code == 405
    assert client.post(_url("post_end", post.pk)).status_code == 302
    post.refresh_from_db()
    assert post.ended_on is not None


def test_locking_a_user_stops_their_login(tree, users, login, client, password):
    admin = login(users.province_admin)
    admin.post(_url("user_toggle", users.secretary.pk))
    users.secretary.refresh_from_db()
    assert not users.secretary.is_active
    admin.logout()
    assert not client.login(username="bithu", password=password)


def test_the_unit_page_links_to_the_units_members(tree, users, login):
    body = login(users.grassroots_approver).get(_url("detail", tree.branch.code)).content.decode()
    assert reverse("members:unit", args=[tree.branch.code]) in body


def test_an_administrator_sees_only_the_posts_inside_their_scope(tree, users, login):
    Post.objects.create(user=users.secretary, organization=tree.branch_other, role=Post.Role.SECRETARY)
    client = login(users.province_admin)
    for page in (_url("users"), _url("user", users.secretary.pk)):
        body = client.get(page).content.decode()
        assert "Chi đoàn thôn Đồng Tâm" in body and "Chi đoàn khu phố 1" not in body


def test_ending_a_post_outside_scope_is_404_and_changes_nothing(tree, users, login):
    other = Post.objects.create(user=users.secretary, organization=tree.branch_other, role=Post.Role.SECRETARY)
    assert login(users.province_admin).post(_url("post_end", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.ended_on is None
