from django.core.management.base import BaseCommand, CommandError

from evaluations import demo
from organizations.models import Organization
from organizations.numbers import vn_int


class Command(BaseCommand):
    help = "Tạo đợt xếp loại năm nay với quy định và kết quả mẫu trên dữ liệu mẫu (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="năm của đợt (mặc định: năm nay)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, year, seed, **options):
        if not Organization.objects.exists():
            raise CommandError("Chưa có cây tổ chức: chạy “manage.py seed_demo” trước.")
        result = demo.seed_ratings(year=year, seed=seed)
        if result.skipped:
            self.stdout.write(f"{result.period} đã có kết quả mẫu: không tạo thêm.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Đã tạo {vn_int(result.created)} phiếu xếp loại cho {result.period}.")
            )
