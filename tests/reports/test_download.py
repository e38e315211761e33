from django.urls import reverse

from reports.services import request_job


def test_it_downloads_the_workbook_in_scope(done_job, users, login):
    response = login(users.province_approver).get(reverse("reports:download", args=[done_job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"


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


def test_the_worker_renders_a_pdf_beside_the_workbook_downloadable_in_scope(done_job, users, login):
    response = login(users.province_approver).get(reverse("reports:download_pdf", args=[done_job.pk]))
    assert response.status_code == 200 and ".pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    page = login(users.province_approver).get(reverse("reports:job", args=[done_job.pk])).content.decode()
    assert reverse("reports:download_pdf", args=[done_job.pk]) in page and "Tải PDF" in page


def test_the_pdf_is_404_outside_scope_and_before_the_job_ran(done_job, ratings, users, login):
    assert login(users.outsider).get(reverse("reports:download_pdf", args=[done_job.pk])).status_code == 404
    job = request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    assert login(users.province_staff).get(reverse("reports:download_pdf", args=[job.pk])).status_code == 404
