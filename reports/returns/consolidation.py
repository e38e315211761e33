"""A unit's return built up the tree (issue 18): from its children's accepted returns (the figures
they signed) or from live data, and where the two differ, with why.

Rating reports only: their per-unit tables ("Đoàn viên — theo đơn vị trực thuộc, năm 2025") have a
row per child with the same columns as the child's own summary row ("Đoàn viên" in "Tổng hợp kết
quả xếp loại"), so a child's signed summary is its row in the parent's return. A child with no
accepted return keeps its live row, and the page says so."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluations.models import SubjectType
from organizations.models import Organization
from organizations.numbers import vn_int
from organizations.reporting import ReportData, Table
from reports.builders.common import rate
from reports.builders.ratings import SUBJECT_ORDER, Tally, subject_sentence
from reports.services import build_data

from . import diff, reasons
from .models import Return

KINDS = {"ratings"}
SEPARATOR = " — "  # "Đoàn viên — theo đơn vị trực thuộc, năm 2025"


def _require_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError("Chỉ báo cáo xếp loại chất lượng mới tổng hợp được từ báo cáo của đơn vị trực thuộc.")


def accepted_of_children(*, kind: str, root: Organization, year: int) -> dict[str, Return]:
    """The newest accepted return of each direct child, by the child's code (one query)."""
    rows = (
        Return.objects.filter(
            kind=kind, year=year, status=Return.Status.ACCEPTED, receiver=root, root__depth=root.depth + 1
        )
        .select_related("root", "submitted_by")
        .order_by("root_id", "-version")
    )
    out: dict[str, Return] = {}
    for ret in rows:
        out.setdefault(ret.root.code, ret)
    return out


def _signed_rows(ret: Return) -> dict[str, list]:
    """A child's signed summary: subject label -> its figures (the summary table is the first)."""
    tables = ret.data.get("tables") or []
    return {row[0]: row[1:] for row in (tables[0]["rows"] if tables else [])}


def _subject(table: Table) -> str | None:
    head = table.title.split(SEPARATOR, 1)[0]
    return head if SEPARATOR in table.title and table.columns[:1] == [diff.UNIT_CODE] else None


def _totals(table: Table) -> list:
    """The totals row again after rows were replaced: sums, and each rate over the first figure."""
    first = 2
    total: list = ["", diff.TOTAL]
    for i in range(first, len(table.columns)):
        if i in table.percent_columns:
            total.append(rate(total[i - 1], total[first]))
        else:
            total.append(sum(row[i] for row in table.rows if isinstance(row[i], int | float)))
    return total


def _apply(data: ReportData, signed: dict[str, Return]) -> int:
    """Put each signed child's figures in the per-unit tables; returns how many rows changed hands."""
    replaced, subject_totals = 0, {}
    for table in data.tables:
        subject = _subject(table)
        if subject is None:
            continue
        for row in table.rows:
            figures = _signed_rows(signed[row[0]]).get(subject) if row[0] in signed else None
            if figures is not None:
                row[2:] = figures
                replaced += 1
        table.total = _totals(table)
        subject_totals[subject] = table.total[2:]
    summary = data.tables[0] if data.tables else None
    if summary is not None:
        summary.rows = [[r[0], *subject_totals.get(r[0], r[1:])] for r in summary.rows]
    return replaced


def _narrative(data: ReportData, root: Organization, year: int, signed: dict, children: int) -> list[str]:
    by_label = {row[0]: row[1:] for row in data.tables[0].rows} if data.tables else {}
    lines = [
        f"Số liệu tổng hợp từ báo cáo đã được tiếp nhận của {vn_int(len(signed))}/{vn_int(children)} đơn vị "
        f"trực thuộc; đơn vị chưa có báo cáo được tiếp nhận lấy số liệu trực tiếp lúc "
        f"{timezone.localtime():%H:%M ngày %d/%m/%Y}."
    ]
    for subject in SUBJECT_ORDER:
        cells = by_label.get(SubjectType(subject).label)
        if not cells:
            continue
        tally = Tally(levels=[int(cells[i]) for i in (1, 3, 5, 7)], subjects=int(cells[0]))
        if tally.rated:
            lines.append(subject_sentence(root.name, year, subject, tally))
    return lines


def from_children(*, kind: str, root: Organization, year: int) -> ReportData:
    """The root's report with each child's row taken from the child's accepted return."""
    _require_kind(kind)
    data = build_data(kind=kind, root=root, year=year, years=[])
    signed = accepted_of_children(kind=kind, root=root, year=year)
    children = len({row[0] for t in data.tables if _subject(t) for row in t.rows})
    _apply(data, signed)
    data.narrative = _narrative(data, root, year, signed, children)
    data.charts = []  # the live charts would show other figures than the signed rows
    return data


@dataclass
class ChildComparison:
    code: str
    name: str
    signed: Return | None
    rows: list[diff.RowDiff] = field(default_factory=list)  # per subject: signed (before) vs live (after)
    reasons: list[str] = field(default_factory=list)

    lines: list[dict] = field(default_factory=list)  # rows with their cells, for the page

    @property
    def differs(self) -> bool:
        return self.signed is not None and any(r.is_changed for r in self.rows)


@dataclass
class Comparison:
    columns: list[str]
    percent_columns: set[int]
    children: list[ChildComparison]


def compare(*, kind: str, root: Organization, year: int) -> Comparison:
    """Each child: its signed figures against the live ones, per subject, and the history since it signed."""
    _require_kind(kind)
    live = build_data(kind=kind, root=root, year=year, years=[])
    signed = accepted_of_children(kind=kind, root=root, year=year)
    children: dict[str, ChildComparison] = {}
    columns, percent = ["Đối tượng"], set()
    for table in live.tables:
        subject = _subject(table)
        if subject is None:
            continue
        columns = ["Đối tượng", *table.columns[2:]]
        percent = {i - 1 for i in table.percent_columns}
        for row in table.rows:
            child = children.setdefault(row[0], ChildComparison(row[0], row[1], signed.get(row[0])))
            before = _signed_rows(child.signed).get(subject) if child.signed else None
            child.rows.append(
                diff.row_diff(subject, [subject, *before] if before else None, [subject, *row[2:]], 1, len(columns))
            )
    why = reasons.since_each(
        root=root, windows=[(r.root.path, r.submitted_at) for r in signed.values()], until=timezone.now()
    )
    for child in children.values():
        child.reasons = why.for_row(child.code) if child.signed else []
        child.lines = diff.TableDiff("", columns, percent, 1, child.rows).lines
    return Comparison(columns=columns, percent_columns=percent, children=list(children.values()))
