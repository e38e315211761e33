"""Members Excel import/export speed on PostgreSQL (issue 3: 100,000 rows well under 2 minutes).

    .venv/bin/python bench/members.py [ROWS]      (default 100000)

Builds a demo tree in its own database (doanhub_bench_members), writes ROWS member rows to an
.xlsx, then times: the dry run (read + validate), the import (all new rows), the re-import of
the same file (every row an update) and the export of the whole roster."""

import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from _setup import peak_rss_mb, setup, timed


def write_file(path: Path, rows: int, branch_codes: list[str]) -> None:
    """Like a file saved by Excel: with a <dimension>, which openpyxl's own writer leaves out."""
    from members import xlsxwriter
    from members.importers import MEMBER_REQUIRED

    rng = random.Random(3)
    today = date.today()

    def lines():
        for i in range(rows):
            birth = today - timedelta(days=rng.randint(18 * 366, 29 * 365))
            admitted = birth + timedelta(days=rng.randint(16 * 366, 17 * 365))
            yield [
                f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm'])} {rng.choice(['Văn', 'Thị', 'Minh'])} Bench {i}",
                birth.strftime("%d/%m/%Y"),
                rng.choice(["Nam", "Nữ"]),
                f"9{i:011d}",
                rng.choice(branch_codes),
                admitted.strftime("%d/%m/%Y"),
                f"BV{i:09d}" if i % 5 else "",
                "Kinh",
                f"09{rng.randint(10**7, 10**8 - 1)}",
            ]

    xlsxwriter.write(path, sheet="Đoàn viên", headers=MEMBER_REQUIRED, rows=lines())


def main(rows: int) -> None:
    setup("members", fresh=True)
    from members import demo, exporting, selectors
    from members.importers import MemberImporter
    from members.models import Member
    from organizations.models import Organization

    demo.seed(members=5000, seed=1)
    codes = list(Organization.objects.filter(level__is_branch=True).values_list("code", flat=True))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "members.xlsx"
        with timed("write the test file", results):
            write_file(path, rows, codes)
        with timed("dry run (read + validate)", results):
            dry = MemberImporter(user=None).run(str(path), dry_run=True)
        assert dry.ok, dry.errors[:5]
        with timed("import (all new)", results):
            first = MemberImporter(user=None).run(str(path))
        assert first.ok and first.created == rows, (first.created, first.errors[:5])
        with timed("re-import (all updates)", results):
            again = MemberImporter(user=None).run(str(path))
        assert again.ok and again.updated == rows and again.created == 0
        root = Organization.objects.get(depth=1)
        total = Member.objects.count()
        with timed(f"export {total:,} members", results):
            exported = exporting.export_members(selectors.roster(root), Path(folder) / "out.xlsx")
        size_mb = (Path(folder) / "out.xlsx").stat().st_size / 1e6
        assert Organization.objects.get(pk=root.pk).members_total == total
    print(f"{rows:,} rows over {len(codes):,} chi đoàn, PostgreSQL".replace(",", "."))
    for label, secs in results.items():
        print(f"  {label:<30} {secs:7.1f} s")
    print(f"  exported rows: {exported:,}, file {size_mb:.1f} MB, peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
