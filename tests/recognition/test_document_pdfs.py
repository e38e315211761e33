"""PDFs of the recognition decision and of the evaluation minutes (issue 15): asked for on the
decision and registration pages, rendered by a worker with WeasyPrint, offered when ready,
rendered anew when the text changed, and served only inside the pages' scope (404 outside)."""

import io
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from evaluations.recognition import documents, services
from evaluations.recognition.models import RenderedDocument
from tests.factories import make_unit, wait_until
from tests.recognition.conftest import all_met

Kind = RenderedDocument.Kind
Status = RenderedDocument.Status


@pytest.fixture(autouse=True)
def _memory_broker(celery_app):
    """Queued renderings go to the in-memory broker; the tests run the worker's step themselves."""


def _text(document: RenderedDocument) -> str:
    with document.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    assert len(reader.pages) == document.pages >= 1
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _requested(kind, target, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        document = documents.request_pdf(kind=kind, target=target, by=by)
    return document, queued


def test_the_decision_pdf_reads_as_a_doan_decision(flow, users, django_capture_on_commit_callbacks):
    reg, decision = flow.decided()
    document, queued = _requested(Kind.DECISION, decision, users.district_approver, django_capture_on_commit_callbacks)
    assert document.status == Status.QUEUED and len(queued) == 1  # the worker is asked after commit
    document = documents.render(document_id=document.pk)
    assert document.status == Status.DONE, document.error
    text = _text(document)
    for words in (
        "ĐOÀN TNCS HỒ CHÍ MINH",
        "TỈNH ĐOÀN THÁI NGUYÊN",
        "HUYỆN ĐOÀN ĐẠI TỪ",
        "Số: 12-QĐ/HĐTN",
        "QUYẾT ĐỊNH",
        "Căn cứ Điều lệ Đoàn TNCS Hồ Chí Minh",
        "18-HD/TWĐTN-BTC",
        "Điều 1. Công nhận 1 đoàn cơ sở đạt “3 chủ động”",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "TM. BAN THƯỜNG VỤ",
        "Bí thư Huyện đoàn",
        "Đoàn xã Hùng Sơn",
    ):
        assert words in text, words
    assert f"ngày {decision.signed_on:%d} tháng {decision.signed_on:%m} năm {decision.signed_on.year}" in text
    assert document.file.name.endswith(".pdf") and documents.filename(document).startswith("quyet-dinh-3-chu-dong-")


def test_the_minutes_pdf_records_the_evaluation(flow, users, campaign, django_capture_on_commit_callbacks):
    reg = flow.evaluated(fail_number=2)
    document, _ = _requested(Kind.MINUTES, reg, users.district_approver, django_capture_on_commit_callbacks)
    text = _text(documents.render(document_id=document.pk))
    for words in (
        "BIÊN BẢN",
        "Kiểm tra, đánh giá đoàn cơ sở “3 chủ động”",
        "I. Thành phần",
        "Nguyễn Văn Theo Dõi",  # the cadre assigned to follow
        "III. Kết quả đánh giá theo tiêu chí",
        "Kế hoạch cụ thể 1",
        "Biên bản 2",  # the evidence of criterion 2
        "Không đạt",
        f"đạt 2/{campaign.criteria.count()} tiêu chí",
        "Chưa đủ điều kiện",
    ):
        assert words in text, words


def test_the_same_text_is_rendered_once_and_a_changed_one_again(flow, users, django_capture_on_commit_callbacks):
    _, decision = flow.decided()
    first, _ = _requested(Kind.DECISION, decision, users.district_approver, django_capture_on_commit_callbacks)
    again, queued = _requested(Kind.DECISION, decision, users.district_approver, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and not queued
    documents.render(document_id=first.pk)
    first.refresh_from_db()
    assert documents.is_current(first)
    decision.signer = "Phó Bí thư Huyện đoàn"
    decision.save()
    assert not documents.is_current(RenderedDocument.objects.get(pk=first.pk))
    fresh, queued = _requested(Kind.DECISION, decision, users.district_approver, django_capture_on_commit_callbacks)
    assert fresh.pk != first.pk and len(queued) == 1


def test_a_failed_rendering_says_why_and_may_be_asked_again(
    flow, users, monkeypatch, django_capture_on_commit_callbacks
):
    _, decision = flow.decided()
    document, _ = _requested(Kind.DECISION, decision, users.district_approver, django_capture_on_commit_callbacks)
    monkeypatch.setattr(documents, "html_of", lambda d: (_ for _ in ()).throw(OSError("hết dung lượng")))
    failed = documents.render(document_id=document.pk)
    assert failed.status == Status.FAILED and "hết dung lượng" in failed.error and not failed.file
    monkeypatch.undo()
    retried, queued = _requested(Kind.DECISION, decision, users.district_approver, django_capture_on_commit_callbacks)
    assert retried.pk != failed.pk and len(queued) == 1


# Pages: the panel, the request, the progress fragment, the download.


def _pdf_urls(document):
    return reverse("recognition:document", args=[document.pk]), reverse(
        "recognition:document_status", args=[document.pk]
    )


def test_the_decision_page_asks_follows_and_offers_the_pdf(flow, users, login, django_capture_on_commit_callbacks):
    _, decision = flow.decided()
    client = login(users.district_approver)
    page = reverse("recognition:decision", args=[decision.pk])
    assert "Tạo bản PDF" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("recognition:decision_pdf", args=[decision.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#pdf")
    document = RenderedDocument.objects.get(decision=decision)
    download, status = _pdf_urls(document)
    progress = client.get(status).content.decode()
    assert "hx-trigger" in progress and "Đang chờ" in progress  # the panel polls while queued
    assert client.get(download).status_code == 404  # not rendered yet
    documents.render(document_id=document.pk)
    finished = client.get(status).content.decode()
    assert "hx-trigger" not in finished and "Tải PDF" in finished
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="quyet-dinh-3-chu-dong-' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_registration_page_offers_minutes_only_once_evaluated(flow, users, login):
    reg = flow.accepted()
    client = login(users.district_approver)
    page = reverse("recognition:registration", args=[reg.pk])
    assert "Biên bản kiểm tra, đánh giá (PDF)" not in client.get(page).content.decode()
    response = client.post(reverse("recognition:minutes_pdf", args=[reg.pk]), follow=True)
    assert "chưa được kiểm tra, đánh giá: chưa có biên bản" in response.content.decode()
    assert not RenderedDocument.objects.exists()  # nothing half-written
    services.evaluation_save(registration=reg, scores=all_met(reg.campaign), by=users.district_approver)
    assert "Biên bản kiểm tra, đánh giá (PDF)" in client.get(page).content.decode()


def test_asking_takes_post_only(flow, users, login):
    _, decision = flow.decided()
    client = login(users.district_approver)
    assert client.get(reverse("recognition:decision_pdf", args=[decision.pk])).status_code == 405
    assert client.get(reverse("recognition:minutes_pdf", args=[decision.registrations.get().pk])).status_code == 405


@pytest.mark.parametrize(
    "who, decision_seen, minutes_seen",
    [
        ("district_approver", True, True),  # issued the decision, evaluated the registration
        ("province_approver", True, True),  # above both
        ("grassroots_secretary", False, True),  # the registrant: its own minutes, not the district's decision
        ("secretary", False, False),  # a chi đoàn under the registrant
        ("outsider", False, False),  # another province
    ],
)
def test_each_role_reaches_the_pdfs_of_its_scope_only(flow, users, login, who, decision_seen, minutes_seen):
    reg, decision = flow.decided()
    rendered = {}
    for kind, target in ((Kind.DECISION, decision), (Kind.MINUTES, reg)):
        rendered[kind] = documents.render(
            document_id=documents.request_pdf(kind=kind, target=target, by=users.district_approver).pk
        )
    client = login(getattr(users, who))
    for kind, seen, ask in (
        (Kind.DECISION, decision_seen, reverse("recognition:decision_pdf", args=[decision.pk])),
        (Kind.MINUTES, minutes_seen, reverse("recognition:minutes_pdf", args=[reg.pk])),
    ):
        download, status = _pdf_urls(rendered[kind])
        expected = 200 if seen else 404
        assert client.get(download).status_code == expected, (kind, "download")
        assert client.get(status).status_code == expected, (kind, "status")
        assert client.post(ask).status_code == (302 if seen else 404), (kind, "ask")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_requested_decision(celery_app, flow, users):
    _, decision = flow.decided()
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        document = documents.request_pdf(kind=Kind.DECISION, target=decision, by=users.district_approver)
        document = wait_until(document, lambda d: d.is_finished)
    assert document.status == Status.DONE, document.error
    assert document.pages >= 1 and document.file.storage.exists(document.file.name)


def test_the_pdf_panels_cost_the_same_queries_for_more_units(flow, users, login, tree, campaign):
    def decided(number: str, count: int):
        regs = [
            flow.evaluated(
                org=make_unit(tree.district, f"T1-H1-Q{number}{i}", f"Đoàn xã Số {i}", "co-so"), by=users.superuser
            )
            for i in range(count)
        ]
        return services.decision_issue(
            campaign=campaign,
            issued_by=tree.district,
            number=f"{number}-QĐ/HĐTN",
            signed_on=date.today(),
            signer="Bí thư Huyện đoàn",
            by=users.district_approver,
            outcomes=[services.Outcome(registration=r, recognised=True, reason="") for r in regs],
        )

    client = login(users.district_approver)
    costs = []
    for decision in (decided("1", 1), decided("2", 4)):
        documents.request_pdf(kind=Kind.DECISION, target=decision, by=users.district_approver)  # the panel reads it
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("recognition:decision", args=[decision.pk])).status_code == 200
        costs.append(len(queries))
    assert costs[0] == costs[1], costs
