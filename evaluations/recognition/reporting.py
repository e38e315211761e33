"""Report builder: "3 chủ động" registrations and recognitions per unit and per year.

Registered by the reports app as "evaluations.recognition.reporting.build" (job framework and
``build_report recognition --year Y --root CODE --out FILE.xlsx``). Two grouped queries (units,
registrations) bucketed by the path prefix of each child of the root, so the cost does not grow
with the number of nodes in a list (DESIGN.md: rollups group by a path prefix).
"""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from organizations.levels import plain_branch_q
from organizations.models import Organization
from organizations.numbers import rate, vn_int, vn_rate
from organizations.reporting import Chart, ReportData, Table

from .models import Registration

Status = Registration.Status


def _rows_of(root: Organization) -> tuple[list[Organization], int]:
    """The units a row is made for (the root's children but plain chi đoàn, or the root itself for a
    tổ chức cơ sở Đoàn) and the length of the path prefix that assigns every node to its row. A chi
    đoàn cơ sở under the root is a child with a row: it registers like a đoàn cơ sở."""
    if root.level.is_grassroots:
        return [root], len(root.path)
    children = list(
        Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1, status=Organization.Status.ACTIVE)
        .exclude(plain_branch_q())
        .order_by("path")
    )
    return children, len(root.path) + root.steplen


def _eligible(root: Organization, prefix_len: int) -> dict[str, int]:
    qs = (
        Organization.objects.filter(
            path__startswith=root.path, level__is_grassroots=True, status=Organization.Status.ACTIVE
        )
        .annotate(prefix=Substr("path", 1, prefix_len))
        .values("prefix")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["prefix"]: row["n"] for row in qs}


def _outcomes(root: Organization, prefix_len: int, years: list[int]) -> dict[tuple[str, int], dict[str, int]]:
    qs = (
        Registration.objects.filter(organization__path__startswith=root.path, campaign__year__in=years)
        .exclude(status=Status.DRAFT)
        .annotate(prefix=Substr("organization__path", 1, prefix_len))
        .values("prefix", "campaign__year")
        .annotate(
            registered=Count("pk"),
            recognised=Count("pk", filter=Q(status=Status.RECOGNISED)),
            not_recognised=Count("pk", filter=Q(status=Status.NOT_RECOGNISED)),
        )
        .order_by()
    )
    return {(r["prefix"], r["campaign__year"]): r for r in qs}


# The unit's code first, like every per-unit table: returns match a child's row by it (a diff
# across a rename, the consolidation of the children's signed returns).
COLUMNS = [
    "Mã đơn vị",
    "Đơn vị",
    "Số đoàn cơ sở",
    "Đăng ký",
    "Tỷ lệ đăng ký (%)",
    "Được công nhận",
    "Không công nhận",
    "Chưa có kết quả",
    "Tỷ lệ công nhận/đăng ký (%)",
    "Tỷ lệ công nhận/tổng số (%)",
]


PERCENT_COLUMNS = {4, 8, 9}
FIGURES = (2, 3, 5, 6)  # the counted columns (eligible, registered, recognised, not recognised); the rest derive
TOTAL = "Tổng cộng"


def _line(code: str, name: str, eligible: int, reg: int, rec: int, rej: int) -> list:
    pending = reg - rec - rej
    return [code, name, eligible, reg, rate(reg, eligible), rec, rej, pending, rate(rec, reg), rate(rec, eligible)]


def total_of(rows: list[list]) -> list:
    """The totals row of the per-unit table: the counts added up, the rates over the sums."""
    return _line("", TOTAL, *(sum(row[i] for row in rows) for i in FIGURES))


def build(*, root: Organization, year: int, progress=lambda pct: None, **options) -> ReportData:
    """Registered / recognised counts and rates per child unit for ``year``, and the trend over
    ``options["years"]`` (default: the two years before and ``year``)."""
    years = sorted(set(options.get("years") or [year - 2, year - 1, year]) | {year})
    progress(0)
    units, prefix_len = _rows_of(root)
    eligible = _eligible(root, prefix_len)
    progress(40)
    outcomes = _outcomes(root, prefix_len, years)
    progress(80)
    empty = {"registered": 0, "recognised": 0, "not_recognised": 0}
    rows = []
    for unit in units:
        o = outcomes.get((unit.path, year), empty)
        rows.append(
            _line(
                unit.code, unit.name, eligible.get(unit.path, 0), o["registered"], o["recognised"], o["not_recognised"]
            )
        )
    total = total_of(rows)
    trend = _trend(outcomes, years)
    data = ReportData(
        kind="recognition",
        title=f"Đoàn cơ sở “3 chủ động” năm {year}",
        root_code=root.code,
        root_name=root.name,
        year=year,
    )
    data.tables.append(
        Table(
            title=f"Đăng ký và công nhận năm {year}",
            columns=COLUMNS,
            rows=rows,
            total=total,
            percent_columns=PERCENT_COLUMNS,
            sheet=f"Năm {year}",
        )
    )
    data.tables.append(
        Table(
            title="Qua các năm",
            columns=[
                "Năm",
                "Đăng ký",
                "Được công nhận",
                "Không công nhận",
                "Chưa có kết quả",
                "Tỷ lệ công nhận/đăng ký (%)",
            ],
            rows=trend,
            percent_columns={5},
            sheet="Qua các năm",
        )
    )
    data.charts.append(
        Chart(
            kind="stacked-bar",
            title=f"Kết quả năm {year} theo đơn vị",
            labels=[r[1] for r in rows],
            series=[
                ("Được công nhận", [r[5] for r in rows]),
                ("Không công nhận", [r[6] for r in rows]),
                ("Chưa có kết quả", [r[7] for r in rows]),
            ],
        )
    )
    data.narrative = _narrative(root, year, total, trend, rows)
    progress(100)
    return data


def _trend(outcomes: dict, years: list[int]) -> list[list]:
    rows = []
    for y in years:
        reg = sum(v["registered"] for (_, yy), v in outcomes.items() if yy == y)
        rec = sum(v["recognised"] for (_, yy), v in outcomes.items() if yy == y)
        rej = sum(v["not_recognised"] for (_, yy), v in outcomes.items() if yy == y)
        rows.append([y, reg, rec, rej, reg - rec - rej, rate(rec, reg)])
    return rows


def narrative_of_tables(root: Organization, year: int, tables: list[Table]) -> list[str]:
    """The paragraphs of figures put together elsewhere (a return consolidated from the children's
    signed ones): the trend's row of ``year`` is the per-unit table's totals again, then the text."""
    units, trend = tables[0], tables[1]
    _, _, _, reg, _, rec, rej, pending, _, _ = units.total
    trend.rows = [[year, reg, rec, rej, pending, rate(rec, reg)] if row[0] == year else row for row in trend.rows]
    return _narrative(root, year, units.total, trend.rows, units.rows)


def _narrative(root: Organization, year: int, total: list, trend: list[list], rows: list[list]) -> list[str]:
    _, _, eligible, reg, _, rec, rej, pending, _, _ = total
    text = [
        f"Năm {year}, {root.name} có {vn_int(reg)}/{vn_int(eligible)} đoàn cơ sở đăng ký xây dựng đoàn cơ sở "
        f"“3 chủ động”, đạt tỷ lệ {vn_rate(reg, eligible)}. Có {vn_int(rec)} đơn vị được công nhận, bằng "
        f"{vn_rate(rec, reg)} số đơn vị đăng ký và {vn_rate(rec, eligible)} tổng số đoàn cơ sở; {vn_int(rej)} đơn vị "
        f"không được công nhận và {vn_int(pending)} đơn vị chưa có kết quả."
    ]
    previous = next((t for t in trend if t[0] == year - 1), None)
    if previous is not None:
        change = rec - previous[2]
        trend_word = "tăng" if change > 0 else "giảm" if change < 0 else "không đổi so với"
        amount = f" {vn_int(abs(change))} đơn vị so với" if change else ""
        text.append(f"Số đơn vị được công nhận {trend_word}{amount} năm {year - 1} ({vn_int(previous[2])} đơn vị).")
    leaders = [r for r in rows if r[3]]
    if len(leaders) > 1:
        best = max(leaders, key=lambda r: (r[8], r[5]))
        text.append(
            f"Đơn vị có tỷ lệ công nhận cao nhất: {best[1]} ({vn_int(best[5])}/{vn_int(best[3])} đơn vị đăng ký, "
            f"{vn_rate(best[5], best[3])})."
        )
    return text
