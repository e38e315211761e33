from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from members.importing import get_importer, kinds
from organizations.numbers import vn_int
from organizations.text import is_blank


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu từ tệp Excel (.xlsx): kiểm tra mọi dòng trước, chỉ ghi khi không có lỗi nào. "
        "Không có --user: nhập với quyền hệ thống (toàn bộ cây tổ chức)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="loại dữ liệu: " + ", ".join(kinds()))
        parser.add_argument("file", help="đường dẫn tệp .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--user", help="nhập với phạm vi và quyền của tài khoản này")
        parser.add_argument("--year", type=int, help="năm (cho các loại dữ liệu theo năm, ví dụ xếp loại)")
        parser.add_argument(
            "--reopen",
            action="store_true",
            help="mở lại để nhập đè kết quả đã công nhận (cho loại có kết quả được công nhận, ví dụ xếp loại)",
        )
        parser.add_argument("--reason", default="", help="lý do mở lại, ghi vào nhật ký của từng kết quả")

    def handle(self, *args, kind, file, dry_run, user, year, reopen, reason, **options):
        try:
            importer_class = get_importer(kind)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        acting = self._user(user)
        extra = {"filename": file} | ({"year": year} if year is not None else {}) | self._reopen(kind, reopen, reason)
        try:
            result = importer_class(user=acting, **extra).run(file, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp “{file}”.") from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.unkept:
                self.stderr.write(f"… và {vn_int(result.unkept)} lỗi nữa ở các dòng sau.")
            raise CommandError(f"Không ghi gì: {vn_int(result.error_count)} lỗi.")
        verb = "Kiểm tra xong (không ghi)" if dry_run else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {result.created} mới, {result.updated} cập nhật."))

    @staticmethod
    def _reopen(kind: str, reopen: bool, reason: str) -> dict:
        """The reopen request, passed to a kind that declares it reopens decided results."""
        if not reopen:
            return {}
        if not getattr(get_importer(kind), "reopens", False):
            raise CommandError(f"Loại “{kind}” không có kết quả được công nhận để mở lại; bỏ --reopen.")
        if is_blank(reason):
            raise CommandError("--reopen cần --reason “lý do mở lại”, ghi vào nhật ký của từng kết quả.")
        return {"reopen": True, "reason": reason.strip()}

    def _user(self, username):
        if not username:
            return None
        acting = get_user_model().objects.filter(username=username, is_active=True).first()
        if acting is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        return acting
