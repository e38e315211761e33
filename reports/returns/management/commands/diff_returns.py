"""``python manage.py diff_returns ID_A ID_B``: the rows that changed between two returns (any two
versions, or two years), each changed cell as "before → after", and the history between them."""

from django.core.management.base import BaseCommand, CommandError

from reports.returns import diff, reasons
from reports.returns.models import Return


def _line(table: diff.TableDiff, row: diff.RowDiff) -> str:
    label = " · ".join(row.label)
    if row.status == "added":
        return f"  + {label}"
    if row.status == "removed":
        return f"  − {label}"
    cells = table.cells(row)
    changes = [
        f"{table.columns[table.labels + i]}: {c['before']} → {c['after']}" for i, c in enumerate(cells) if c["changed"]
    ]
    return f"  ~ {label}: " + "; ".join(changes)


class Command(BaseCommand):
    help = "So sánh hai báo cáo gửi cấp trên: in các dòng số liệu thay đổi và lý do."

    def add_arguments(self, parser):
        parser.add_argument("first", type=int, help="mã báo cáo gửi cấp trên thứ nhất")
        parser.add_argument("second", type=int, help="mã báo cáo gửi cấp trên thứ hai")

    def handle(self, *args, first, second, **options):
        found = Return.objects.select_related("root").in_bulk([first, second])
        missing = [str(pk) for pk in (first, second) if pk not in found]
        if missing:
            raise CommandError(f"Không tìm thấy báo cáo gửi cấp trên mã {', '.join(missing)}.")
        before, after = sorted((found[first], found[second]), key=lambda r: (r.year, r.submitted_at))
        result = diff.compare(before.data, after.data)
        why = reasons.between(root=after.root, since=before.submitted_at, until=after.submitted_at)
        self.stdout.write(f"Trước: {before}  →  Sau: {after}")
        self.stdout.write(f"{result.changed_count} dòng thay đổi")
        for table in result.tables:
            if table.changed_rows:
                self.stdout.write(table.title)
                for row in table.changed_rows:
                    self.stdout.write(_line(table, row))
                    for text in why.for_row(row.key):
                        self.stdout.write(f"      {text}")
        if why.overall:
            self.stdout.write("Thay đổi trong đơn vị giữa hai lần gửi:")
            for text in why.overall:
                self.stdout.write(f"  {text}")
