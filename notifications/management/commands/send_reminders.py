from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.models import Kind
from notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "Nhắc hạn, báo quá hạn và gửi tổng hợp lên cấp trên (như tác vụ hằng ngày của Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="chạy như vào ngày này (YYYY-MM-DD); mặc định hôm nay")
        parser.add_argument("--dry-run", action="store_true", help="chỉ in ra, không lưu, không gửi")

    def handle(self, *args, date=None, dry_run=False, **options):
        today = self._day(date)

        def line(n):
            unit = n.unit.name if n.unit else ""
            self.stdout.write(f"{n.recipient.username}\t{unit}\t{Kind(n.kind).label}")

        made = send_reminders(today=today, dry_run=dry_run, report=line)
        verb = "Sẽ gửi" if dry_run else "Đã gửi"
        self.stderr.write(f"{verb} {made} thông báo ngày {today:%d/%m/%Y}.")

    def _day(self, text):
        if not text:
            return timezone.localdate()
        try:
            return datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError as exc:
            raise CommandError(f"Ngày “{text}” không đúng dạng YYYY-MM-DD (ví dụ 2026-10-31).") from exc
