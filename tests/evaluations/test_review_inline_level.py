"""Đổi mức from a row of the review table (htmx): the page post, refusals, scope and roles.
The service itself is tested in test_services_flow.py."""

import pytest
from django.urls import reverse

from evaluations.models import Assessment, Status, SubjectType
from organizations.audit import history
from tests.factories import make_user

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def submission(tree, users, period):
    return fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])


@pytest.fixture
def target(tree, submission):
    return Assessment.objects.get(member__in=tree.members, proposed_level="HTTNV")


def _url(submission, assessment):
    return reverse("evaluations:review_change_level", args=[submission.pk, assessment.pk])


def test_the_review_table_offers_the_control_on_each_row_it_decides(login, users, submission, target):
    body = login(users.grassroots_approver).get(reverse("evaluations:review", args=[submission.pk])).content.decode()
    assert body.count("Lưu mức mới") == 4 and f'action="{_url(submission, target)}"' in body
    assert f'hx-post="{_url(submission, target)}"' in body and 'hx-target="closest tr"' in body
    assert 'form="approve-form"' in body  # the row forms sit outside the approve form, which still gets the ticks


def test_the_secretary_sees_no_control(login, users, submission):
    body = login(users.secretary).get(reverse("evaluations:review", args=[submission.pk])).content.decode()
    assert "Lưu mức mới" not in body and "Công nhận tất cả" not in body


def test_an_htmx_post_changes_the_level_and_answers_the_row(login, users, submission, target):
    response = login(users.grassroots_approver).post(
        _url(submission, target), {"level": "HTXSNV", "reason": "Thành tích tình nguyện nổi bật"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr data-testid="review-row" id="row-{target.pk}"')
    assert "Đã đổi mức" in body and ">HTXSNV</span>" in body
    assert 'id="quota-meters" hx-swap-oob="true"' in body and "Chỉ tiêu HTXSNV" in body
    target.refresh_from_db()
    assert (target.final_level, target.status) == ("HTXSNV", Status.SUBMITTED)
    change = history(target).get(action="change_level")
    assert (change.by, change.reason) == (users.grassroots_approver, "Thành tích tình nguyện nổi bật")


def test_a_plain_post_goes_back_to_the_page_with_a_message(login, users, submission, target):
    response = login(users.grassroots_approver).post(
        _url(submission, target), {"level": "HTNV", "reason": "Vắng 3 buổi"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("evaluations:review", args=[submission.pk])
    assert "Đã đổi mức xếp loại" in response.content.decode()
    target.refresh_from_db()
    assert target.final_level == "HTNV"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "XUATSAC", "reason": "Giả mạo"}, "lựa chọn hợp lệ"),
        ({"level": "HTNV", "reason": ""}, "bắt buộc"),
        ({"reason": "Không có mức"}, "bắt buộc"),
    ],
)
def test_a_forged_or_incomplete_post_is_refused_in_the_row(login, users, submission, target, data, message):
    response = login(users.grassroots_approver).post(_url(submission, target), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422 and message in body.lower()
    assert '<details class="mt-1" open>' in body  # the control stays open with what was entered
    if data.get("reason"):
        assert f'value="{data["reason"]}"' in body
    target.refresh_from_db()
    assert target.final_level == "" and not history(target).filter(action="change_level").exists()


def test_a_refusal_by_the_service_is_shown_in_the_row(login, tree, users, submission, target):
    client = login(users.grassroots_approver)
    excellent = Assessment.objects.get(member__in=tree.members, proposed_level="HTXSNV")
    client.post(reverse("evaluations:approve", args=[submission.pk]), {"ids": [excellent.pk, target.pk]})
    # 20 % of the cơ sở's 5 members is 1 place, already given: a second HTXSNV is over the quota
    response = client.post(_url(submission, target), {"level": "HTXSNV", "reason": "Xét lại"}, **HTMX)
    assert response.status_code == 422 and "Vượt chỉ tiêu HTXSNV" in response.content.decode()
    target.refresh_from_db()
    assert target.final_level == "HTTNV"


def test_a_row_of_another_batch_is_not_found(login, tree, users, period, submission):
    other = fill_and_submit(period, tree.branch2, make_user("bt2", "secretary", tree.branch2), ["HTTNV"] * 2)
    stranger = other.assessments.filter(subject_type=SubjectType.MEMBER).first()
    response = login(users.grassroots_approver).post(
        reverse("evaluations:review_change_level", args=[submission.pk, stranger.pk]),
        {"level": "HTNV", "reason": "x"},
        **HTMX,
    )
    assert response.status_code == 404


def test_outside_the_scope_it_is_not_found(login, users, submission, target):
    response = login(users.outsider).post(_url(submission, target), {"level": "HTNV", "reason": "x"}, **HTMX)
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.final_level == ""


@pytest.mark.parametrize("who", ["secretary", "grassroots_secretary", "province_staff"])
def test_roles_that_do_not_decide_are_refused(login, users, submission, target, who):
    response = login(getattr(users, who)).post(_url(submission, target), {"level": "HTNV", "reason": "x"}, **HTMX)
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["grassroots_approver", "district_approver", "province_approver"])
def test_deciders_at_the_unit_or_above_may_change(login, users, submission, target, who):
    response = login(getattr(users, who)).post(_url(submission, target), {"level": "HTNV", "reason": "Xét lại"}, **HTMX)
    assert response.status_code == 200


def test_it_rejects_get(login, users, submission, target):
    assert login(users.grassroots_approver).get(_url(submission, target)).status_code == 405


def test_the_intermediate_unit_changes_its_chi_doan_but_not_the_members(login, tree, period):
    secretary = make_user("bithu.k20a", "secretary", tree.branch3)
    batch = fill_and_submit(period, tree.branch3, secretary, ["HTTNV"], own_level="HTTNV")
    client = login(make_user("duyet.khoatoan", "approver", tree.intermediate))
    own = batch.assessments.get(subject_type=SubjectType.BRANCH)
    member = batch.assessments.get(subject_type=SubjectType.MEMBER)
    data = {"level": "HTNV", "reason": "Sinh hoạt chưa đều"}
    assert client.post(_url(batch, own), data, **HTMX).status_code == 200
    assert client.post(_url(batch, member), data, **HTMX).status_code == 403


def test_the_review_page_query_count_does_not_grow_with_the_batch(
    login, tree, users, period, django_assert_max_num_queries
):
    from tests.factories import MemberFactory

    MemberFactory.create_batch(12, branch=tree.branch2)
    batch = fill_and_submit(period, tree.branch2, make_user("bt2", "secretary", tree.branch2), ["HTTNV"] * 14)
    client = login(users.grassroots_approver)
    with django_assert_max_num_queries(25):
        body = client.get(reverse("evaluations:review", args=[batch.pk])).content.decode()
    assert body.count('data-testid="review-row"') == 15
