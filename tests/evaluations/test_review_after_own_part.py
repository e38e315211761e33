"""Once the intermediate unit has decided the chi đoàn's own rating it has nothing left in the
batch: it may no longer approve in it nor send it back (which would return members the đoàn cơ sở
has not decided). The batch's actions are open only while the user still decides a waiting
subject, the same rule as the queue (rules.can_review)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evaluations import rules, selectors, services
from evaluations.models import Status, SubjectType
from tests.factories import make_user

from .conftest import intermediate_batch

pytestmark = pytest.mark.django_db

BUTTONS = ("Công nhận tất cả", "Trả lại đơn vị")


@pytest.fixture
def batch(tree, period):
    return intermediate_batch(period, tree)


@pytest.fixture
def own_part_done(batch, intermediate_approver):
    """The intermediate unit approved the chi đoàn; the member still waits for the đoàn cơ sở."""
    services.submission_approve(submission=batch, by=intermediate_approver)
    intermediate_approver._doanhub_posts = None
    batch.refresh_from_db()
    return batch


def _statuses(batch):
    batch.refresh_from_db()
    own = batch.assessments.get(subject_type=SubjectType.BRANCH)
    member = batch.assessments.get(subject_type=SubjectType.MEMBER)
    return batch.status, own.status, member.status


# --- the rule and the services ----------------------------------------------------------------


def test_the_rule_follows_what_is_left_to_decide(period, batch, intermediate_approver, direct_approver, users):
    assert rules.can_review(intermediate_approver, batch) and rules.can_review(direct_approver, batch)
    services.submission_approve(submission=batch, by=intermediate_approver)
    batch.refresh_from_db()
    assert not rules.can_review(intermediate_approver, batch)
    assert list(selectors.queue(intermediate_approver, period)) == []  # the queue says the same
    assert rules.can_review(direct_approver, batch) and rules.can_review(users.province_approver, batch)
    for user in (users.secretary, users.grassroots_approver, users.outsider):
        assert not rules.can_review(user, batch)
    services.submission_approve(submission=batch, by=direct_approver)
    batch.refresh_from_db()
    assert batch.status == Status.APPROVED and not rules.can_review(direct_approver, batch)


def test_the_intermediate_unit_cannot_return_once_its_part_is_decided(own_part_done, intermediate_approver):
    with pytest.raises(PermissionDenied, match="không quyết định phiếu nào đang chờ"):
        services.submission_return(submission=own_part_done, by=intermediate_approver, reason="Bổ sung")
    assert _statuses(own_part_done) == (Status.SUBMITTED, Status.APPROVED, Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=own_part_done, by=intermediate_approver)


def test_the_grassroots_still_returns_what_it_decides(own_part_done, direct_approver):
    services.submission_return(submission=own_part_done, by=direct_approver, reason="Thiếu biên bản")
    assert _statuses(own_part_done) == (Status.RETURNED, Status.APPROVED, Status.RETURNED)


# --- the page ----------------------------------------------------------------------------------


def _review(client, batch):
    response = client.get(reverse("evaluations:review", args=[batch.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_hides_the_actions_once_the_intermediate_part_is_decided(login, batch, intermediate_approver):
    client = login(intermediate_approver)
    assert all(text in _review(client, batch) for text in BUTTONS)
    services.submission_approve(submission=batch, by=intermediate_approver)
    body = _review(client, batch)
    assert not any(text in body for text in BUTTONS)
    assert 'name="ids"' not in body and 'aria-label="Chọn tất cả"' not in body  # no selection column
    own = batch.assessments.get(subject_type=SubjectType.BRANCH)
    assert "Đổi mức" in body.split(f'id="row-{own.pk}"')[1].split("</tr>")[0]  # its decision may still change


def test_the_grassroots_page_keeps_the_actions(login, own_part_done, direct_approver):
    body = _review(login(direct_approver), own_part_done)
    assert all(text in body for text in BUTTONS)


def test_forged_posts_of_the_intermediate_unit_are_refused(login, own_part_done, intermediate_approver):
    client = login(intermediate_approver)
    response = client.post(reverse("evaluations:return", args=[own_part_done.pk]), {"reason": "Bổ sung"})
    assert response.status_code == 403
    response = client.post(reverse("evaluations:approve", args=[own_part_done.pk]), {"everything": "1"})
    assert response.status_code == 403
    assert _statuses(own_part_done) == (Status.SUBMITTED, Status.APPROVED, Status.SUBMITTED)


@pytest.mark.parametrize(
    "who, status",
    [
        ("intermediate", 403),
        ("secretary", 403),  # the chi đoàn's own secretary sees its batch, decides nothing
        ("outsider", 404),
        ("direct", 302),
    ],
)
def test_return_after_the_intermediate_part_for_every_role(
    login, tree, users, own_part_done, intermediate_approver, direct_approver, who, status
):
    user = {
        "intermediate": intermediate_approver,
        "direct": direct_approver,
        "secretary": make_user("bithu.k20a.2", "secretary", tree.branch3),
        "outsider": users.outsider,
    }[who]
    response = login(user).post(reverse("evaluations:return", args=[own_part_done.pk]), {"reason": "Bổ sung"})
    assert response.status_code == status
    member_status = Status.RETURNED if status == 302 else Status.SUBMITTED
    assert _statuses(own_part_done)[2] == member_status


def test_an_inline_level_change_returns_a_row_matching_the_page(login, own_part_done, intermediate_approver):
    """After its part, the intermediate unit's page has no selection column: a row it changes
    comes back without one too."""
    own = own_part_done.assessments.get(subject_type=SubjectType.BRANCH)
    response = login(intermediate_approver).post(
        reverse("evaluations:review_change_level", args=[own_part_done.pk, own.pk]),
        {"level": "HTTNV", "reason": "Xét lại"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert "Đã đổi mức" in row and not re.search(r'<input type="checkbox"', row)
