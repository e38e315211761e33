"""Report documents (issue 15): time to write the workbook and to render the PDF, and the PDF's
page count, for a province-like ratings report (no database: synthetic ReportData).

    .venv/bin/python bench/documents.py [CHILDREN]      (default 30 child units a table)

Eight tables like the ratings report's: the summary (5 rows), five per-unit tables of CHILDREN
rows + total, the per-level table (12 rows) and the years table (10 rows), 13 columns each."""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanhub.settings")


def report(children: int):
    from organizations.reporting import ReportData, Table

    columns = ["Mã đơn vị", "Đơn vị", "Tổng số", *[f"Cột {i}" for i in range(10)]]
    rates = {4, 6, 8, 10, 12}

    def rows(n, label):
        return [
            [f"T01-H{i:02d}", f"{label} số {i}", 100, 20, 20.0, 30, 30.0, 40, 40.0, 10, 10.0, 0, 0.0]
            for i in range(1, n + 1)
        ]

    tables = [Table(title="Tổng hợp", columns=columns, rows=rows(5, "Đối tượng"), percent_columns=rates)]
    for name in ("Chi đoàn", "Đoàn cơ sở", "Đoàn cấp trên cơ sở", "Tập thể lãnh đạo", "Đoàn viên"):
        body = rows(children, "Huyện đoàn Phú Lương")
        total = ["", "Tổng cộng", *[sum(r[i] for r in body) if i not in rates else 0.0 for i in range(2, 13)]]
        tables.append(
            Table(
                title=f"{name} theo đơn vị",
                columns=columns,
                rows=body,
                total=total,
                percent_columns=rates,
                sheet=f"{name} theo ĐV",
            )
        )
    tables += [Table(title="Theo cấp", columns=columns, rows=rows(12, "Cấp"), percent_columns=rates)]
    tables += [Table(title="So sánh các năm", columns=columns, rows=rows(10, "Năm"), percent_columns=rates)]
    narrative = [
        "Năm 2025, Tỉnh đoàn Thái Nguyên có 468/2.294 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 20,4%."
    ] * 5
    return ReportData(
        kind="ratings",
        title="Báo cáo kết quả xếp loại chất lượng năm 2025",
        root_code="T01",
        root_name="Tỉnh đoàn Thái Nguyên",
        year=2025,
        narrative=narrative,
        tables=tables,
    )


def main() -> None:
    import django

    django.setup()
    from reports.excel import write_workbook
    from reports.pdf import write_pdf

    children = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    data = report(children)
    started = time.perf_counter()
    write_workbook(data, io.BytesIO(), by="bench")
    xlsx = time.perf_counter() - started
    started = time.perf_counter()
    pages = write_pdf(data, io.BytesIO(), by="bench")
    pdf = time.perf_counter() - started
    load = os.getloadavg()
    print(
        f"{children} units a table, 8 tables: xlsx {xlsx:.2f} s, pdf {pdf:.2f} s, {pages} pages; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


if __name__ == "__main__":
    main()
