import time

from django.core.management.base import BaseCommand, CommandError

from members import demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cây tổ chức, đoàn viên và tài khoản mẫu cho mỗi vai trò."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=5000, help="số đoàn viên (mặc định 5.000)")
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu")
        parser.add_argument("--reset", action="store_true", help="xóa dữ liệu cũ trước khi tạo")
        parser.add_argument("--if-empty", action="store_true", help="không làm gì nếu đã có dữ liệu")

    def handle(self, *args, members, seed, reset, if_empty, **options):
        if members < 3:
            raise CommandError("--members phải từ 3 trở lên.")
        if demo.has_demo_data():
            if if_empty:
                self.stdout.write("Đã có dữ liệu: bỏ qua việc tạo dữ liệu mẫu.")
                self._print_logins()
                return
            if not reset:
                raise CommandError("Cơ sở dữ liệu đã có dữ liệu. Dùng --reset để xóa và tạo lại.")
            demo.reset_demo_data()
        started = time.monotonic()
        result = demo.seed(members=members, seed=seed)
        elapsed = time.monotonic() - started
        rate = result.members / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {result.units:,} đơn vị và {result.members:,} đoàn viên trong {elapsed:.1f} giây "
                f"({rate:,.0f} đoàn viên/giây).".replace(",", ".")
            )
        )
        self.stdout.write("Đơn vị cấp cao nhất:")
        for code, name in result.top_units[:20]:
            self.stdout.write(f"  {code:<8} {name}")
        if len(result.top_units) > 20:
            self.stdout.write(f"  … và {len(result.top_units) - 20} đơn vị khác")
        self._print_logins(result.logins)

    def _print_logins(self, logins=None):
        from organizations.models import Post

        if logins is None:
            logins = [
                (p.user.username, p.get_role_display(), p.organization.name)
                for p in Post.objects.filter(user__username__in=[u[0] for u in demo.DEMO_USERS]).select_related(
                    "user", "organization"
                )
            ]
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {demo.DEMO_PASSWORD}):")
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<16} {role} — {unit}")
