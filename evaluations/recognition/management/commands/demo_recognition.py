from django.core.management.base import BaseCommand, CommandError

from evaluations.recognition import demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu “3 chủ động” cho tỉnh mẫu (chạy lại không tạo trùng)."

    def handle(self, *args, **options):
        try:
            summary = demo.seed()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if summary.created:
            self.stdout.write(
                self.style.SUCCESS(f"Đã tạo đợt “3 chủ động” năm {', '.join(summary.created)} cho {summary.province}.")
            )
        if summary.skipped:
            self.stdout.write(f"Đã có đợt năm {', '.join(summary.skipped)}: giữ nguyên.")
