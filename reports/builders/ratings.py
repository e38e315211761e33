"""The annual rating rollup for a root unit and year (issue 5; seed 000's report to TW Đoàn).

For each subject type: counts and rates of the four levels plus an explicit "chưa xếp loại"
residual so that every row adds up to its total (DOMAIN.md §1: "a computed report must add up"),
per child unit of the root and per level of the tree, with the previous years beside it.

A fixed number of queries whatever the subtree's size (DESIGN.md's measured pattern: group the
facts once with ``count(*) FILTER``): decided assessments per unit; the units under the root on
each year's reference date with where they hung then (``common.Placements``); members on the roll
then, per chi đoàn they were in then. Rows are rolled up to the root's children as they were on
that day (issue 18), so a unit merged, moved or dissolved since, or a member transferred since,
counts where it was.

Totals (the denominators), on each year's reference date (the report's ``as_of`` for its year,
the rating period's lock date for the years compared, else 31/12):
- organisations: units of the subject's levels that existed on the day (founded by then, not
  closed on or before it); the root itself is excluded (the level above rates it);
- leadership collectives: one per tổ chức cơ sở Đoàn and per upper-level unit (their BCH);
- members: members on a chi đoàn's roll on the day, at the chi đoàn they were in then.
"Chưa xếp loại" = total − decided; should decided assessments ever exceed the roster (a subject
rated and then removed), the total is raised to the decided count rather than going negative.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from evaluations import integrity
from evaluations.models import LEVEL_ORDER, Assessment, RatingLevel, RatingPeriod, SubjectType
from members.history import on_roll_on
from organizations.levels import LevelRole, LevelRoles, level_sort_key
from organizations.models import Level, Organization
from organizations.numbers import vn_decimal, vn_int
from organizations.reporting import Chart, ReportData, Table

from .common import ChildRows, Placements, member_counts, rate, reference_dates, vn_percent, years_window

NOT_RATED = "Chưa xếp loại"
SUBJECT_ORDER = [
    SubjectType.BRANCH,
    SubjectType.GRASSROOTS,
    SubjectType.UPPER,
    SubjectType.COLLECTIVE,
    SubjectType.MEMBER,
]
# The noun a report to the central body uses for each subject ("468/2.294 chi đoàn …").
NOUN = {
    SubjectType.BRANCH: "chi đoàn",
    SubjectType.GRASSROOTS: "tổ chức cơ sở Đoàn",  # đoàn cơ sở and chi đoàn cơ sở (Điều lệ Đoàn)
    SubjectType.UPPER: "đơn vị đoàn cấp trên cơ sở",
    SubjectType.COLLECTIVE: "tập thể lãnh đạo (BCH)",
    SubjectType.MEMBER: "đoàn viên",
}
# Short sheet names (a sheet name holds 31 characters): "Tập thể lãnh đạo (BCH-BTV)…" was cut.
SHEET = {
    SubjectType.BRANCH: "Chi đoàn",
    SubjectType.GRASSROOTS: "Tổ chức cơ sở Đoàn",
    SubjectType.UPPER: "Đoàn cấp trên cơ sở",
    SubjectType.COLLECTIVE: "Tập thể lãnh đạo",
    SubjectType.MEMBER: "Đoàn viên",
}
# The per-child tables share their columns and are a few rows each: one sheet holds them all
# (eight sheets printed as eight pages, issue 15).
BY_CHILD_SHEET = "Theo đơn vị trực thuộc"
PHRASE = {
    RatingLevel.HTXSNV: "hoàn thành xuất sắc nhiệm vụ",
    RatingLevel.HTTNV: "hoàn thành tốt nhiệm vụ",
    RatingLevel.HTNV: "hoàn thành nhiệm vụ",
    RatingLevel.KHTNV: "không hoàn thành nhiệm vụ",
}
COLUMNS = ["Tổng số"]
for _lv in LEVEL_ORDER:
    COLUMNS += [f"{_lv.value} (số lượng)", f"{_lv.value} (tỷ lệ)"]
COLUMNS += [f"{NOT_RATED} (số lượng)", f"{NOT_RATED} (tỷ lệ)"]
# Column indexes (after the label columns) holding rates.
RATE_OFFSETS = {2, 4, 6, 8, 10}


@dataclass
class Tally:
    """Decided counts per level and the number of subjects, for one row of a table."""

    levels: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    subjects: int = 0

    def add(self, other: "Tally") -> None:
        self.levels = [a + b for a, b in zip(self.levels, other.levels, strict=True)]
        self.subjects += other.subjects

    @property
    def rated(self) -> int:
        return sum(self.levels)

    @property
    def residual(self) -> int:
        return max(self.subjects - self.rated, 0)

    @property
    def total(self) -> int:
        return self.rated + self.residual

    def cells(self) -> list:
        out: list = [self.total]
        for n in [*self.levels, self.residual]:
            out += [n, rate(n, self.total)]
        return out


class Rollup:
    """Tallies keyed by (year, child key, subject type) and (year, level id, subject type)."""

    def __init__(self):
        self.by_child: dict[tuple, Tally] = defaultdict(Tally)
        self.by_level: dict[tuple, Tally] = defaultdict(Tally)
        self.decided_years: set[int] = set()

    def total(self, year: int, subject: str) -> Tally:
        out = Tally()
        for (y, _, s), t in self.by_child.items():
            if y == year and s == subject:
                out.add(t)
        return out


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _decided_sql(root: Organization, years: list[int], placements: Placements) -> tuple[str, list]:
    """Decided assessments counted per (year, unit, subject type), the root's own organisation
    ratings left out (the level above rates it); ``Placements.rollup`` then rolls the unit rows
    up to the root's children by where each unit hung on the year's reference date, in SQL.
    Grouping by the unit id first lets the planner estimate its groups (it cannot for a path
    prefix: it guessed 739,000 for 400 and sorted 4 M rows); measured 1.9 s against 2.7 s for
    grouping the joined rows by prefix directly, at 2 M members and two years (bench/reports.py).
    Tables come from the models."""
    a, p = Assessment._meta.db_table, RatingPeriod._meta.db_table
    levels = [lv.value for lv in LEVEL_ORDER]
    counts = ", ".join(f"COUNT(*) FILTER (WHERE a.final_level = %s) AS n{i}" for i in range(len(levels)))
    params = [*levels, *years, *Assessment.DECIDED, root.pk, SubjectType.MEMBER.value]
    # A subtree smaller than the whole tree is cut before grouping (a province's report never
    # aggregates the other provinces' rows): the units under it on one of the days.
    cut = ""
    if root.depth > 1:
        ids_sql, ids_params = (
            Organization.objects.filter(placements.under_root("pk")).values("pk").query.sql_with_params()
        )
        cut, params = f"AND a.unit_id IN ({ids_sql})", [*params, *ids_params]
    sql = f"""
        SELECT p.year AS year, a.unit_id AS unit_id, a.subject_type AS subject_type, {counts}
        FROM {a} a JOIN {p} p ON p.id = a.period_id
        WHERE p.year IN ({_placeholders(years)}) AND a.status IN ({_placeholders(Assessment.DECIDED)})
          AND NOT (a.unit_id = %s AND a.subject_type <> %s) {cut}
        GROUP BY p.year, a.unit_id, a.subject_type
    """
    return sql, params


def _decided_pass(root: Organization, placements: Placements, roll: Rollup) -> None:
    """Decided assessments by year, child (on the year's day), unit level and subject type."""
    facts = _decided_sql(root, list(placements.days), placements)
    sums = {f"n{i}": None for i in range(len(LEVEL_ORDER))}
    for year, child, level_id, subject, *levels in placements.rollup(
        facts, unit="unit_id", sums=sums, by=("subject_type",), match="year"
    ):
        t = Tally(levels=[int(n) for n in levels])
        roll.by_child[(year, child, subject)].add(t)
        roll.by_level[(year, level_id, subject)].add(t)
        if t.rated:
            roll.decided_years.add(year)


# Which organisation subject types a unit counts for, by its level's role (organizations.levels):
# a chi đoàn cơ sở is a tổ chức cơ sở Đoàn with its BCH, not a chi đoàn; intermediate units (đoàn
# bộ phận, liên chi đoàn) are not rated as organisations.
SUBJECTS_OF_ROLE = {
    LevelRole.BRANCH: [SubjectType.BRANCH],
    LevelRole.GRASSROOTS: [SubjectType.GRASSROOTS, SubjectType.COLLECTIVE],
    LevelRole.UPPER: [SubjectType.UPPER, SubjectType.COLLECTIVE],
    LevelRole.INTERMEDIATE: [],
}


def level_subjects(levels: dict[int, Level], roles: LevelRoles) -> dict[int, list[str]]:
    """Which organisation subject types a unit of each level counts for (levels are data)."""
    return {pk: SUBJECTS_OF_ROLE[roles.of(pk)] for pk in levels}


def _units_pass(placements: Placements, subjects_of: dict[int, list[str]], roll: Rollup) -> None:
    """Units that existed on each year's day, by the child they hung under then and their level."""
    for y, child, level_id, n in placements.unit_counts():
        for subject in subjects_of.get(level_id, []):
            roll.by_child[(y, child, subject)].subjects += n
            roll.by_level[(y, level_id, subject)].subjects += n


def _members_pass(placements: Placements, roll: Rollup) -> None:
    """Members on the roll on each year's day (members.history), in the chi đoàn they were in
    then, by the child it hung under then and its level (a chi đoàn or a chi đoàn cơ sở: both
    hold members): ``common.member_counts``."""
    aggregates = {f"y{y}": Count("pk", filter=on_roll_on(day)) for y, day in placements.days.items()}
    for (y, child, level_id, _), n in member_counts(placements, aggregates, lambda name: int(name[1:])).items():
        roll.by_child[(y, child, SubjectType.MEMBER)].subjects += n
        roll.by_level[(y, level_id, SubjectType.MEMBER)].subjects += n


def days(root: Organization, years: list[int], as_of: date | None = None) -> dict[int, date]:
    """Each year's reference date: ``as_of`` for the report's year (the last), the period's for
    the years compared (``common.reference_dates``; one query)."""
    out = reference_dates(root, sorted(years))
    if as_of:
        out[max(years)] = as_of
    return out


def rollup(
    root: Organization,
    years: list[int],
    progress: Callable[[int], None] = lambda pct: None,
    as_of: date | None = None,
    dates: dict[int, date] | None = None,
) -> tuple[Rollup, ChildRows, dict[int, Level]]:
    """The grouped passes, counted as of each year's reference date (``days``, or ``dates``
    already read); shared by the builder, the API and the benchmark."""
    roles = LevelRoles.load()
    levels = roles.levels
    placements = Placements(root, dates or days(root, years, as_of))
    rows = ChildRows(root, placements, max(years))
    roll = Rollup()
    _decided_pass(root, placements, roll)
    progress(40)
    _units_pass(placements, level_subjects(levels, roles), roll)
    progress(55)
    _members_pass(placements, roll)
    progress(75)
    return roll, rows, levels


# ---- tables, charts and narrative ---------------------------------------------------------------


def _rate_columns(first: int) -> set[int]:
    return {first + offset for offset in RATE_OFFSETS}


def _summary_table(roll: Rollup, year: int) -> Table:
    rows = [[subject.label, *roll.total(year, subject).cells()] for subject in SUBJECT_ORDER]
    return Table(
        title=f"Tổng hợp kết quả xếp loại năm {year}",
        columns=["Đối tượng", *COLUMNS],
        rows=rows,
        percent_columns=_rate_columns(1),
        sheet="Tổng hợp",
    )


def _child_table(roll: Rollup, rows: ChildRows, year: int, subject: str) -> Table | None:
    keys = {k for (y, k, s), t in roll.by_child.items() if y == year and s == subject and t.total}
    if not keys:
        return None
    body, total = [], Tally()
    for unit in rows.ordered(keys):
        t = roll.by_child.get((year, unit.key, subject), Tally())
        total.add(t)
        body.append([unit.code, unit.name, *t.cells()])
    label = SubjectType(subject).label
    return Table(
        title=f"{label} — theo đơn vị trực thuộc, năm {year}",
        columns=["Mã đơn vị", "Đơn vị", *COLUMNS],
        rows=body,
        total=["", "Tổng cộng", *total.cells()],
        percent_columns=_rate_columns(2),
        sheet=f"{SHEET[subject]} theo ĐV",
        stack=BY_CHILD_SHEET,
    )


def _level_table(roll: Rollup, levels: dict[int, Level], year: int) -> Table | None:
    body = []
    for lv in sorted(levels.values(), key=level_sort_key):
        for subject in SUBJECT_ORDER:
            t = roll.by_level.get((year, lv.pk, subject))
            if t and t.total:
                body.append([lv.name, SubjectType(subject).label, *t.cells()])
    if not body:
        return None
    return Table(
        title=f"Kết quả xếp loại theo cấp, năm {year}",
        columns=["Cấp", "Đối tượng", *COLUMNS],
        rows=body,
        percent_columns=_rate_columns(2),
        sheet="Theo cấp",
    )


def _years_table(roll: Rollup, years: list[int]) -> Table | None:
    if len(years) < 2:
        return None
    body = []
    for subject in SUBJECT_ORDER:
        for y in years:
            t = roll.total(y, subject)
            if t.total:
                body.append([SubjectType(subject).label, str(y), *t.cells()])
    return Table(
        title=f"So sánh qua các năm {years[0]}–{years[-1]}",
        columns=["Đối tượng", "Năm", *COLUMNS],
        rows=body,
        percent_columns=_rate_columns(2),
        sheet="So sánh các năm",
    )


def _distribution_chart(roll: Rollup, rows: ChildRows, year: int) -> Chart | None:
    """Stacked bars per child unit: the share of each level (and of the not rated) in %."""
    for subject in (SubjectType.MEMBER, SubjectType.BRANCH, SubjectType.GRASSROOTS):
        keys = {k for (y, k, s), t in roll.by_child.items() if y == year and s == subject and t.total}
        if keys:
            break
    else:
        return None
    units = rows.ordered(keys)
    tallies = [roll.by_child.get((year, u.key, subject), Tally()) for u in units]
    names = [*[lv.label for lv in LEVEL_ORDER], NOT_RATED]
    series = [(names[i], [rate(([*t.levels, t.residual])[i], t.total) for t in tallies]) for i in range(len(names))]
    return Chart(
        kind="stacked-bar",
        title=f"Tỷ lệ xếp loại {NOUN[subject]} theo đơn vị trực thuộc, năm {year} (%)",
        labels=[u.name for u in units],
        series=series,
    )


def _trend_chart(roll: Rollup, years: list[int]) -> Chart | None:
    if len(years) < 2:
        return None
    series = []
    for subject in SUBJECT_ORDER:
        tallies = [roll.total(y, subject) for y in years]
        if any(t.total for t in tallies):
            series.append((SubjectType(subject).label, [rate(t.levels[0], t.total) for t in tallies]))
    if not series:
        return None
    return Chart(
        kind="line",
        title="Tỷ lệ hoàn thành xuất sắc nhiệm vụ qua các năm (%)",
        labels=[str(y) for y in years],
        series=series,
    )


def _flags_table(root: Organization, year: int) -> Table | None:
    """The batches that look unreviewed (evaluations.integrity), one row per flag, with the
    approver's dismissal where there is one; absent when nothing is flagged."""
    body = [
        [u.unit.code, u.unit.name, f.label, f.message, f.status_text]
        for u in integrity.subtree_flags(root=root, year=year)
        for f in u.flags
    ]
    if not body:
        return None
    return Table(
        title=f"Dấu hiệu cần xem lại, năm {year}",
        columns=["Mã đơn vị", "Đơn vị", "Dấu hiệu", "Chi tiết", "Trạng thái"],
        rows=body,
        sheet="Dấu hiệu cần xem lại",
    )


def _fraction(n: int, t: Tally) -> str:
    return f"{vn_int(n)}/{vn_int(t.total)}"


def subject_sentence(root_name: str, year: int, subject: str, t: Tally) -> str:
    """The paragraph "Năm 2025, X có 468/2.294 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ
    20,4%; …" a report to the central body uses (seed 000), naming only the levels that occur
    (a "0/2.294 … (0,0%)" clause reads as noise) and the not rated only when some are."""
    noun = NOUN[subject]
    opening = f"Năm {year}, {root_name} có "
    parts = []
    for i, lv in enumerate(LEVEL_ORDER):
        n = t.levels[i]
        if not n:
            continue
        pct = vn_percent(rate(n, t.total))
        if i == 0:
            parts.append(f"{_fraction(n, t)} {noun} được công nhận {PHRASE[lv]}, đạt tỷ lệ {pct}")
        else:
            parts.append(f"{_fraction(n, t)} {noun} {PHRASE[lv]} ({pct})")
    if t.residual:
        parts.append(f"{vn_int(t.residual)} {noun} chưa xếp loại ({vn_percent(rate(t.residual, t.total))})")
    return opening + "; ".join(parts) + "."


def comparison_sentence(subject: str, before_year: int, before: Tally, now: Tally) -> str:
    was, is_ = rate(before.levels[0], before.total), rate(now.levels[0], now.total)
    diff = round(is_ - was, 1)
    change = "không đổi" if diff == 0 else f"{'tăng' if diff > 0 else 'giảm'} {vn_decimal(abs(diff))} điểm phần trăm"
    return (
        f"So với năm {before_year} ({_fraction(before.levels[0], before)}, {vn_percent(was)}), tỷ lệ {NOUN[subject]} "
        f"hoàn thành xuất sắc nhiệm vụ {change}."
    )


def _narrative(root: Organization, roll: Rollup, year: int, years: list[int]) -> list[str]:
    paragraphs = []
    previous = [y for y in years if y < year]
    for subject in SUBJECT_ORDER:
        t = roll.total(year, subject)
        if not t.rated:  # a subject type nobody rated has nothing to report ("643 … chưa xếp loại (100,0%)")
            continue
        text = subject_sentence(root.name, year, subject, t)
        if previous:
            before = roll.total(previous[-1], subject)
            if before.rated:  # a year nobody rated this subject compares nothing
                text += " " + comparison_sentence(subject, previous[-1], before, t)
        paragraphs.append(text)
    if not paragraphs:
        paragraphs.append(f"Năm {year}, {root.name} chưa có số liệu xếp loại.")
    return paragraphs


def build(
    *,
    root: Organization,
    year: int,
    progress: Callable[[int], None] = lambda pct: None,
    years: list[int] | None = None,
    compare: int | None = None,
    as_of: date | None = None,
    **options,
) -> ReportData:
    """The rating rollup of ``root``'s subtree for ``year`` (and the previous years that have
    decided ratings: by default the two before it; ``years`` or ``compare`` choose others)."""
    progress(5)
    wanted = years_window(year, years, compare)
    dates = days(root, wanted, as_of)
    as_of = dates[year]
    roll, rows, levels = rollup(root, wanted, progress, dates=dates)
    shown = [y for y in wanted if y == year or y in roll.decided_years]
    tables = [_summary_table(roll, year)]
    for subject in SUBJECT_ORDER:
        table = _child_table(roll, rows, year, subject)
        if table:
            tables.append(table)
    tables += [t for t in (_level_table(roll, levels, year), _years_table(roll, shown), _flags_table(root, year)) if t]
    charts = [c for c in (_distribution_chart(roll, rows, year), _trend_chart(roll, shown)) if c]
    progress(85)
    return ReportData(
        kind="ratings",
        title=f"Báo cáo kết quả xếp loại chất lượng năm {year}",
        root_code=root.code,
        root_name=root.name,
        year=year,
        narrative=_narrative(root, roll, year, shown),
        tables=tables,
        charts=charts,
        as_of=as_of,
    )
