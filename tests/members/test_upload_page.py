"""Upload → check (a worker's job, run here in-process) → preview (every problem by row and column) → confirm."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import tasks
from members.models import ImportJob, Member

from .conftest import checked_job, member_row

Status = ImportJob.Status


def upload(client, path, kind="members", name=None, **extra):
    data = {"kind": kind, "file": SimpleUploadedFile(name or path.name, path.read_bytes() if path else b""), **extra}
    return client.post(reverse("members:import"), data)


def test_it_keeps_the_file_and_queues_the_check(
    tree, users, login, members_xlsx, settings, django_capture_on_commit_callbacks
):
    client = login(users.secretary)
    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, members_xlsx([member_row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:import_job", args=[job.pk])
    assert len(queued) == 1  # the check, enqueued after commit
    assert (job.status, job.kind, job.requested_by, job.file_name) == (
        Status.QUEUED,
        "members",
        users.secretary,
        "members-0.xlsx",
    )
    assert (Path(settings.MEDIA_ROOT) / "imports" / job.stored).read_bytes()[:2] == b"PK"
    assert Member.objects.count() == 7  # nothing is read, let alone written, in the request


def test_it_keeps_the_year_of_a_yearly_kind(tree, users, login, members_xlsx):
    upload(login(users.secretary), members_xlsx([member_row()]), year="2025")
    assert ImportJob.objects.get().options == {"year": 2025}


def test_upload_check_preview_then_confirm(tree, users, login, members_xlsx):
    client = login(users.secretary)
    path = members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])
    url = upload(client, path).url
    assert "Chờ kiểm tra" in client.get(url).content.decode()
    tasks.check_import(ImportJob.objects.get().pk)
    preview = client.get(url).content.decode()
    assert "2 dòng mới, 0 dòng cập nhật" in preview and "Xác nhận nhập" in preview
    assert Member.objects.count() == 7  # the check writes nothing
    response = client.post(reverse("members:import_confirm", args=[ImportJob.objects.get().pk]))
    assert response.status_code == 302 and Member.objects.count() == 7  # queued, not written in the request
    assert "Chờ ghi" in client.get(url).content.decode()
    tasks.write_import(ImportJob.objects.get().pk)
    page = client.get(url).content.decode()
    assert "Đã nhập 2 mới, 0 cập nhật" in page and Member.objects.count() == 9
    assert ImportJob.objects.get().stored == ""  # the file is gone once imported


def test_the_preview_lists_every_problem(tree, users, login, members_xlsx):
    client = login(users.secretary)
    path = members_xlsx([member_row(cccd="1"), member_row(branch="T2-CS1-CD1", cccd="079200000002")])
    url = upload(client, path).url
    tasks.check_import(ImportJob.objects.get().pk)
    page = client.get(url).content.decode()
    assert "Số CCCD phải gồm đúng 12 chữ số" in page and "ngoài" not in page
    assert "Không có chi đoàn mã “T2-CS1-CD1” trong phạm vi của bạn" in page
    assert "tệp có 2 lỗi" in page and "Xác nhận nhập" not in page


def test_bad_files_through_the_page(tree, users, login, tmp_path):
    client = login(users.secretary)
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    text = tmp_path / "sai.xlsx"
    text.write_text("không phải excel")
    pages = []
    for path in (empty, text):
        url = upload(client, path).url
        tasks.check_import(int(url.rstrip("/").rsplit("/", 1)[-1]))
        pages.append(client.get(url).content.decode())
    assert "Tệp rỗng (0 byte)." in pages[0]
    assert "không phải là tệp Excel .xlsx" in pages[1]
    csv = tmp_path / "danh-sach.csv"
    csv.write_text("a,b")
    assert "Chỉ nhận tệp Excel .xlsx." in upload(client, csv).content.decode()
    assert ImportJob.objects.count() == 2  # the refused upload made no job


def test_the_upload_page_lists_my_recent_jobs_only(tree, users, login, members_xlsx):
    mine = checked_job(users.secretary, members_xlsx([member_row()]))
    theirs = checked_job(users.province_admin, members_xlsx([member_row(cccd="079200000009")]))
    ImportJob.objects.filter(pk=theirs.pk).update(file_name="cua-nguoi-khac.xlsx")
    page = login(users.secretary).get(reverse("members:import")).content.decode()
    assert reverse("members:import_job", args=[mine.pk]) in page and "Đã kiểm tra" in page
    assert "cua-nguoi-khac.xlsx" not in page


def test_the_upload_page_costs_the_same_with_many_jobs(tree, users, login, members_xlsx, django_assert_num_queries):
    client = login(users.secretary)
    job = checked_job(users.secretary, members_xlsx([member_row()]))
    client.get(reverse("members:import"))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("members:import"))
    for _ in range(20):
        job.pk = None
        job.save()
    with django_assert_num_queries(len(one)):
        page = client.get(reverse("members:import")).content.decode()
    assert page.count("Đã kiểm tra") == 10  # the ten most recent


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("members:import"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_upload_page_needs_a_managing_post(tree, users, login, members_xlsx):
    assert login(users.nopost).get(reverse("members:import")).status_code == 403
    assert login(users.grassroots_secretary).get(reverse("members:import")).status_code == 403
    assert upload(login(users.nopost), members_xlsx([member_row()])).status_code == 403
    assert ImportJob.objects.count() == 0
    for user in (
        users.secretary,
        users.grassroots_approver,
        users.province_staff,
        users.province_admin,
        users.superuser,
    ):
        assert login(user).get(reverse("members:import")).status_code == 200


def test_it_rejects_other_methods(tree, users, login):
    assert login(users.secretary).put(reverse("members:import")).status_code == 405
