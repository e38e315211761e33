"""``python manage.py build_report KIND --year Y --root CODE --out FILE.xlsx [--years 2024,2025] [--as-of DD/MM/YYYY]``:
the same builder and Excel writer as the worker, without a browser; prints the narrative."""

from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from reports import kinds
from reports.excel import write_workbook
from reports.services import build_data


def _years(raw: str | None, year: int) -> list[int]:
    if not raw:
        return [year]
    try:
        years = {int(part) for part in raw.split(",") if part.strip()}
    except ValueError as exc:
        raise CommandError(
            f"--years phải là các năm cách nhau bởi dấu phẩy, ví dụ 2024,2025 (nhận được “{raw}”)."
        ) from exc
    return sorted(years | {year})


def _day(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return datetime.strptime(raw.strip(), "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(
            f"--as-of phải là một ngày dạng ngày/tháng/năm, ví dụ 15/12/2025 (nhận được “{raw}”)."
        ) from exc


class Command(BaseCommand):
    help = "Lập một báo cáo (như trên trang Báo cáo), ghi tệp Excel và in báo cáo bằng lời."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="loại báo cáo: " + ", ".join(kinds.KINDS))
        parser.add_argument("--year", type=int, required=True, help="năm báo cáo")
        parser.add_argument("--root", required=True, help="mã đơn vị gốc của báo cáo")
        parser.add_argument("--out", help="đường dẫn tệp .xlsx cần ghi")
        parser.add_argument("--years", help="các năm đưa vào so sánh, ví dụ 2023,2024")
        parser.add_argument(
            "--as-of", dest="as_of", help="số liệu tính đến ngày (dd/mm/yyyy; mặc định: ngày khóa của đợt xếp loại)"
        )

    def handle(self, *args, kind, year, root, out, years, as_of=None, **options):
        if kinds.builder(kind) is None:
            available = ", ".join(k for k, _ in kinds.available())
            raise CommandError(f"Loại báo cáo “{kind}” không có hoặc chưa sẵn sàng. Các loại hiện có: {available}.")
        unit = (
            Organization.objects.filter(code=root.strip().upper()).first()
            or Organization.objects.filter(code=root).first()
        )
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị mã “{root}”.")
        try:
            data = build_data(kind=kind, root=unit, year=year, years=_years(years, year), as_of=_day(as_of))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if out:
            path = Path(out)
            if path.suffix.lower() != ".xlsx":
                raise CommandError(f"--out phải là tệp .xlsx (nhận được “{out}”).")
            path.parent.mkdir(parents=True, exist_ok=True)
            write_workbook(data, path, by="build_report")
            self.stderr.write(f"Đã ghi {path}")
        self.stdout.write(data.title + " — " + data.root_name)
        for paragraph in data.narrative:
            self.stdout.write(paragraph)
