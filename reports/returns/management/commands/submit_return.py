"""``python manage.py submit_return KIND --year Y --root CODE [--user LOGIN] [--from-children]``:
freeze the unit's report as a new version of its return to the level above (the same service as
the page's "Gửi cấp trên"); prints the return's id and version."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from reports import kinds
from reports.returns import services
from reports.returns.models import Return


def _user(login: str | None):
    if not login:  # an operator's run on the server: recorded as sent by no web user
        return None
    user = get_user_model().objects.filter(username=login).first()
    if user is None:
        raise CommandError(f"Không tìm thấy người dùng “{login}”.")
    return user


class Command(BaseCommand):
    help = "Chốt số liệu và gửi báo cáo của một đơn vị lên cấp trên (một bản mới); in mã và số bản."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="loại báo cáo: " + ", ".join(kinds.KINDS))
        parser.add_argument("--year", type=int, required=True, help="năm báo cáo")
        parser.add_argument("--root", required=True, help="mã đơn vị gửi báo cáo")
        parser.add_argument("--user", help="tên đăng nhập của người gửi (cán bộ của đơn vị)")
        parser.add_argument(
            "--from-children", action="store_true", help="tổng hợp từ báo cáo đã tiếp nhận của đơn vị trực thuộc"
        )

    def handle(self, *args, kind, year, root, user, from_children, **options):
        unit = Organization.objects.filter(code=root.strip()).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị mã “{root}”.")
        source = Return.Source.CHILDREN if from_children else Return.Source.LIVE
        by = _user(user)
        try:
            ret = services.submit(kind=kind, root=unit, year=year, source=source, by=by)
        except PermissionDenied as exc:
            raise CommandError(str(exc) or f"Người dùng “{user}” không phải cán bộ của {unit.name}.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        receiver = ret.receiver.name if ret.receiver else "(không có cấp trên)"
        self.stdout.write(f"id={ret.pk} version={ret.version}")
        self.stderr.write(f"Đã gửi {ret} tới {receiver}.")
