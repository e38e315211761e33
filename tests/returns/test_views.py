import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Assessment
from evaluations.services import assessment_reopen
from organizations.audit import history
from reports.returns.models import Return

Status = Return.Status


def test_the_report_page_offers_gui_cap_tren_to_the_units_officers_only(done_job, users, login, tw_staff):
    url = reverse("reports:job", args=[done_job.pk])
    assert 'data-testid="send-up"' in login(users.province_staff).get(url).content.decode()
    assert 'data-testid="send-up"' not in login(tw_staff).get(url).content.decode()  # in scope, not of T1


def test_gui_cap_tren_freezes_the_job_and_opens_the_return(done_job, users, login):
    response = login(users.province_staff).post(reverse("returns:submit_job", args=[done_job.pk]))
    ret = Return.objects.get()
    assert response.status_code == 302 and response.url == reverse("returns:detail", args=[ret.pk])
    assert ret.data == done_job.result and ret.version == 1 and ret.source == Return.Source.JOB


def test_gui_cap_tren_refuses_get_others_and_out_of_scope(done_job, users, login, tw_staff):
    url = reverse("returns:submit_job", args=[done_job.pk])
    assert login(users.province_staff).get(url).status_code == 405
    assert login(users.outsider).post(url).status_code == 404
    assert login(tw_staff).post(url).status_code == 403
    assert not Return.objects.exists()


def test_the_return_page_shows_the_frozen_figures_to_its_scope(submit, users, login, django_assert_max_num_queries):
    ret = submit()
    submit()  # a second version
    url = reverse("returns:detail", args=[ret.pk])
    for who in (users.district_approver, users.province_staff):
        with django_assert_max_num_queries(30) as two_versions:
            page = login(who).get(url).content.decode()
        assert "bản số 1" in page and "Đã có bản thay thế" in page and ret.data["narrative"][0] in page
    submit(), submit()  # four versions listed: not one query more
    with django_assert_max_num_queries(len(two_versions.captured_queries)):
        login(users.province_staff).get(url)
    assert login(users.outsider).get(url).status_code == 404
    assert login(users.grassroots_approver).get(url).status_code == 404  # below the district: not its scope


def test_only_the_receivers_officers_see_and_use_the_decision(submit, users, login):
    ret = submit()
    detail = reverse("returns:detail", args=[ret.pk])
    assert 'data-testid="decide"' in login(users.province_approver).get(detail).content.decode()
    assert 'data-testid="decide"' not in login(users.district_approver).get(detail).content.decode()
    accept = reverse("returns:accept", args=[ret.pk])
    assert login(users.district_approver).post(accept).status_code == 403
    assert login(users.outsider).post(accept).status_code == 404
    assert login(users.province_approver).get(accept).status_code == 405
    assert login(users.province_approver).post(accept).status_code == 302
    ret.refresh_from_db()
    assert ret.status == Status.ACCEPTED
    again = login(users.province_approver).post(accept, follow=True).content.decode()
    assert "không thể xử lý lại" in again


def test_sending_back_without_a_reason_says_so_and_changes_nothing(submit, users, login):
    ret = submit()
    url = reverse("returns:send_back", args=[ret.pk])
    page = login(users.province_staff).post(url, {"reason": ""}, follow=True).content.decode()
    ret.refresh_from_db()
    assert "Cần ghi lý do trả lại báo cáo." in page and ret.status == Status.SUBMITTED
    assert [e.action for e in history(ret)] == ["return_submit"]
    login(users.province_staff).post(url, {"reason": "Số chi đoàn chưa khớp"})
    ret.refresh_from_db()
    assert ret.status == Status.RETURNED and ret.decision_reason == "Số chi đoàn chưa khớp"
    page = login(users.district_approver).get(reverse("returns:detail", args=[ret.pk])).content.decode()
    assert "Số chi đoàn chưa khớp" in page


def test_the_compare_page_highlights_changed_cells_and_says_why(
    submit, ratings, users, login, django_assert_max_num_queries
):
    first = submit(root=ratings.province, by=users.province_staff)
    assessment = Assessment.objects.get(member=ratings.members[0], period__year=2025)
    assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="Đơn khiếu nại")
    second = submit(root=ratings.province, by=users.province_staff)
    client = login(users.province_staff)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("returns:compare", args=[first.pk, second.pk])).content.decode()
    assert 'data-changed="1"' in page and "<del" in page
    assert "kết quả xếp loại mở lại" in page and "lý do: Đơn khiếu nại" in page
    assert login(users.outsider).get(reverse("returns:compare", args=[first.pk, second.pk])).status_code == 404


def test_two_returns_of_different_units_are_not_compared(submit, ratings, users, login):
    district, province = submit(), submit(root=ratings.province, by=users.province_staff)
    page = login(users.province_staff).get(reverse("returns:compare", args=[district.pk, province.pk]), follow=True)
    assert "cùng một đơn vị" in page.content.decode()


def test_the_workbook_carries_the_version_and_sending_time_at_every_foot(submit, users, login):
    ret = submit()
    submit()  # version 2
    response = login(users.province_staff).get(reverse("returns:download", args=[ret.pk, "xlsx"]))
    assert response.status_code == 200 and "ban-1.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    feet = {ws.oddFooter.left.text for ws in workbook.worksheets}
    assert feet == {ret.footer()} and "bản số 1, gửi lúc" in ret.footer()
    assert login(users.outsider).get(reverse("returns:download", args=[ret.pk, "xlsx"])).status_code == 404
    assert login(users.province_staff).get(reverse("returns:download", args=[ret.pk, "docx"])).status_code == 404


def test_the_pdf_carries_the_footer_on_its_pages(submit, users, login):
    from weasyprint import HTML

    from reports import pdf
    from reports.serialize import from_json

    ret = submit()
    document = HTML(string=pdf.html(from_json(ret.data), footer=ret.footer())).render()

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from texts(child)

    assert all(ret.footer() in list(texts(page._page_box)) for page in document.pages)
    response = login(users.province_staff).get(reverse("returns:download", args=[ret.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_receivers_page_lists_each_child_with_its_state(
    submit, ratings, users, login, django_assert_max_num_queries
):
    ret = submit()
    client = login(users.province_staff)
    url = reverse("returns:received", args=[ratings.province.code]) + "?kind=ratings&year=2025"
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert ratings.district.name in page and ratings.direct.name in page
    assert reverse("returns:detail", args=[ret.pk]) in page and "Chưa gửi" in page
    assert login(users.outsider).get(url).status_code == 404


def test_the_receivers_page_explains_a_bad_year(ratings, users, login):
    url = reverse("returns:received", args=[ratings.province.code]) + "?kind=ratings&year=1800"
    assert "Năm phải từ 2000 đến 2100." in login(users.province_staff).get(url, follow=True).content.decode()


def test_a_deadline_is_set_on_the_receivers_page_by_its_officers(ratings, users, login, tw_staff):
    url = reverse("returns:received", args=[ratings.province.code])
    data = {"kind": "ratings", "year": 2025, "due_on": "20/11/2025"}
    assert login(users.district_approver).post(url, data).status_code == 404  # below: T1 is not in its scope
    assert login(tw_staff).post(url, data).status_code == 403  # above: sees T1, is not its officer
    response = login(users.province_staff).post(url, data)
    assert response.status_code == 302
    page = login(users.province_staff).get(response.url).content.decode()
    assert "20/11/2025" in page
    bad = login(users.province_staff).post(url, {**data, "due_on": "31/02/2025"}).content.decode()
    assert "Hạn gửi phải là ngày dạng dd/mm/yyyy." in bad


def test_the_inbox_lists_returns_waiting_for_the_viewer(submit, users, login):
    from reports.returns import inbox, services

    ret = submit()
    assert [i.count for i in inbox.items(users.province_approver)] == [1]
    assert inbox.items(users.district_approver) == []
    services.send_back(ret=ret, by=users.province_approver, reason="Sai số")
    assert inbox.items(users.province_approver) == []
    assert [(i.count, i.urgent) for i in inbox.items(users.district_approver)] == [(1, True)]
    submit()  # the corrected version: nothing left to correct
    assert inbox.items(users.district_approver) == []
    assert "chờ tiếp nhận" in login(users.province_approver).get(reverse("home")).content.decode()


@pytest.mark.parametrize("who", ["outsider", "nopost"])
def test_the_index_shows_nothing_of_others(submit, users, login, who):
    submit()
    page = login(getattr(users, who)).get(reverse("returns:index")).content.decode()
    assert "Huyện đoàn Đại Từ" not in page
