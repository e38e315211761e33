"""The minutes of a chi đoàn's rating review meeting as a PDF (issue 15): asked for on the chi
đoàn's rating page by its secretary or an officer above, rendered by the worker, downloaded
behind the page's scope (404 outside), its text drawn from the sent batch."""

import io
from dataclasses import replace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluations import minutes, services
from evaluations.models import ReviewMinutes

from .conftest import MINUTES, fill

pytestmark = pytest.mark.django_db
LEVELS = ["HTXSNV", "HTTNV", "HTTNV"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent(period, tree, users):
    fill(period, tree.branch, users.secretary, LEVELS, own_level="HTTNV")
    signed = replace(MINUTES, chair_name="Nguyễn Văn Chủ", clerk_name="Lê Thị Ký", attendance_total=4)
    return services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=signed)


def _page(period, unit):
    return reverse("evaluations:unit", args=[period.pk, unit.code])


def _ask(period, unit):
    return reverse("evaluations:minutes_pdf", args=[period.pk, unit.code])


def _text(document: ReviewMinutes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(document.file.path).pages)


def test_the_minutes_hold_the_meeting_the_members_proposals_and_the_signers(sent, tree):
    document = minutes.render(document_id=minutes.request_pdf(submission=sent, by=None).pk)
    assert document.status == ReviewMinutes.Status.DONE and 1 <= document.pages <= 2
    text = _text(document)
    assert "BIÊN BẢN" in text and "Họp chi đoàn đánh giá, xếp loại chất lượng đoàn viên năm 2026" in text
    assert "ĐOÀN XÃ HÙNG SƠN" in text and "CHI ĐOÀN THÔN ĐỒNG TÂM" in text and "ngày 20 tháng 10 năm 2026" in text
    assert "triệu tập: 4; có mặt: 3; vắng mặt: 1" in text
    for member in tree.members:
        assert member.full_name in text
    assert "Hoàn thành xuất sắc nhiệm vụ: 1 đồng chí (33,3%)" in text
    assert "Hoàn thành tốt nhiệm vụ: 2 đồng chí (66,7%)" in text and "Không hoàn thành nhiệm vụ: 0 đồng chí" in text
    assert "3 tán thành, 0 không tán thành" in text
    assert "Thư ký" in text and "Lê Thị Ký" in text and "Chủ trì" in text and "Nguyễn Văn Chủ" in text
    assert minutes.filename(document) == "bien-ban-hop-xep-loai-2026-t1-h1-cs1-cd1.pdf"


def test_the_same_text_is_not_rendered_twice_and_a_decision_makes_it_stale(sent, users):
    first = minutes.render(document_id=minutes.request_pdf(submission=sent, by=users.secretary).pk)
    assert minutes.request_pdf(submission=sent, by=users.secretary).pk == first.pk
    assert minutes.is_current(first)
    # The đoàn cơ sở decides: the minutes now show the levels it recognised, so the PDF is stale.
    services.submission_approve(submission=sent, by=users.grassroots_approver, decision_number="12-QĐ/ĐTN")
    assert not minutes.is_current(ReviewMinutes.objects.get(pk=first.pk))
    again = minutes.render(document_id=minutes.request_pdf(submission=sent, by=users.secretary).pk)
    assert again.pk != first.pk and "Cấp trên công nhận" in _text(again)


def test_no_minutes_before_the_batch_went_up(period, tree, users, login):
    fill(period, tree.branch, users.secretary, LEVELS)
    client = login(users.secretary)
    assert 'data-testid="pdf-panel"' not in client.get(_page(period, tree.branch)).content.decode()
    response = client.post(_ask(period, tree.branch), follow=True)
    assert "chưa gửi hồ sơ xếp loại: chưa có biên bản họp" in response.content.decode()
    assert not ReviewMinutes.objects.exists()


@pytest.mark.parametrize("who", ["secretary", "grassroots_approver", "district_approver", "province_staff"])
def test_the_secretary_and_the_officers_above_ask_for_it_and_download_it(sent, period, tree, users, login, who):
    client = login(getattr(users, who))
    page = client.get(_page(period, tree.branch)).content.decode()
    assert 'data-testid="pdf-panel"' in page and "Tạo bản PDF" in page
    response = client.post(_ask(period, tree.branch))
    assert response.status_code == 302 and response.url.endswith("#pdf")
    document = ReviewMinutes.objects.get()
    status = client.get(reverse("evaluations:minutes_status", args=[document.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in status  # queued: the panel polls
    assert client.get(reverse("evaluations:minutes_download", args=[document.pk])).status_code == 404  # not yet
    minutes.render(document_id=document.pk)  # the worker's step
    status = client.get(reverse("evaluations:minutes_status", args=[document.pk])).content.decode()
    assert "every 1s" not in status and "Tải PDF" in status
    download = client.get(reverse("evaluations:minutes_download", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "bien-ban-hop-xep-loai-2026" in download["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) >= 1


def test_it_is_404_outside_the_chi_doan(sent, period, tree, users, login):
    document = minutes.render(document_id=minutes.request_pdf(submission=sent, by=users.secretary).pk)
    for who in ("outsider", "nopost"):
        client = login(getattr(users, who))
        assert client.post(_ask(period, tree.branch)).status_code == 404
        assert client.get(reverse("evaluations:minutes_status", args=[document.pk])).status_code == 404
        assert client.get(reverse("evaluations:minutes_download", args=[document.pk])).status_code == 404


def test_a_sibling_chi_doan_secretary_gets_404(sent, period, tree, users, login):
    from tests.factories import make_user

    other = make_user("bithu.tanlap", "secretary", tree.branch2)
    document = minutes.render(document_id=minutes.request_pdf(submission=sent, by=users.secretary).pk)
    assert login(other).get(reverse("evaluations:minutes_download", args=[document.pk])).status_code == 404


def test_it_refuses_the_wrong_methods(sent, period, tree, users, login):
    client = login(users.secretary)
    assert client.get(_ask(period, tree.branch)).status_code == 405
    document = minutes.request_pdf(submission=sent, by=users.secretary)
    assert client.post(reverse("evaluations:minutes_download", args=[document.pk])).status_code == 405


def test_the_minutes_cost_a_fixed_number_of_queries(sent, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the batch's members, the chi đoàn's own, its parent
        minutes.html(sent)
