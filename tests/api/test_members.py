"""Members through the API: the page's filters and order, cursor paging, personal data as the
member's page shows it, and an audit entry for each token read of it."""

from members import selectors
from organizations.models import AuditEntry, Post
from tests.factories import MemberFactory, refresh_counts


def _ids(body):
    return [m["id"] for m in body["results"]]


def test_it_lists_the_units_members_in_the_pages_order(tree, users, bearer):
    body = bearer(users.grassroots_approver).get(f"/api/v1/members/?unit={tree.grassroots.code}").json()
    assert _ids(body) == [m.pk for m in selectors.roster(tree.grassroots)]
    assert body["count"] == 5 and body["count_capped"] is False and body["next"] is None


def test_it_filters_as_the_members_page_does(tree, users, bearer):
    MemberFactory(branch=tree.branch, full_name="Nguyễn Thị Ánh", gender="nu")
    refresh_counts()
    client = bearer(users.grassroots_approver)
    body = client.get(f"/api/v1/members/?unit={tree.grassroots.code}&q=nguyen thi anh").json()
    assert [m["full_name"] for m in body["results"]] == ["Nguyễn Thị Ánh"]
    filtered = client.get(f"/api/v1/members/?unit={tree.grassroots.code}&gender=nu&status=all").json()
    assert _ids(filtered) == [m.pk for m in selectors.roster(tree.grassroots, gender="nu", status="all")]


def test_it_walks_every_member_once_by_cursor(tree, users, bearer, monkeypatch):
    monkeypatch.setattr("api.members.PER_PAGE", 2)
    client = bearer(users.province_staff)
    seen, url = [], f"/api/v1/members/?unit={tree.province.code}"
    while url:
        body = client.get(url).json()
        seen += _ids(body)
        url = body["next"]
    assert seen == [m.pk for m in selectors.roster(tree.province)]


def test_it_gives_the_personal_data_the_member_page_shows(tree, users, bearer):
    member = tree.members[0]
    member.citizen_id, member.phone, member.address = "001203004005", "0912345678", "Thôn Đồng Tâm"
    member.save()
    row = next(m for m in bearer(users.secretary).get("/api/v1/members/").json()["results"] if m["id"] == member.pk)
    assert (row["citizen_id"], row["phone"], row["address"]) == ("001203004005", "0912345678", "Thôn Đồng Tâm")


def test_each_token_read_of_personal_data_is_audited(tree, users, bearer):
    client = bearer(users.secretary)
    client.get("/api/v1/members/")
    client.get("/api/v1/members/?cursor=zz~1")  # nothing after it: no personal data read
    entries = AuditEntry.objects.filter(action="api_personal_read")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.by == users.secretary and entry.organization == tree.branch
    assert "3 hồ sơ đoàn viên" in entry.reason and "/api/v1/members/" in entry.reason


def test_a_browser_session_read_is_not_audited_as_a_token_use(tree, users, session):
    session(users.secretary).get("/api/v1/members/")
    assert not AuditEntry.objects.filter(action="api_personal_read").exists()


def test_it_asks_which_unit_when_the_user_has_several_roots(tree, users, bearer):
    Post.objects.create(user=users.province_staff, organization=tree.province2, role=Post.Role.STAFF)
    response = bearer(users.province_staff).get("/api/v1/members/")
    assert response.status_code == 400
    assert "cần chọn “unit”" in response.json()["unit"][0]


def test_a_search_by_cccd_or_phone_finds_only_the_records_the_user_keeps(tree, users, bearer):
    from members.models import Member

    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(citizen_id="031099004321", phone="0912345678")
    url = f"/api/v1/members/?unit={tree.grassroots.code}&q="
    for q in ("031099004321", "0912345678"):
        assert _ids(bearer(users.grassroots_approver).get(url + q).json()) == [member.pk]  # keeps the record
        assert _ids(bearer(users.grassroots_secretary).get(url + q).json()) == []  # sees the roster only
