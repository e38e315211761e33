"""Membership statistics per child unit (issue 5; the "phụ lục số liệu" of seeds 001/002):
members by age band, gender, ethnicity and Party membership on the report's reference date
(``as_of``, issue 18: the rating period's lock date unless chosen), and the year's admissions,
transfers and "trưởng thành" up to that date.

A fixed number of grouped queries whatever the subtree's size (the units' placement on the day;
members; transfer events in; transfer events out), each grouped by the unit the members were in
on the day and rolled up to the root's children by where those units hung then (``Placements``)."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db.models import Count, Q

from members.history import on_roll_on
from members.models import Member, MemberEvent
from organizations.models import Organization
from organizations.numbers import vn_int
from organizations.reporting import Chart, ReportData, Table

from .common import ChildRows, Placements, member_counts, rate, reference_date, vn_percent, year_end, year_start

# Age on 31/12 of the year is (year − birth year), so bands are ranges of birth years.
AGE_BANDS = [("Dưới 21 tuổi", None, 20), ("21–25 tuổi", 21, 25), ("26–30 tuổi", 26, 30), ("Trên 30 tuổi", 31, None)]
GENDERS = [(Member.Gender.MALE, "Nam"), (Member.Gender.FEMALE, "Nữ"), (Member.Gender.OTHER, "Khác")]
MAJORITY = "Kinh"


def _age_band(year: int, low: int | None, high: int | None) -> Q:
    q = Q()
    if high is not None:
        q &= Q(birth_date__gte=date(year - high, 1, 1))
    if low is not None:
        q &= Q(birth_date__lte=date(year - low, 12, 31))
    return q


def _window(year: int, as_of: date) -> tuple[date, date]:
    """The part of the year a report as of ``as_of`` has seen: its flows stop on that day."""
    return year_start(year), min(year_end(year), as_of)


def _member_aggregates(year: int, as_of: date) -> dict:
    base = on_roll_on(as_of)
    aggs = {"total": Count("pk", filter=base)}
    for i, (_, low, high) in enumerate(AGE_BANDS):
        aggs[f"age{i}"] = Count("pk", filter=base & _age_band(year, low, high))
    for code, _ in GENDERS:
        aggs[f"g_{code}"] = Count("pk", filter=base & Q(gender=code))
    aggs["majority"] = Count("pk", filter=base & Q(ethnicity=MAJORITY))
    aggs["party"] = Count("pk", filter=base & Q(is_party_member=True))
    start, end = _window(year, as_of)
    aggs["admitted"] = Count("pk", filter=Q(admitted_on__gte=start, admitted_on__lte=end))
    aggs["matured"] = Count(
        "pk", filter=Q(status=Member.Status.MATURED, status_changed_on__gte=start, status_changed_on__lte=end)
    )
    return aggs


def _events(placements: Placements, year: int, kind: str, branch_field: str) -> dict[str, int]:
    """Transfer events of the year up to the day, per child unit of the branch they left or
    joined (where that branch hung on the day)."""
    start, end = _window(year, placements.days[0])
    facts = (
        MemberEvent.objects.filter(
            placements.under_root(f"{branch_field}_id"), kind=kind, date__gte=start, date__lte=end
        )
        .values(f"{branch_field}_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[str, int] = defaultdict(int)
    for _, child, _, n in placements.rollup(facts, unit=f"{branch_field}_id", sums={"n": None}):
        out[child] += int(n)
    return out


def figures(
    root: Organization, year: int, progress: Callable[[int], None] = lambda pct: None, as_of: date | None = None
) -> tuple[dict, ChildRows]:
    """{child key: {figure: count}} for the root's children on ``as_of`` (the grouped passes)."""
    placements = Placements(root, {0: as_of or reference_date(root, year)})
    rows = ChildRows(root, placements, 0)
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts = member_counts(placements, _member_aggregates(year, placements.days[0]), lambda name: 0)
    for (_, child, _, name), n in counts.items():
        per[child][name] += n
    progress(50)
    for name, kind, field in (
        ("moved_in", MemberEvent.Kind.TRANSFER_IN, "to_branch"),
        ("moved_out", MemberEvent.Kind.TRANSFER_OUT, "from_branch"),
    ):
        for key, n in _events(placements, year, kind, field).items():
            per[key][name] += n
    progress(70)
    return per, rows


def _table(
    title: str,
    sheet: str,
    columns: list[str],
    units,
    per,
    cells: Callable[[dict], list],
    percent: set[int] = frozenset(),
) -> Table:
    body, sums = [], defaultdict(int)
    for unit in units:
        f = per.get(unit.key, {})
        for name, n in f.items():
            sums[name] += n
        body.append([unit.code, unit.name, *cells(f)])
    return Table(
        title=title,
        columns=["Mã đơn vị", "Đơn vị", *columns],
        rows=body,
        total=["", "Tổng cộng", *cells(sums)],
        percent_columns={i + 2 for i in percent},
        sheet=sheet,
    )


def _tables(per, units, year: int, as_of: date) -> list[Table]:
    ages = _table(
        f"Đoàn viên theo độ tuổi (tính đến {as_of:%d/%m/%Y})",
        "Độ tuổi",
        ["Tổng số", *[b[0] for b in AGE_BANDS]],
        units,
        per,
        lambda f: [f.get("total", 0), *[f.get(f"age{i}", 0) for i in range(len(AGE_BANDS))]],
    )
    structure = _table(
        f"Đoàn viên theo giới tính, dân tộc, đảng viên (tính đến {as_of:%d/%m/%Y})",
        "Giới tính, dân tộc",
        ["Tổng số", *[g[1] for g in GENDERS], "Dân tộc Kinh", "Dân tộc thiểu số", "Đảng viên", "Tỷ lệ đảng viên"],
        units,
        per,
        lambda f: [
            f.get("total", 0),
            *[f.get(f"g_{c}", 0) for c, _ in GENDERS],
            f.get("majority", 0),
            f.get("total", 0) - f.get("majority", 0),
            f.get("party", 0),
            rate(f.get("party", 0), f.get("total", 0)),
        ],
        percent={8},
    )
    flows = _table(
        f"Biến động đoàn viên trong năm {year}",
        "Biến động",
        ["Kết nạp mới", "Chuyển đến", "Chuyển đi", "Trưởng thành"],
        units,
        per,
        lambda f: [f.get("admitted", 0), f.get("moved_in", 0), f.get("moved_out", 0), f.get("matured", 0)],
    )
    return [ages, structure, flows]


def _narrative(root: Organization, year: int, as_of: date, f: dict) -> list[str]:
    total = f.get("total", 0)
    minority = total - f.get("majority", 0)
    female = f.get(f"g_{Member.Gender.FEMALE}", 0)
    return [
        f"Tính đến {as_of:%d/%m/%Y}, {root.name} có {vn_int(total)} đoàn viên, trong đó nữ {vn_int(female)} "
        f"({vn_percent(rate(female, total))}), dân tộc thiểu số {vn_int(minority)} ({vn_percent(rate(minority, total))}), "
        f"đảng viên {vn_int(f.get('party', 0))} ({vn_percent(rate(f.get('party', 0), total))}).",
        f"Trong năm {year}, kết nạp mới {vn_int(f.get('admitted', 0))} đoàn viên; {vn_int(f.get('matured', 0))} đoàn viên "
        f"trưởng thành; chuyển đi {vn_int(f.get('moved_out', 0))}, chuyển đến {vn_int(f.get('moved_in', 0))} lượt "
        "(tính theo đơn vị trực thuộc).",
    ]


def narrative_of_tables(root: Organization, year: int, as_of: date, tables: list[Table]) -> list[str]:
    """``_narrative`` read back from the totals rows of ``_tables``' three tables (a return built
    from the children's signed rows has its figures only there)."""
    structure, flows = tables[1].total[2:], tables[2].total[2:]
    genders = [code for code, _ in GENDERS]
    f = {
        "total": structure[0],
        **{f"g_{code}": structure[1 + i] for i, code in enumerate(genders)},
        "majority": structure[1 + len(genders)],
        "party": structure[3 + len(genders)],
        **dict(zip(("admitted", "moved_in", "moved_out", "matured"), flows, strict=True)),
    }
    return _narrative(root, year, as_of, f)


def build(
    *,
    root: Organization,
    year: int,
    progress: Callable[[int], None] = lambda pct: None,
    as_of: date | None = None,
    **options,
) -> ReportData:
    progress(5)
    as_of = as_of or reference_date(root, year)
    per, rows = figures(root, year, progress, as_of)
    units = rows.ordered({k for k, f in per.items() if any(f.values())})
    tables = _tables(per, units, year, as_of)
    totals = defaultdict(int)
    for f in per.values():
        for name, n in f.items():
            totals[name] += n
    chart = Chart(
        kind="stacked-bar",
        title=f"Cơ cấu độ tuổi đoàn viên theo đơn vị trực thuộc, năm {year} (%)",
        labels=[u.name for u in units],
        series=[
            (band[0], [rate(per.get(u.key, {}).get(f"age{i}", 0), per.get(u.key, {}).get("total", 0)) for u in units])
            for i, band in enumerate(AGE_BANDS)
        ],
    )
    progress(85)
    return ReportData(
        kind="membership",
        title=f"Thống kê đoàn viên năm {year}",
        root_code=root.code,
        root_name=root.name,
        year=year,
        narrative=_narrative(root, year, as_of, totals),
        tables=tables,
        charts=[chart] if units else [],
        as_of=as_of,
    )
