"""Two confirmations of the same rows (issue 14): one file confirmed twice is written once and the
second click is told so; two files holding the same people, both checked as new and both
confirmed, write those people once: the second names, row by row, who was entered meanwhile."""

from django.urls import reverse

from members import import_jobs, tasks
from members.models import ImportJob, Member

from .conftest import checked_job, member_row

Status = ImportJob.Status
ROWS = [member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")]


def test_a_second_confirmation_of_one_job_is_told_it_is_already_queued(tree, users, login, members_xlsx):
    job = checked_job(users.secretary, members_xlsx(ROWS))
    client = login(users.secretary)
    client.post(reverse("members:import_confirm", args=[job.pk]))
    page = client.post(reverse("members:import_confirm", args=[job.pk]), follow=True).content.decode()
    assert "Tệp này đã được xác nhận và đang chờ ghi; không cần bấm lại." in page
    tasks.write_import(job.pk)
    tasks.write_import(job.pk)  # the twin message finds it written
    assert Member.objects.filter(citizen_id__in=["079200000001", "079200000002"]).count() == 2


def test_two_files_with_the_same_rows_write_them_once_and_the_second_names_each_row(tree, users, members_xlsx):
    first = checked_job(users.secretary, members_xlsx(ROWS))
    second = checked_job(users.secretary, members_xlsx(ROWS))
    assert (first.created_count, second.created_count) == (2, 2)  # both checked before either is written
    import_jobs.confirm_import(job=first, by=users.secretary)
    import_jobs.confirm_import(job=second, by=users.secretary)
    assert tasks.write_import(first.pk) == Status.IMPORTED
    assert tasks.write_import(second.pk) == Status.CHECKED
    second.refresh_from_db()
    assert second.message == import_jobs.CHANGED_SINCE_CHECK and second.confirmed_at is None
    assert [(row, column) for row, column, _ in second.errors] == [(2, "Số CCCD"), (3, "Số CCCD")]
    assert second.errors[0][2].startswith(
        "Đã có đoàn viên Nguyễn Văn Mới (CCCD 079200000001), được ghi sau khi tệp này được kiểm tra"
    )
    assert "Hà Thị Thu (CCCD 079200000002)" in second.errors[1][2]
    assert Member.objects.filter(citizen_id__in=["079200000001", "079200000002"]).count() == 2


def test_a_file_re_imported_after_its_people_were_entered_still_updates_them(tree, users, members_xlsx):
    """Entered before the check: the check shows the rows as updates, and the write makes them."""
    first = checked_job(users.secretary, members_xlsx(ROWS))
    import_jobs.confirm_import(job=first, by=users.secretary)
    tasks.write_import(first.pk)
    again = checked_job(users.secretary, members_xlsx([member_row(phone="0987654321"), ROWS[1]]))
    assert (again.created_count, again.updated_count, again.error_count) == (0, 2, 0)
    import_jobs.confirm_import(job=again, by=users.secretary)
    assert tasks.write_import(again.pk) == Status.IMPORTED
    assert Member.objects.get(citizen_id="079200000001").phone == "0987654321"
