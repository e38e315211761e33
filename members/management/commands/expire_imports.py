from django.core.management.base import BaseCommand

from members.import_jobs import expire_stale


class Command(BaseCommand):
    help = (
        "Xóa các tệp nhập Excel đã tải lên quá một ngày mà chưa được xác nhận (chúng chứa dữ liệu cá nhân) "
        "và đánh dấu các việc nhập đó là đã hủy. Các bước của worker cũng làm việc này; lệnh dành cho "
        "cron khi không có worker hay lượt tải lên nào."
    )

    def handle(self, *args, **options):
        expired = expire_stale()
        self.stdout.write(
            self.style.SUCCESS(f"Đã hủy {expired} việc nhập quá một ngày chưa xác nhận; tệp cũ đã được xóa.")
        )
