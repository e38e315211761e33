"""A chi đoàn under an intermediate unit (chi đoàn cơ sở, đoàn bộ phận): Hướng dẫn 33 has the
level directly above decide an organisation and the đoàn cơ sở decide members, so the
intermediate unit decides the chi đoàn's own rating and the đoàn cơ sở its members. The queue,
the review page, approve and return all follow each subject's deciding unit."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evaluations import inbox, selectors, services
from evaluations.models import Assessment, Status
from organizations.audit import history

from .conftest import fill_and_submit, intermediate_batch, member_part, own_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(tree, period):
    return intermediate_batch(period, tree)


def test_the_batch_is_queued_for_the_intermediate_unit_and_the_grassroots(
    period, batch, intermediate_approver, direct_approver, users
):
    assert list(selectors.queue(intermediate_approver, period)) == [batch]
    assert list(selectors.queue(direct_approver, period)) == [batch]
    assert list(selectors.queue(users.grassroots_approver, period)) == []  # another cơ sở
    [item] = inbox.items(intermediate_approver, today=date(2026, 11, 1))
    assert item.count == 1


def test_the_intermediate_unit_approves_the_chi_doan_only(batch, intermediate_approver):
    assert services.submission_approve(submission=batch, by=intermediate_approver) == 1
    assert own_part(batch).status == Status.APPROVED and member_part(batch).status == Status.SUBMITTED
    batch.refresh_from_db()
    assert batch.status == Status.SUBMITTED  # the members still wait for the đoàn cơ sở
    with pytest.raises(PermissionDenied):
        services.assessments_approve(assessments=[member_part(batch)], by=intermediate_approver)


def test_once_its_part_is_decided_the_batch_leaves_the_intermediate_queue(
    period, batch, intermediate_approver, direct_approver
):
    services.submission_approve(submission=batch, by=intermediate_approver)
    intermediate_approver._doanhub_posts = None
    assert list(selectors.queue(intermediate_approver, period)) == []
    assert list(selectors.queue(direct_approver, period)) == [batch]
    services.submission_approve(submission=batch, by=direct_approver)
    batch.refresh_from_db()
    assert batch.status == Status.APPROVED and member_part(batch).status == Status.APPROVED


def test_the_grassroots_above_may_still_decide_everything(batch, direct_approver):
    """The level above the deciding unit may decide too (rules.can_decide: at the unit or above)."""
    assert services.submission_approve(submission=batch, by=direct_approver) == 2


def test_the_intermediate_unit_may_send_the_batch_back(tree, batch, intermediate_approver):
    services.submission_return(submission=batch, by=intermediate_approver, reason="Tự đánh giá chưa đủ")
    batch.refresh_from_db()
    assert batch.status == Status.RETURNED
    assert set(batch.assessments.values_list("status", flat=True)) == {Status.RETURNED}
    entry = history(batch).get(action="return")
    assert (entry.by, entry.organization, entry.reason) == (
        intermediate_approver,
        tree.intermediate,
        "Tự đánh giá chưa đủ",
    )


def test_others_cannot_approve_or_return(tree, period, batch, users, intermediate_approver):
    for user in (users.grassroots_approver, users.outsider, users.secretary):
        with pytest.raises(PermissionDenied):
            services.submission_approve(submission=batch, by=user)
        with pytest.raises(PermissionDenied):
            services.submission_return(submission=batch, by=user, reason="x")
    # and the intermediate unit decides nothing in a chi đoàn outside it
    other = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=other, by=intermediate_approver)


def _checkbox(row_html):
    return re.search(r'<input type="checkbox"[^>]*>', row_html).group(0)


def test_the_review_page_shows_members_read_only_to_the_intermediate_unit(login, tree, batch, intermediate_approver):
    body = login(intermediate_approver).get(reverse("evaluations:review", args=[batch.pk])).content.decode()
    own, member = own_part(batch), member_part(batch)
    own_row = body.split(f'id="row-{own.pk}"')[1].split("</tr>")[0]
    member_row = body.split(f'id="row-{member.pk}"')[1].split("</tr>")[0]
    assert "disabled" not in _checkbox(own_row) and "Đổi mức" in own_row
    assert "disabled" in _checkbox(member_row) and "Đổi mức" not in member_row
    assert f"Do {tree.direct.name} công nhận" in member_row
    assert "Công nhận tất cả" in body and "Trả lại đơn vị" in body


def test_the_page_approves_only_what_the_intermediate_unit_decides(login, batch, intermediate_approver):
    client = login(intermediate_approver)
    response = client.post(reverse("evaluations:approve", args=[batch.pk]), {"everything": "1"}, follow=True)
    assert "Đã công nhận 1 phiếu" in response.content.decode()
    assert member_part(batch).status == Status.SUBMITTED


def test_a_forged_member_id_is_refused_by_the_form(login, batch, intermediate_approver):
    client = login(intermediate_approver)
    response = client.post(
        reverse("evaluations:approve", args=[batch.pk]), {"ids": [member_part(batch).pk]}, follow=True
    )
    assert "lựa chọn hợp lệ" in response.content.decode().lower()
    assert not Assessment.objects.filter(status=Status.APPROVED).exists()


def test_the_page_return_works_for_the_intermediate_unit(login, batch, intermediate_approver):
    response = login(intermediate_approver).post(reverse("evaluations:return", args=[batch.pk]), {"reason": "Bổ sung"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == Status.RETURNED


def test_the_intermediate_queue_page_lists_the_batch(login, tree, period, batch, intermediate_approver):
    body = login(intermediate_approver).get(reverse("evaluations:queue", args=[period.pk])).content.decode()
    assert tree.branch3.name in body and reverse("evaluations:review", args=[batch.pk]) in body
