"""The transfer form names the receiving chi đoàn: inside the user's scope by its code, outside it
by code and name together, and a miss outside never tells which part was wrong or whether the
code exists (issue 3)."""

import pytest
from django.urls import reverse

from members import services
from members.forms import TransferRequestForm
from members.models import Member, Transfer
from organizations.models import Organization

NO_MATCH = "Không tìm thấy chi đoàn đang hoạt động khớp cả mã và tên"


def form(user, tree, **data):
    return TransferRequestForm(data, user=user, member=tree.members[0])


def url(member, slug="chuyen-di"):
    return reverse("members:action", args=[member.pk, slug])


def test_it_takes_an_in_scope_branch_by_its_code_alone(tree, users):
    f = form(users.grassroots_approver, tree, to_branch=" t1-h1-cs1-cd2 ")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["to_branch"] == tree.branch2
    assert "to_name" not in f.cleaned_data  # the service takes no name


def test_it_checks_a_name_given_for_an_in_scope_branch(tree, users):
    assert form(users.grassroots_approver, tree, to_branch="T1-H1-CS1-CD2", to_name="chi doan thon tan lap").is_valid()
    f = form(users.grassroots_approver, tree, to_branch="T1-H1-CS1-CD2", to_name="Chi đoàn thôn Đồng Tâm")
    assert not f.is_valid() and "Chi đoàn thôn Tân Lập" in f.errors["to_name"][0]


def test_it_needs_the_name_for_a_branch_outside_the_scope(tree, users):
    # a chi đoàn secretary's scope is their own chi đoàn: even the sibling is outside it
    f = form(users.secretary, tree, to_branch="T1-H1-CS1-CD2")
    assert not f.is_valid() and "giấy tiếp nhận" in f.errors["to_name"][0]
    f = form(users.secretary, tree, to_branch="T2-CS1-CD1", to_name="  CHI ĐOÀN khu phố   1 ")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["to_branch"] == tree.branch_other


def test_a_missing_name_reads_the_same_for_an_unknown_code(tree, users):
    known = form(users.secretary, tree, to_branch="T2-CS1-CD1")
    unknown = form(users.secretary, tree, to_branch="T9-KHONG-CO")
    assert not known.is_valid() and not unknown.is_valid()
    assert known.errors == unknown.errors


def test_a_wrong_name_and_an_unknown_code_give_one_message(tree, users):
    wrong_name = form(users.secretary, tree, to_branch="T2-CS1-CD1", to_name="Chi đoàn khu phố 2")
    unknown_code = form(users.secretary, tree, to_branch="T9-KHONG-CO", to_name="Chi đoàn khu phố 1")
    assert not wrong_name.is_valid() and not unknown_code.is_valid()
    assert wrong_name.errors == unknown_code.errors
    assert list(wrong_name.errors) == ["__all__"] and NO_MATCH in wrong_name.non_field_errors()[0]
    assert "T2-CS1-CD1" not in str(wrong_name.errors) and "khu phố 1" not in str(wrong_name.errors)


def test_it_refuses_a_dissolved_branch_or_a_unit_that_is_not_a_chi_doan_outside_the_scope(tree, users):
    Organization.objects.filter(pk=tree.branch_other.pk).update(status=Organization.Status.DISSOLVED)
    dissolved = form(users.secretary, tree, to_branch="T2-CS1-CD1", to_name="Chi đoàn khu phố 1")
    not_branch = form(users.secretary, tree, to_branch="T2-CS1", to_name="Đoàn phường Hiến Nam")
    for f in (dissolved, not_branch):
        assert not f.is_valid() and NO_MATCH in f.non_field_errors()[0]


def test_it_names_the_problem_of_an_in_scope_unit_that_cannot_receive(tree, users):
    Organization.objects.filter(pk=tree.branch2.pk).update(status=Organization.Status.MERGED)
    for code in ("T1-H1-CS1", "T1-H1-CS1-CD2"):
        f = form(users.grassroots_approver, tree, to_branch=code)
        assert not f.is_valid() and "không phải chi đoàn đang hoạt động" in f.errors["to_branch"][0]


def test_without_a_user_every_destination_needs_code_and_name(tree):
    f = TransferRequestForm({"to_branch": "T1-H1-CS1-CD2"})
    assert not f.is_valid() and "to_name" in f.errors
    assert f.destinations == []


def test_it_suggests_the_active_branches_of_the_scope_but_the_members_own(tree, users):
    Organization.objects.filter(pk=tree.branch3.pk).update(status=Organization.Status.DISSOLVED)
    assert form(users.grassroots_approver, tree).destinations == [tree.branch2]
    assert form(users.province_admin, tree).destinations == [tree.branch2]
    assert form(users.secretary, tree).destinations == []


def test_a_form_request_across_provinces_is_accepted_by_the_receiving_province(tree, users):
    f = form(users.secretary, tree, to_branch="T2-CS1-CD1", to_name="chi doan khu pho 1", reason="Đi làm")
    assert f.is_valid(), f.errors
    transfer = services.request_transfer(member=tree.members[0], by=users.secretary, **f.cleaned_data)
    services.accept_transfer(transfer=transfer, by=users.outsider)
    member = Member.objects.get(pk=tree.members[0].pk)
    assert (member.branch, member.status) == (tree.branch_other, Member.Status.ACTIVE)


# Through the page.


def test_the_page_sends_a_member_to_another_province_and_the_receiver_accepts(tree, users, login, client):
    member = tree.members[0]
    response = login(users.secretary).post(
        url(member), {"to_branch": "t2-cs1-cd1", "to_name": "Chi đoàn Khu phố 1", "reason": "Đi làm xa"}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    client.force_login(users.outsider)
    assert client.post(reverse("members:transfer_decide", args=[transfer.pk, "nhan"])).status_code == 302
    member.refresh_from_db()
    assert (member.branch, member.status) == (tree.branch_other, Member.Status.ACTIVE)


@pytest.mark.parametrize(
    "data",
    [
        {"to_branch": "T2-CS1-CD1", "to_name": "Chi đoàn khu phố 9"},
        {"to_branch": "T9-KHONG-CO", "to_name": "Chi đoàn khu phố 1"},
    ],
)
def test_the_page_answers_a_miss_with_one_message_and_writes_nothing(tree, users, login, data):
    page = login(users.secretary).post(url(tree.members[0]), data).content.decode()
    assert NO_MATCH in page
    assert not Transfer.objects.exists()
    assert Member.objects.get(pk=tree.members[0].pk).status == Member.Status.ACTIVE


def test_the_page_without_a_name_outside_the_scope_asks_for_it(tree, users, login):
    page = login(users.secretary).post(url(tree.members[0]), {"to_branch": "T2-CS1-CD1"}).content.decode()
    assert "ghi thêm tên" in page and not Transfer.objects.exists()


def test_the_page_takes_an_in_scope_branch_by_code(tree, users, login):
    response = login(users.grassroots_approver).post(url(tree.members[0]), {"to_branch": "T1-H1-CS1-CD2"})
    assert response.status_code == 302 and Transfer.objects.get().to_branch == tree.branch2


def test_the_page_offers_the_branches_of_the_scope(tree, users, login):
    page = login(users.grassroots_approver).get(url(tree.members[0])).content.decode()
    assert '<datalist id="branch-codes">' in page and "T1-H1-CS1-CD2" in page and "T2-CS1-CD1" not in page
