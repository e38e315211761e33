"""Step 7: the year-end "1+2" report for Trung ương Đoàn, as ``organizations.reporting.ReportData``.

Run by the reports app's job framework (registered as "fieldwork.reporting.build") and by
``build_report fieldwork --year Y --root CODE --out FILE.xlsx``. Every table's total row is the
sum of its rows; eligible staff are counted apart from the exempt and the non-movement posts."""

from decimal import Decimal

from organizations.models import Organization
from organizations.numbers import rate, vn_decimal, vn_int, vn_rate
from organizations.reporting import Chart, ReportData, Table

from .selectors import StaffTally, completion, content_labels, levels_visited, province_tallies


def build(*, root: Organization, year: int, progress=lambda p: None, **options) -> ReportData:
    progress(0)
    items = province_tallies(root, year)
    progress(60)
    levels = levels_visited(items)
    data = ReportData(
        kind="fieldwork",
        title=f"Kết quả thực hiện chế độ cán bộ đi cơ sở “1+2” năm {year}",
        root_code=root.code,
        root_name=root.name,
        year=year,
    )
    data.narrative = narrative(root, year, items)
    data.tables = [
        staff_table(items, levels),
        content_table(items),
        level_table(items, levels),
        department_table(items),
    ]
    data.charts = [level_chart(items, levels)]
    progress(100)
    return data


def narrative(root: Organization, year: int, items: list[StaffTally]) -> list[str]:
    c = completion(items)
    if not items:
        return [f"Năm {year}, {root.name} chưa có danh sách cán bộ thực hiện chế độ đi cơ sở."]
    days = sum(t.days for t in items if t.eligible)
    paragraphs = [
        f"Năm {year}, {root.name} có {vn_int(len(items))} cán bộ trong danh sách, trong đó {vn_int(c.eligible)} cán bộ "
        f"thuộc diện thực hiện chế độ đi cơ sở; {vn_int(c.exempt)} cán bộ được miễn "
        f"và {vn_int(c.not_required)} cán bộ không thuộc diện (lái xe, kế toán, văn thư…).",
        f"{vn_int(c.completed)}/{vn_int(c.eligible)} cán bộ hoàn thành kế hoạch, đạt tỷ lệ {vn_rate(c.completed, c.eligible)}.",
    ]
    if c.eligible:
        average = vn_decimal(Decimal(days) / c.eligible)
        paragraphs.append(
            f"Tổng số ngày đi cơ sở của cán bộ thuộc diện: {vn_int(days)} ngày, bình quân {average} ngày/cán bộ."
        )
    behind = [t.name for t in items if t.eligible and not t.completed]
    if behind:
        paragraphs.append(f"Chưa hoàn thành ({vn_int(len(behind))}): " + ", ".join(behind) + ".")
    return paragraphs


def _sum_columns(rows: list[list], first: int) -> list:
    return [sum(row[i] for row in rows) for i in range(first, len(rows[0]))] if rows else []


def staff_table(items: list[StaffTally], levels) -> Table:
    contents = content_labels()
    columns = [
        "STT",
        "Cán bộ",
        "Ban",
        "Đối tượng",
        "Số ngày tối thiểu",
        "Số ngày đã đi",
        *[f"Nội dung: {label}" for _, label in contents],
        *[f"Tại {lv.name}" for lv in levels],
        "Hoàn thành (1 = có)",
    ]
    rows = []
    for i, t in enumerate(items, start=1):
        rows.append(
            [
                i,
                t.name,
                t.department,
                t.status_label,
                t.minimum_days if t.eligible else 0,
                t.days,
                *[t.by_content.get(code, 0) for code, _ in contents],
                *[t.by_level.get(lv.pk, 0) for lv in levels],
                1 if t.eligible and t.completed else 0,
            ]
        )
    numeric = [[r[i] for i in range(4, len(columns))] for r in rows]
    total = [
        "",
        "Tổng cộng",
        "",
        f"{completion(items).eligible} thuộc diện",
        *(_sum_columns(numeric, 0) or [0] * (len(columns) - 4)),
    ]
    return Table(title="Số ngày đi cơ sở của từng cán bộ", columns=columns, rows=rows, total=total, sheet="Cán bộ")


def content_table(items: list[StaffTally]) -> Table:
    rows = [[label, sum(t.by_content.get(code, 0) for t in items)] for code, label in content_labels()]
    return Table(
        title="Số ngày theo nội dung",
        columns=["Nội dung", "Số ngày"],
        rows=rows,
        total=["Tổng cộng", sum(r[1] for r in rows)],
        sheet="Theo nội dung",
    )


def level_table(items: list[StaffTally], levels) -> Table:
    rows = [[lv.name, sum(t.by_level.get(lv.pk, 0) for t in items)] for lv in levels]
    return Table(
        title="Số ngày theo cấp đến",
        columns=["Cấp đến", "Số ngày"],
        rows=rows,
        total=["Tổng cộng", sum(r[1] for r in rows)],
        sheet="Theo cấp",
    )


def department_table(items: list[StaffTally]) -> Table:
    by_dept: dict[str, list[StaffTally]] = {}
    for t in items:
        by_dept.setdefault(t.department, []).append(t)
    rows = []
    for name, group in by_dept.items():
        c = completion(group)
        rows.append([name, c.eligible, c.completed, _rate(c.completed, c.eligible), c.exempt, c.not_required])
    c = completion(items)
    total = ["Tổng cộng", c.eligible, c.completed, _rate(c.completed, c.eligible), c.exempt, c.not_required]
    return Table(
        title="Tỷ lệ hoàn thành theo ban",
        columns=["Ban", "Cán bộ thuộc diện", "Hoàn thành", "Tỷ lệ (%)", "Được miễn", "Không thuộc diện"],
        rows=rows,
        total=total,
        percent_columns={3},
        sheet="Theo ban",
    )


def _rate(part: int, whole: int) -> float:
    return float(rate(part, whole))


def level_chart(items: list[StaffTally], levels) -> Chart:
    """Days at each level visited, stacked per department."""
    departments = list(dict.fromkeys(t.department for t in items))
    series = [
        (lv.name, [float(sum(t.by_level.get(lv.pk, 0) for t in items if t.department == d)) for d in departments])
        for lv in levels
    ]
    return Chart(kind="stacked-bar", title="Số ngày đi cơ sở theo cấp đến, từng ban", labels=departments, series=series)
