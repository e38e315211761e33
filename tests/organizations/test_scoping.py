import pytest
from django.http import Http404
from django.urls import reverse

from organizations import scoping
from organizations.models import Organization
from organizations.text import fold


def test_fold_removes_marks_and_d():
    assert fold("Đoàn Khối các cơ quan") == "doan khoi cac co quan"
    assert fold("  Nguyễn   Thị  Ánh ") == "nguyen thi anh"


def test_a_secretary_sees_only_their_branch(tree, users):
    codes = set(scoping.visible_orgs(users.secretary).values_list("code", flat=True))
    assert codes == {"T1-H1-CS1-CD1"}


def test_a_province_officer_sees_the_province_subtree_only(tree, users):
    codes = set(scoping.visible_orgs(users.province_staff).values_list("code", flat=True))
    assert "T1-CS2-BP1-CD1" in codes and "T1" in codes
    assert not codes & {"TW", "T2", "T2-CS1-CD1"}


def test_superuser_sees_everything_and_nopost_nothing(tree, users):
    assert scoping.visible_orgs(users.superuser).count() == Organization.objects.count()
    assert scoping.visible_orgs(users.nopost).count() == 0


def test_get_org_or_404_outside_scope(tree, users):
    with pytest.raises(Http404):
        scoping.get_org_or_404(users.outsider, "T1")


def test_nested_posts_collapse_to_one_root(tree, users):
    from organizations.models import Post

    Post.objects.create(user=users.province_staff, organization=tree.district, role=Post.Role.APPROVER)
    users.province_staff._doanhub_posts = None
    assert scoping.root_paths(users.province_staff) == [tree.province.path]


def test_ended_posts_give_no_scope(tree, users):
    from datetime import date

    users.secretary.posts.update(ended_on=date(2020, 1, 1))
    assert scoping.visible_orgs(users.secretary).count() == 0


def test_the_level_above_decides(tree, users):
    assert scoping.has_role_above(users.grassroots_approver, tree.branch, {"approver"})
    assert not scoping.has_role_above(users.grassroots_approver, tree.grassroots, {"approver"})


def test_a_post_ends_on_viet_nams_date_not_the_servers(tree, monkeypatch, client):
    """At 20:00 UTC on 04/12 it is 03:00 on 05/12 in Hà Nội: a post that ended on 05/12 gives no
    scope any more, though a server clock on UTC still reads the 4th (the years are far ahead,
    so that the machine's own date can never make this pass)."""
    from datetime import UTC, date, datetime

    from django.utils import timezone

    from tests.factories import PASSWORD, make_user

    monkeypatch.setattr(timezone, "now", lambda: datetime(2099, 12, 4, 20, 0, tzinfo=UTC))
    ended = make_user("het.nhiem.ky", "staff", tree.district)
    ended.posts.update(ended_on=date(2099, 12, 5))
    kept = make_user("con.nhiem.ky", "staff", tree.district)
    kept.posts.update(ended_on=date(2099, 12, 6))
    assert scoping.visible_orgs(ended).count() == 0
    assert scoping.in_scope(kept, tree.grassroots)
    client.login(username="het.nhiem.ky", password=PASSWORD)
    assert client.get(reverse("organizations:detail", args=[tree.district.code])).status_code == 404
