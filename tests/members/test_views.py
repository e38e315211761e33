"""Every members page for every role: inside scope it works, outside it is 404, wrong role 403,
wrong method 405; the roster pages cost a constant number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from members import services
from members.models import Member, MemberPosition, Transfer
from tests.factories import MemberFactory, refresh_counts

ABOVE = [
    "grassroots_approver",
    "district_approver",
    "province_staff",
    "province_approver",
    "province_admin",
    "superuser",
]
SEES = ["secretary", "grassroots_secretary", *ABOVE]


def url(name, *args):
    return reverse(f"members:{name}", args=args)


def test_anonymous_users_are_sent_to_login(client, tree):
    response = client.get(url("unit", tree.branch.code))
    assert response.status_code == 302 and "/dang-nhap/" in response.url


def test_the_index_opens_the_roster_of_the_scope_root(tree, users, login):
    response = login(users.district_approver).get(url("index"))
    assert response.status_code == 302 and response.url == url("unit", "T1-H1")


def test_the_index_without_a_post_says_so(tree, users, login):
    response = login(users.nopost).get(url("index"))
    assert "chưa giữ chức vụ" in response.content.decode()


@pytest.mark.parametrize("who", SEES)
def test_the_roster_and_member_pages_open_for_everyone_above(tree, users, login, who):
    client = login(getattr(users, who))
    member = tree.members[0]
    assert member.full_name in client.get(url("unit", tree.branch.code)).content.decode()
    assert client.get(url("detail", member.pk)).status_code == 200
    assert client.get(url("overage", tree.branch.code)).status_code == 200
    assert client.get(url("export", tree.branch.code)).status_code == 200


@pytest.mark.parametrize("name", ["unit", "overage", "export", "create", "admit"])
def test_unit_pages_answer_404_outside_scope(tree, users, login, name):
    assert login(users.outsider).get(url(name, tree.branch.code)).status_code == 404


@pytest.mark.parametrize("name", ["detail", "edit"])
def test_member_pages_answer_404_outside_scope(tree, users, login, name):
    assert login(users.outsider).get(url(name, tree.members[0].pk)).status_code == 404


@pytest.mark.parametrize("slug", ["chuyen-di", "truong-thanh", "giu-lai", "xoa-ten", "tu-tran"])
def test_lifecycle_forms_are_404_outside_scope_and_403_for_the_wrong_role(tree, users, login, slug):
    member = tree.members[0]
    assert login(users.outsider).get(url("action", member.pk, slug)).status_code == 404
    assert login(users.grassroots_secretary).get(url("action", member.pk, slug)).status_code == 403
    assert login(users.secretary).get(url("action", member.pk, slug)).status_code == 200


def test_an_unknown_action_is_404(tree, users, login):
    assert login(users.secretary).get(url("action", tree.members[0].pk, "bay-di")).status_code == 404


@pytest.mark.parametrize("name", ["create", "admit"])
def test_create_is_403_for_the_wrong_role_and_404_above_a_branch(tree, users, login, name):
    assert login(users.grassroots_secretary).get(url(name, tree.branch.code)).status_code == 403
    assert login(users.province_admin).get(url(name, tree.grassroots.code)).status_code == 404


def test_edit_is_403_for_a_secretary_of_another_level(tree, users, login):
    assert login(users.grassroots_secretary).get(url("edit", tree.members[0].pk)).status_code == 403


def test_a_secretary_admits_through_the_page(tree, users, login):
    data = {
        "full_name": "Lò Thị Mai",
        "birth_date": "10/02/2004",
        "gender": "nu",
        "ethnicity": "Thái",
        "religion": "Không",
        "citizen_id": "014304000999",
        "admitted_on": "26/03/2021",
        "reason": "NQ 2",
    }
    response = login(users.secretary).post(url("admit", tree.branch.code), data)
    member = Member.objects.get(citizen_id="014304000999")
    assert response.status_code == 302 and response.url == url("detail", member.pk)
    page = login(users.secretary).get(url("detail", member.pk)).content.decode()
    assert "Kết nạp" in page and "26/03/2021" in page


def test_the_admission_form_shows_field_errors_in_vietnamese(tree, users, login):
    data = {
        "full_name": "Lò Thị Mai",
        "birth_date": "10/02/2012",
        "gender": "nu",
        "citizen_id": "123",
        "admitted_on": "26/03/2024",
    }
    page = login(users.secretary).post(url("admit", tree.branch.code), data).content.decode()
    assert "12 chữ số" in page and "Tuổi khi vào Đoàn phải từ 16 đến 30" in page
    assert Member.objects.count() == 7


def test_a_card_number_typed_in_another_spelling_is_still_a_duplicate(tree, users, login):
    data = {
        "full_name": "Lò Thị Mai",
        "birth_date": "10/02/2004",
        "gender": "nu",
        "ethnicity": "Thái",
        "card_number": " " + tree.members[1].card_number.lower(),
        "admitted_on": "26/03/2021",
    }
    response = login(users.secretary).post(url("admit", tree.branch.code), data)
    assert response.status_code == 200 and "đã thuộc về một đoàn viên khác" in response.content.decode()
    assert Member.objects.count() == 7


def test_edit_through_the_page(tree, users, login):
    member = tree.members[0]
    client = login(users.grassroots_approver)
    form = client.get(url("edit", member.pk)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        phone="0911222333",
        birth_date=member.birth_date.strftime("%d/%m/%Y"),
        admitted_on=member.admitted_on.strftime("%d/%m/%Y"),
        joined_branch_on=member.joined_branch_on.strftime("%d/%m/%Y"),
    )
    response = client.post(url("edit", member.pk), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "0911222333"


def test_remove_through_the_page(tree, users, login):
    member = tree.members[0]
    response = login(users.secretary).post(url("action", member.pk, "xoa-ten"), {"reason": "Tự ý bỏ sinh hoạt"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.REMOVED


def test_remove_without_a_reason_shows_the_form_again(tree, users, login):
    response = login(users.secretary).post(url("action", tree.members[0].pk, "xoa-ten"), {"reason": ""})
    assert response.status_code == 200 and Member.objects.get(pk=tree.members[0].pk).status == "active"


def test_mature_a_young_member_shows_the_rule(tree, users, login):
    page = login(users.secretary).post(url("action", tree.members[0].pk, "truong-thanh"), {}).content.decode()
    assert "chưa đủ 30 tuổi" in page


def test_a_transfer_through_the_pages_across_provinces(tree, users, login, client):
    member = tree.members[0]
    response = login(users.secretary).post(
        url("action", member.pk, "chuyen-di"),
        {"to_branch": "t2-cs1-cd1", "to_name": "Chi đoàn khu phố 1", "reason": "Đi làm xa"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    # the receiver sees the pending transfer though the member is outside their scope
    client.force_login(users.outsider)
    assert member.full_name in client.get(url("transfers")).content.decode()
    assert client.get(url("detail", member.pk)).status_code == 404
    assert client.get(url("transfer_decide", transfer.pk, "huy")).status_code == 403
    assert client.post(url("transfer_decide", transfer.pk, "nhan")).status_code == 302
    member.refresh_from_db()
    assert member.branch == tree.branch_other
    assert client.get(url("detail", member.pk)).status_code == 200


def test_the_sender_cannot_accept_and_strangers_get_404(tree, users, login):
    transfer = services.request_transfer(member=tree.members[0], to_branch=tree.branch2, by=users.secretary)
    assert login(users.secretary).post(url("transfer_decide", transfer.pk, "nhan")).status_code == 403
    assert login(users.outsider).get(url("transfer_decide", transfer.pk, "nhan")).status_code == 404


def test_refuse_through_the_page_needs_a_reason(tree, users, login):
    transfer = services.request_transfer(member=tree.members[0], to_branch=tree.branch2, by=users.secretary)
    client = login(users.grassroots_approver)
    assert client.post(url("transfer_decide", transfer.pk, "tu-choi"), {"reason": ""}).status_code == 200
    assert client.post(url("transfer_decide", transfer.pk, "tu-choi"), {"reason": "Sai địa bàn"}).status_code == 302
    assert Transfer.objects.get().status == Transfer.Status.REFUSED


@pytest.mark.parametrize("name, args", [("position_add", "member"), ("position_end", "position")])
def test_position_changes_reject_get(tree, users, login, name, args):
    member = tree.members[0]
    target = (
        member.pk
        if args == "member"
        else MemberPosition.objects.create(member=member, title="bi_thu", unit=tree.branch, since=date(2023, 1, 1)).pk
    )
    assert login(users.secretary).get(url(name, target)).status_code == 405


def test_export_and_roster_reject_post(tree, users, login):
    client = login(users.secretary)
    assert client.post(url("unit", tree.branch.code)).status_code == 405
    assert client.post(url("export", tree.branch.code)).status_code == 405


def test_positions_and_the_over_age_list(tree, users, login):
    old = Member.objects.create(branch=tree.branch, full_name="Đinh Văn Già", birth_date=date(1985, 1, 1), gender="nam")
    client = login(users.secretary)
    response = client.post(
        url("position_add", old.pk), {"title": "bi_thu", "unit": tree.branch.code, "since": "01/01/2014"}
    )
    assert response.status_code == 302
    page = login(users.province_staff).get(url("overage", "T1")).content.decode()
    assert "Đinh Văn Già" in page and "Bí thư" in page
    assert "Đinh Văn Già" not in login(users.province_staff).get(url("overage", tree.branch3.code)).content.decode()


def test_search_ignores_diacritics_and_filters_combine(tree, users, login):
    MemberFactory(branch=tree.branch2, full_name="Đoàn Thị Hương", gender="nu")
    client = login(users.district_approver)
    page = client.get(url("unit", "T1-H1"), {"q": "doan thi huong"}).content.decode()
    assert "Đoàn Thị Hương" in page and "Lê Hoàng Cường" not in page
    page = client.get(url("unit", "T1-H1"), {"q": "huong", "gender": "nam"}).content.decode()
    assert "Đoàn Thị Hương" not in page


def test_the_age_band_filter(tree, users, login):
    MemberFactory(branch=tree.branch, full_name="Bùi Tuổi Trẻ", birth_date=date(date.today().year - 17, 1, 1))
    page = login(users.secretary).get(url("unit", tree.branch.code), {"age": "16-18"}).content.decode()
    assert "Bùi Tuổi Trẻ" in page and "Nguyễn Văn An" not in page


def test_the_roster_pages_by_keyset(tree, users, login):
    MemberFactory.create_batch(55, branch=tree.branch)
    refresh_counts()
    client = login(users.secretary)
    first = client.get(url("unit", tree.branch.code))
    page = first.context["page"]
    assert len(page.rows) == 50 and page.has_next and "58 đoàn viên" in first.content.decode()
    second = client.get(url("unit", tree.branch.code), {"sau": page.next_cursor}).context["page"]
    assert len(second.rows) == 8 and not second.has_next
    assert not {m.pk for m in page.rows} & {m.pk for m in second.rows}


@pytest.mark.parametrize("code, who", [("T1-H1-CS1-CD1", "secretary"), ("T1", "province_staff")])
def test_roster_queries_stay_constant(tree, users, login, django_assert_max_num_queries, code, who):
    client = login(getattr(users, who))
    filtered = {"q": "nguyen", "post": "any"}
    with django_assert_max_num_queries(9) as small:  # the matches fit the page: its rows are the count
        client.get(url("unit", code), filtered)
    for _ in range(2):
        MemberFactory.create_batch(60, branch=tree.branch, full_name="Nguyễn Văn Đông")
        MemberPosition.objects.bulk_create(
            MemberPosition(member=m, title="uy_vien_bch", unit=tree.branch, since=date(2023, 1, 1))
            for m in Member.objects.filter(positions__isnull=True)
        )
        with django_assert_max_num_queries(len(small.captured_queries) + 1):  # more than a page: a capped count
            client.get(url("unit", code), filtered)
    with django_assert_max_num_queries(len(small.captured_queries)):  # no filter: the summary row counts
        client.get(url("unit", code))


def test_transfers_inbox_queries_stay_constant(tree, users, login, django_assert_max_num_queries):
    client = login(users.grassroots_approver)
    services.request_transfer(member=tree.member3, to_branch=tree.branch2, by=users.province_admin)
    with django_assert_max_num_queries(8) as small:
        client.get(url("transfers"))
    for member in MemberFactory.create_batch(5, branch=tree.branch3):
        services.request_transfer(member=member, to_branch=tree.branch2, by=users.province_admin)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("transfers"))


def test_position_changes_are_404_outside_scope_and_403_for_the_wrong_role(tree, users, login):
    member = tree.members[0]
    position = MemberPosition.objects.create(member=member, title="bi_thu", unit=tree.branch, since=date(2023, 1, 1))
    data = {"title": "uy_vien_bch", "unit": tree.branch.code, "since": "01/01/2024"}
    assert login(users.outsider).post(url("position_add", member.pk), data).status_code == 404
    assert login(users.outsider).post(url("position_end", position.pk)).status_code == 404
    assert login(users.grassroots_secretary).post(url("position_add", member.pk), data).status_code == 403
    assert login(users.grassroots_secretary).post(url("position_end", position.pk)).status_code == 403
    assert login(users.secretary).post(url("position_end", position.pk)).status_code == 302
    position.refresh_from_db()
    assert position.until == date.today()


def test_the_transfers_inbox_needs_login_and_rejects_post(tree, users, login, client):
    assert client.get(url("transfers")).status_code == 302
    assert login(users.secretary).post(url("transfers")).status_code == 405
