"""A unit's return built up the tree (issue 18): from its children's accepted returns (the figures
they signed) or from live data, and where the two differ, with why.

A report's per-unit tables (a row per child: "Mã đơn vị", "Đơn vị", figures, a totals row) take
each child's row from the figures the child signed for the same table:
- ratings: the per-unit tables ("Đoàn viên — theo đơn vị trực thuộc, năm 2025") have the columns of
  the child's own summary row ("Đoàn viên" in "Tổng hợp kết quả xếp loại");
- membership: each table ("Độ tuổi", "Giới tính, dân tộc", "Biến động") is the child's table of
  the same sheet, whose totals row is the child's own figures;
- recognition ("3 chủ động"): the table of the year ("Năm 2025"), likewise; the trend's row of the
  year is its totals again.
A child with no accepted return keeps its live row, and the page says so. Fieldwork ("1+2")
returns are not consolidated: their tables are the sending unit's own staff and their visits,
which no child signs for."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluations.models import SubjectType
from evaluations.recognition import reporting as recognition
from organizations.models import Organization
from organizations.numbers import vn_int
from organizations.reporting import ReportData, Table
from reports.builders import membership
from reports.builders.common import rate
from reports.builders.ratings import SUBJECT_ORDER, Tally, subject_sentence
from reports.services import build_data

from . import diff, reasons
from .models import Return

KINDS = {"ratings", "membership", "recognition"}
SEPARATOR = " — "  # "Đoàn viên — theo đơn vị trực thuộc, năm 2025"
# The comparison's first column: the subject (ratings) or the sheet the figures come from.
LABEL_COLUMN = {"ratings": "Đối tượng", "membership": "Bảng số liệu", "recognition": "Bảng số liệu"}


def _require_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError(
            "Chỉ báo cáo xếp loại chất lượng, thống kê đoàn viên và đoàn cơ sở “3 chủ động” mới tổng hợp được "
            "từ báo cáo của đơn vị trực thuộc; báo cáo cán bộ đi cơ sở “1+2” là của riêng cán bộ đơn vị gửi."
        )


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


def _label(kind: str, table: Table) -> str | None:
    """What names a per-unit table's signed figures in a child's return: the subject (ratings)
    or the sheet (membership, recognition); None for any other table."""
    if table.columns[:1] != [diff.UNIT_CODE] or table.total is None:
        return None
    if kind == "ratings":
        head = table.title.split(SEPARATOR, 1)[0]
        return head if SEPARATOR in table.title else None
    return table.sheet or None


def _signed(kind: str, ret: Return, label: str) -> list | None:
    """The figures ``ret`` (a child's return) signed for the table ``label`` names."""
    tables = ret.data.get("tables") or []
    if kind == "ratings":  # its summary table, a row per subject
        return next((row[1:] for row in (tables[0]["rows"] if tables else []) if row[0] == label), None)
    table = next((t for t in tables if t.get("sheet") == label), None)
    return table["total"][2:] if table and table.get("total") else None


def _totals(kind: str, table: Table) -> list:
    """The totals row again after rows were replaced: sums, and each rate over the first figure
    (recognition's rates have their own denominators: its builder adds them up)."""
    if kind == "recognition":
        return recognition.total_of(table.rows)
    first = 2
    total: list = ["", diff.TOTAL]
    for i in range(first, len(table.columns)):
        if i in table.percent_columns:
            total.append(rate(total[i - 1], total[first]))
        else:
            total.append(sum(row[i] for row in table.rows if isinstance(row[i], int | float)))
    return total


def _apply(kind: str, data: ReportData, signed: dict[str, Return]) -> int:
    """Put each signed child's figures in the per-unit tables; returns how many rows changed hands."""
    replaced, label_totals = 0, {}
    for table in data.tables:
        label = _label(kind, table)
        if label is None:
            continue
        for row in table.rows:
            figures = _signed(kind, signed[row[0]], label) if row[0] in signed else None
            if figures is not None:
                row[2:] = figures
                replaced += 1
        table.total = _totals(kind, table)
        label_totals[label] = table.total[2:]
    summary = data.tables[0] if kind == "ratings" and data.tables else None
    if summary is not None:
        summary.rows = [[r[0], *label_totals.get(r[0], r[1:])] for r in summary.rows]
    return replaced


def _source_line(signed: dict, children: int) -> str:
    return (
        f"Số liệu tổng hợp từ báo cáo đã được tiếp nhận của {vn_int(len(signed))}/{vn_int(children)} đơn vị "
        f"trực thuộc; đơn vị chưa có báo cáo được tiếp nhận lấy số liệu trực tiếp lúc "
        f"{timezone.localtime():%H:%M ngày %d/%m/%Y}."
    )


def _narrative(kind: str, data: ReportData, root: Organization, year: int) -> list[str]:
    """The paragraphs again from the consolidated figures (the live ones would contradict them)."""
    if kind == "membership":
        return membership.narrative_of_tables(root, year, data.as_of, data.tables)
    if kind == "recognition":
        return recognition.narrative_of_tables(root, year, data.tables)
    by_label = {row[0]: row[1:] for row in data.tables[0].rows} if data.tables else {}
    lines = []
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
    children = len({row[0] for t in data.tables if _label(kind, t) for row in t.rows})
    _apply(kind, data, signed)
    data.narrative = [_source_line(signed, children), *_narrative(kind, data, root, year)]
    data.charts = []  # the live charts would show other figures than the signed rows
    return data


@dataclass
class Block:
    """Rows of one child that share their columns (ratings: one per subject; membership: a table)."""

    columns: list[str]
    percent_columns: set[int]
    rows: list[diff.RowDiff] = field(default_factory=list)  # signed (before) vs live (after)

    @property
    def lines(self) -> list[dict]:
        """Rows with their cells, for the page."""
        return diff.TableDiff("", self.columns, self.percent_columns, 1, self.rows).lines


@dataclass
class ChildComparison:
    code: str
    name: str
    signed: Return | None
    blocks: list[Block] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return self.signed is not None and any(r.is_changed for b in self.blocks for r in b.rows)


@dataclass
class Comparison:
    children: list[ChildComparison]


def _block(child: ChildComparison, columns: list[str], percent: set[int]) -> Block:
    if not child.blocks or child.blocks[-1].columns != columns:
        child.blocks.append(Block(columns, percent))
    return child.blocks[-1]


def compare(*, kind: str, root: Organization, year: int) -> Comparison:
    """Each child: its signed figures against the live ones, per table, and the history since it signed."""
    _require_kind(kind)
    live = build_data(kind=kind, root=root, year=year, years=[])
    signed = accepted_of_children(kind=kind, root=root, year=year)
    children: dict[str, ChildComparison] = {}
    for table in live.tables:
        label = _label(kind, table)
        if label is None:
            continue
        columns = [LABEL_COLUMN[kind], *table.columns[2:]]
        percent = {i - 1 for i in table.percent_columns}
        for row in table.rows:
            child = children.setdefault(row[0], ChildComparison(row[0], row[1], signed.get(row[0])))
            before = _signed(kind, child.signed, label) if child.signed else None
            _block(child, columns, percent).rows.append(
                diff.row_diff(label, [label, *before] if before else None, [label, *row[2:]], 1, len(columns))
            )
    why = reasons.since_each(
        root=root, windows=[(r.root.path, r.submitted_at) for r in signed.values()], until=timezone.now()
    )
    for child in children.values():
        child.reasons = why.for_row(child.code) if child.signed else []
    return Comparison(children=list(children.values()))
