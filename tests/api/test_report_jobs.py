"""A report job through the API: requested by the reports service, polled, downloaded from the
same stored file the page streams."""

from reports.models import ReportJob
from reports.services import run_job


def test_it_requests_polls_and_downloads_a_report(ratings, users, bearer):
    client = bearer(users.province_staff)
    response = client.post("/api/v1/report-jobs/", {"kind": "ratings", "root": "T1", "year": 2025}, format="json")
    assert response.status_code == 201
    job = ReportJob.objects.get(pk=response.json()["id"])
    assert (job.requested_by, job.root, job.status) == (users.province_staff, ratings.province, "queued")
    assert client.get(f"/api/v1/report-jobs/{job.pk}/").json()["download"] is None
    run_job(job_id=job.pk)  # what the worker runs
    polled = client.get(f"/api/v1/report-jobs/{job.pk}/").json()
    assert polled["status"] == "done" and polled["progress"] == 100
    download = client.get(polled["download"])
    assert download.status_code == 200 and download.streaming
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert [j["id"] for j in client.get("/api/v1/report-jobs/").json()["results"]] == [job.pk]


def test_it_refuses_an_unknown_kind_or_year_in_vietnamese(ratings, users, bearer):
    client = bearer(users.province_staff)
    response = client.post("/api/v1/report-jobs/", {"kind": "khong-co", "root": "T1", "year": 2025}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ["Loại báo cáo “khong-co” không có hoặc chưa sẵn sàng."]
    assert not ReportJob.objects.exists()


def test_it_lists_only_the_users_own_jobs(done_job, users, bearer):
    assert bearer(users.province_approver).get("/api/v1/report-jobs/").json()["results"] == []
    assert bearer(users.province_approver).get(f"/api/v1/report-jobs/{done_job.pk}/").status_code == 200


def test_a_job_without_its_file_yet_is_404_to_download(ratings, users, bearer):
    client = bearer(users.province_staff)
    job_id = client.post("/api/v1/report-jobs/", {"kind": "ratings", "root": "T1", "year": 2025}).json()["id"]
    assert client.get(f"/api/v1/report-jobs/{job_id}/download/").status_code == 404


def test_a_request_with_the_broker_down_is_503_in_vietnamese_and_leaves_no_job(ratings, users, bearer, dead_broker):
    from organizations.models import AuditEntry
    from organizations.queueing import WORKERS_DOWN

    client = bearer(users.province_staff)
    with dead_broker("redis://127.0.0.1:8259/6"):  # a port where nothing listens
        response = client.post("/api/v1/report-jobs/", {"kind": "ratings", "root": "T1", "year": 2025}, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": WORKERS_DOWN}
    assert not ReportJob.objects.exists() and not AuditEntry.objects.filter(action="report_requested").exists()
    assert client.post("/api/v1/report-jobs/", {"kind": "ratings", "root": "T1", "year": 2025}).status_code == 201


def test_it_answers_the_day_asked_for_and_once_built_the_default_day(ratings, users, bearer):
    client = bearer(users.province_staff)
    chosen = client.post(
        "/api/v1/report-jobs/", {"kind": "ratings", "root": "T1", "year": 2025, "as_of": "20/12/2025"}, format="json"
    )
    assert chosen.status_code == 201 and chosen.json()["as_of"] == "2025-12-20"
    default = client.post("/api/v1/report-jobs/", {"kind": "ratings", "root": "T1", "year": 2025}, format="json")
    assert default.json()["as_of"] is None  # the period's day is read when the report is built
    run_job(job_id=default.json()["id"])
    # the 2025 period locks on 15/12/2025 (tests/reports/conftest.py): the day the report counted at
    assert client.get(f"/api/v1/report-jobs/{default.json()['id']}/").json()["as_of"] == "2025-12-15"
    listed = {j["id"]: j["as_of"] for j in client.get("/api/v1/report-jobs/").json()["results"]}
    assert listed == {chosen.json()["id"]: "2025-12-20", default.json()["id"]: "2025-12-15"}


def test_the_lists_never_load_the_built_figures(done_job, users, bearer, login):
    """A national report's ``result`` is megabytes: the page and the API list its jobs from
    their own columns, the day counted at included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    assert done_job.result and done_job.counted_as_of
    lists = [
        (bearer(users.province_staff), "/api/v1/report-jobs/"),
        (login(users.province_staff), reverse("reports:index")),
    ]
    for client, url in lists:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        jobs = [q["sql"] for q in queries if 'FROM "reports_reportjob"' in q["sql"]]
        assert jobs and not any('"reports_reportjob"."result"' in sql for sql in jobs), (url, jobs)
