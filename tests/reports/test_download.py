from unittest import mock

from django.urls import reverse
from django.utils.text import slugify

from organizations.text import fold
from reports.services import pdf_state, render_pdf, request_job, run_job


def test_it_downloads_the_workbook_in_scope(done_job, users, login):
    response = login(users.province_approver).get(reverse("reports:download", args=[done_job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    # the name an officer files it under: kind, year and unit in plain Vietnamese words
    name = f"bao-cao-xep-loai-{done_job.year}-{slugify(fold(done_job.root.name))}.xlsx"
    assert name in response["Content-Disposition"] and name.startswith("bao-cao-xep-loai-2025-tinh-doan-")


def test_it_is_404_outside_scope(done_job, users, login):
    assert login(users.outsider).get(reverse("reports:download", args=[done_job.pk])).status_code == 404
    assert login(users.nopost).get(reverse("reports:download", args=[done_job.pk])).status_code == 404


def test_it_is_404_before_the_file_exists(ratings, users, login):
    job = request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    assert login(users.province_staff).get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_it_streams_the_workbook_from_storage_and_is_404_once_it_is_gone(done_job, users, login):
    client = login(users.province_staff)
    response = client.get(reverse("reports:download", args=[done_job.pk]))
    assert response.status_code == 200 and response.streaming  # through the view, never a redirect to the store
    assert b"".join(response.streaming_content)[:2] == b"PK"
    done_job.file.storage.delete(done_job.file.name)
    assert client.get(reverse("reports:download", args=[done_job.pk])).status_code == 404


def _pdf_fragment(client, job) -> str:
    return client.get(reverse("reports:pdf", args=[job.pk])).content.decode()


def test_the_pdf_follows_the_done_job_and_the_page_offers_it_once_stored(done_job, users, login):
    client = login(users.province_approver)
    page = client.get(reverse("reports:job", args=[done_job.pk])).content.decode()
    download = reverse("reports:download_pdf", args=[done_job.pk])
    # Done without waiting for the PDF: the workbook now, the PDF's place polled meanwhile.
    assert reverse("reports:download", args=[done_job.pk]) in page and download not in page
    assert "Đang tạo bản PDF…" in page and 'hx-trigger="every 2s"' in page
    assert client.get(download).status_code == 404
    render_pdf(job_id=done_job.pk)  # the follow-up task's step
    fragment = _pdf_fragment(client, done_job)
    assert download in fragment and "Tải PDF" in fragment and "hx-trigger" not in fragment
    response = client.get(download)
    assert response.status_code == 200 and ".pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert download in client.get(reverse("reports:job", args=[done_job.pk])).content.decode()


def test_the_job_enqueues_its_pdf_after_commit_and_is_done_before_it(
    ratings, users, django_capture_on_commit_callbacks
):
    sent = []
    with mock.patch("reports.tasks.render_report_pdf.delay", side_effect=sent.append):
        job = request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
        with django_capture_on_commit_callbacks(execute=True):
            job = run_job(job_id=job.pk)
    assert job.status == "done" and sent == [job.pk]
    assert pdf_state(job) == "pending"


def test_a_rerun_removes_the_old_pdf_until_its_own_is_rendered(done_job, users, login):
    render_pdf(job_id=done_job.pk)
    assert pdf_state(done_job) == "ready"
    job = run_job(job_id=done_job.pk)
    assert pdf_state(job) == "pending"
    assert login(users.province_staff).get(reverse("reports:download_pdf", args=[job.pk])).status_code == 404


def test_a_pdf_of_an_earlier_run_is_not_stored_over_a_newer_one(done_job):
    from reports import pdf

    real = pdf.render

    def rerun_meanwhile(data, *, by):  # the job is run again while its first PDF is rendered
        out = real(data, by=by)
        run_job(job_id=done_job.pk)
        return out

    with mock.patch.object(pdf, "render", side_effect=rerun_meanwhile):
        render_pdf(job_id=done_job.pk)
    done_job.refresh_from_db()
    assert done_job.runs == 2 and pdf_state(done_job) == "pending"


def test_a_pdf_that_cannot_be_rendered_is_said_on_the_page(done_job, users, login):
    with mock.patch("reports.pdf.write_pdf", side_effect=OSError("thiếu phông chữ")):
        render_pdf(job_id=done_job.pk)
    fragment = _pdf_fragment(login(users.province_staff), done_job)
    assert (
        "Không tạo được bản PDF: OSError: thiếu phông chữ. Bấm “Chạy lại”" in fragment and "hx-trigger" not in fragment
    )
    done_job.refresh_from_db()
    assert done_job.status == "done"  # the figures and the workbook stay


def test_the_pdf_fragment_is_404_outside_scope_and_rejects_post(done_job, users, login):
    assert login(users.outsider).get(reverse("reports:pdf", args=[done_job.pk])).status_code == 404
    assert login(users.province_staff).post(reverse("reports:pdf", args=[done_job.pk])).status_code == 405


def test_the_pdf_is_404_outside_scope_and_before_the_job_ran(done_job, ratings, users, login):
    render_pdf(job_id=done_job.pk)
    assert login(users.outsider).get(reverse("reports:download_pdf", args=[done_job.pk])).status_code == 404
    job = request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    assert login(users.province_staff).get(reverse("reports:download_pdf", args=[job.pk])).status_code == 404
