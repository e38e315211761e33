from django.core.management.base import BaseCommand, CommandError

from fieldwork import demo


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu đi cơ sở “1+2”: quy định, các ban, cán bộ, kế hoạch và báo cáo của tỉnh mẫu (chạy lại được)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="năm (mặc định: năm nay)")

    def handle(self, *args, year, **options):
        result = demo.seed(year=year)
        if result.province is None:
            raise CommandError("Chưa có tỉnh đoàn nào: hãy chạy seed_demo trước.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đi cơ sở 1+2 năm {result.year} — {result.province.name}: {result.plans_created} kế hoạch mới, "
                f"{result.reports_created} báo cáo chuyến đi mới."
            )
        )
        self.stdout.write(
            f"Tài khoản cán bộ (mật khẩu {demo.PASSWORD}): "
            + ", ".join(result.logins)
            + ", thuongtruc.tinh (Thường trực)"
        )
