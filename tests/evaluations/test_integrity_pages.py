"""Integrity flags where people see them: the approval queue (with "bỏ qua", audited) and the
province's ratings report."""

import pytest
from django.urls import reverse

from evaluations.models import FlagDismissal, Status
from organizations.audit import history
from reports.builders import ratings as ratings_builder

from .test_integrity import MIXED, new_branch, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(tree, period):
    return reported(period, new_branch(tree.grassroots, "T1-H1-CS1-CD9", 12), ["HTTNV"] * 12)


def queue_url(period):
    return reverse("evaluations:queue", args=[period.pk])


def dismiss_url(batch, code="one_level"):
    return reverse("evaluations:dismiss_flag", args=[batch.pk, code])


def test_it_shows_the_flag_with_its_numbers_on_the_queue(login, users, period, flagged):
    body = login(users.grassroots_approver).get(queue_url(period)).content.decode()
    assert "Mọi đoàn viên cùng một mức" in body and "Cả 12 đoàn viên của Chi đoàn T1-H1-CS1-CD9" in body
    assert dismiss_url(flagged) in body


def test_it_dismisses_a_flag_with_a_reason_and_keeps_it_shown_as_dismissed(login, users, period, flagged):
    client = login(users.grassroots_approver)
    response = client.post(dismiss_url(flagged), {"reason": "Đã họp kiểm tra: chi đoàn đều tốt"}, follow=True)
    body = response.content.decode()
    assert "Đã bỏ qua dấu hiệu “Mọi đoàn viên cùng một mức” của Chi đoàn T1-H1-CS1-CD9" in body
    assert "Đã bỏ qua: Mọi đoàn viên cùng một mức." in body
    assert "Đã bỏ qua bởi duyet.coso lúc" in body and "Đã họp kiểm tra: chi đoàn đều tốt" in body
    assert dismiss_url(flagged) not in body
    [entry] = [e for e in history(flagged) if e.action == "integrity_dismiss"]
    assert (entry.by, entry.from_state, entry.to_state) == (
        users.grassroots_approver,
        "Mọi đoàn viên cùng một mức",
        "Đã bỏ qua",
    )
    assert entry.reason.startswith("Đã họp kiểm tra: chi đoàn đều tốt (dấu hiệu: Cả 12 đoàn viên")


def test_it_refuses_a_blank_reason_and_a_second_dismissal(login, users, period, flagged):
    client = login(users.grassroots_approver)
    body = client.post(dismiss_url(flagged), {"reason": "   "}, follow=True).content.decode()
    assert "Lý do: Trường này là bắt buộc." in body or "Cần ghi lý do bỏ qua dấu hiệu." in body
    assert not FlagDismissal.objects.exists()
    client.post(dismiss_url(flagged), {"reason": "Đã kiểm tra"})
    body = client.post(dismiss_url(flagged), {"reason": "Lần nữa"}, follow=True).content.decode()
    assert "Dấu hiệu “Mọi đoàn viên cùng một mức” của Chi đoàn T1-H1-CS1-CD9 đã được bỏ qua." in body
    assert FlagDismissal.objects.count() == 1


def test_it_refuses_a_flag_the_batch_does_not_have(login, users, period, flagged):
    body = login(users.grassroots_approver).post(dismiss_url(flagged, "fast_entry"), {"reason": "x"}, follow=True)
    assert "không có dấu hiệu “Nhập nhanh hơn người nhập được”" in body.content.decode()
    assert not FlagDismissal.objects.exists()


def test_outside_the_scope_it_answers_404(login, users, flagged):
    for user in (users.outsider, users.secretary):  # another province; a sibling chi đoàn's secretary
        assert login(user).post(dismiss_url(flagged), {"reason": "x"}).status_code == 404
    assert not FlagDismissal.objects.exists()


def test_inside_the_scope_only_a_decider_may_dismiss(login, users, period, flagged):
    for user in (users.grassroots_secretary, users.province_staff):
        assert login(user).post(dismiss_url(flagged), {"reason": "x"}).status_code == 403
        assert "Cả 12 đoàn viên" not in login(user).get(queue_url(period)).content.decode()
    assert not FlagDismissal.objects.exists()


def test_it_rejects_get(login, users, flagged):
    assert login(users.grassroots_approver).get(dismiss_url(flagged)).status_code == 405


def test_the_queue_costs_the_same_queries_for_more_flagged_batches(
    login, tree, users, period, flagged, django_assert_max_num_queries
):
    def excellent_batch(code):  # its HTXSNV fills a quota: the quota history is read
        reported(period, new_branch(tree.grassroots, code, 12), ["HTNV"] * 12, own_level="HTXSNV")

    excellent_batch("T1-H1-CS1-C9")
    client = login(users.grassroots_approver)
    client.get(queue_url(period))  # session and content types cached, as on any later visit
    with django_assert_max_num_queries(30) as two:
        client.get(queue_url(period))
    for i in range(3):
        excellent_batch(f"T1-H1-CS1-C{i}")
    with django_assert_max_num_queries(len(two.captured_queries)):
        body = client.get(queue_url(period)).content.decode()
    assert body.count("Mức của chi đoàn cao hơn kết quả đoàn viên") == 0  # HTNV members support it
    assert body.count("Mọi đoàn viên cùng một mức") == 5


def test_the_province_report_lists_the_flags_and_their_dismissal(login, tree, users, period, flagged):
    login(users.grassroots_approver).post(dismiss_url(flagged), {"reason": "Đã kiểm tra tại chỗ"})
    other = new_branch(tree.grassroots, "T1-H1-CS1-CD8", 12)
    reported(period, other, ["HTTNV"] * 8 + ["KHTNV"] * 4, own_level="HTXSNV", status=Status.APPROVED)
    data = ratings_builder.build(root=tree.province, year=2026)
    table = next(t for t in data.tables if t.title == "Dấu hiệu cần xem lại, năm 2026")
    assert table.columns == ["Mã đơn vị", "Đơn vị", "Dấu hiệu", "Chi tiết", "Trạng thái"]
    by_unit = {row[0]: row for row in table.rows}
    assert by_unit["T1-H1-CS1-CD8"][2:4] == [
        "Mức của chi đoàn cao hơn kết quả đoàn viên",
        "Chi đoàn T1-H1-CS1-CD8 được xếp mức HTXSNV (hoàn thành xuất sắc nhiệm vụ) nhưng chỉ 8/12 đoàn viên "
        "(66,7%) hoàn thành nhiệm vụ trở lên; chi đoàn HTXSNV cần từ 90,0%.",
    ]
    assert by_unit["T1-H1-CS1-CD8"][4] == "Chưa xem xét"
    assert by_unit["T1-H1-CS1-CD9"][4].startswith("Đã bỏ qua bởi duyet.coso lúc ")
    assert by_unit["T1-H1-CS1-CD9"][4].endswith(": Đã kiểm tra tại chỗ")
    other_province = ratings_builder.build(root=tree.province2, year=2026)
    assert not [t for t in other_province.tables if t.title.startswith("Dấu hiệu")]


def test_a_report_without_flags_has_no_flags_table(tree, users, period):
    reported(period, new_branch(tree.grassroots, "T1-H1-CS1-CD9", 12), MIXED, status=Status.APPROVED)
    data = ratings_builder.build(root=tree.province, year=2026)
    assert not [t for t in data.tables if t.title.startswith("Dấu hiệu")]


def test_the_review_page_shows_the_flags_to_its_deciders_only(login, users, flagged):
    url = reverse("evaluations:review", args=[flagged.pk])
    client = login(users.grassroots_approver)
    assert "Cả 12 đoàn viên của Chi đoàn T1-H1-CS1-CD9" in client.get(url).content.decode()
    response = client.post(dismiss_url(flagged), {"reason": "Đã kiểm tra", "back": "review"})
    assert response.status_code == 302 and response.url == url
    assert "Cả 12 đoàn viên" not in login(users.grassroots_secretary).get(url).content.decode()
