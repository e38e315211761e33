"""Email in Vietnamese (plain text and HTML, unit, deadline dd/mm/yyyy, absolute link), as each
person chose on their profile page: at once, a daily digest, or none."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from notifications.models import Notification, Preference
from notifications.reminders import send_reminders

pytestmark = pytest.mark.django_db

T_3 = date(2026, 10, 28)


@pytest.fixture
def secretary(users):
    users.secretary.email = "bithu@example.vn"
    users.secretary.first_name, users.secretary.last_name = "An", "Nguyễn Văn"
    users.secretary.save()
    return users.secretary


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_mail_names_the_unit_the_deadline_and_the_link(tree, period, secretary):
    send_reminders(today=T_3)
    [message] = mails_to(secretary)
    link = f"https://doanhub.example.vn/danh-gia/dot/{period.pk}/don-vi/{tree.branch.code}/"
    assert (
        message.subject == f"[DoanHub] Sắp đến hạn xếp loại chất lượng năm 2026 của {tree.branch.name}: hạn 31/10/2026"
    )
    assert f"Đơn vị: {tree.branch.name}" in message.body and "Hạn: 31/10/2026" in message.body
    assert f"Xem tại: {link}" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and f'href="{link}"' in html and "Hạn: 31/10/2026" in html
    assert Notification.objects.get(recipient=secretary).emailed_at is not None


def test_email_off_keeps_the_inbox_only(tree, period, secretary):
    Preference.objects.create(user=secretary, email_enabled=False)
    send_reminders(today=T_3)
    assert mails_to(secretary) == []
    assert Notification.objects.filter(recipient=secretary).count() == 1


def test_the_digest_reader_gets_one_mail_for_the_day_and_never_again(tree, period, secretary):
    Preference.objects.create(user=secretary, email_mode=Preference.Mode.DIGEST)
    Notification.objects.create(
        recipient=secretary, kind="approved", title="Hồ sơ đã được duyệt", link="/", event_key="x"
    )
    send_reminders(today=T_3)
    [message] = mails_to(secretary)
    assert message.subject == "[DoanHub] 2 thông báo mới"
    assert "Hồ sơ đã được duyệt" in message.body and "Sắp đến hạn" in message.body
    send_reminders(today=T_3)
    assert len(mails_to(secretary)) == 1


def test_the_profile_page_saves_the_choice(login, secretary):
    client = login(secretary)
    assert "Nhận thông báo" in client.get("/tai-khoan/").content.decode()
    response = client.post("/thong-bao/tuy-chon/", {"email_enabled": "on", "email_mode": "digest"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    pref = Preference.objects.get(user=secretary)
    assert pref.email_enabled and pref.email_mode == "digest"
    client.post("/thong-bao/tuy-chon/", {"email_mode": "immediate"})
    assert not Preference.objects.get(user=secretary).email_enabled


def test_a_bad_choice_is_refused_in_vietnamese(login, secretary):
    response = login(secretary).post("/thong-bao/tuy-chon/", {"email_mode": "zalo"}, follow=True)
    assert "Cách nhận thông báo chưa lưu: hãy chọn một cách gửi email." in response.content.decode()
    assert not Preference.objects.filter(user=secretary).exists()


def test_the_preferences_page_rejects_get(login, secretary):
    assert login(secretary).get("/thong-bao/tuy-chon/").status_code == 405


def test_the_command_prints_one_line_per_notification(tree, users, period, capsys):
    call_command("send_reminders", "--date", "2026-11-08")
    lines = capsys.readouterr().out.splitlines()
    assert f"bithu\t{tree.branch.name}\tquá hạn" in lines  # 8 days late: a week after the first notice
    assert f"duyet.coso\t{tree.grassroots.name}\ttổng hợp gửi cấp trên" in lines
    assert f"duyet.huyen\t{tree.district.name}\ttổng hợp gửi cấp trên" in lines  # 2N days: the level above
    assert len(lines) == Notification.objects.count()


def test_the_dry_run_prints_and_sends_nothing(tree, users, period, capsys, secretary):
    call_command("send_reminders", "--date", "2026-11-08", "--dry-run")
    assert f"bithu\t{tree.branch.name}\tquá hạn" in capsys.readouterr().out.splitlines()
    assert not Notification.objects.exists() and mail.outbox == []
    call_command("send_reminders", "--date", "2026-11-08")  # the dry run marked no escalation as sent
    assert "tổng hợp gửi cấp trên" in capsys.readouterr().out


def test_a_bad_date_is_refused(period):
    with pytest.raises(CommandError, match="không đúng dạng YYYY-MM-DD"):
        call_command("send_reminders", "--date", "31/10/2026")


def test_the_beat_task_runs_the_same_service(tree, users, period, celery_app):
    from doanhub.celery import app
    from notifications.tasks import send_reminders as task

    assert app.conf.beat_schedule["send-reminders"]["task"] == task.name
    assert task.apply().get() == Notification.objects.count()


def test_a_mail_server_that_is_down_keeps_the_inbox_and_marks_nothing_mailed(tree, period, secretary, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8179, 2  # nothing listens there
    settings.EMAIL_USE_TLS = False
    assert send_reminders(today=T_3) >= 1
    n = Notification.objects.get(recipient=secretary)
    assert n.emailed_at is None and n.read_at is None
