"""The shape every report builder returns, whatever app computes it.

Builders live in the app that owns the data (``evaluations.reporting``, ``fieldwork.reporting``,
``evaluations.recognition.reporting``, …) and return a ``ReportData``; the ``reports`` app runs
them as jobs and renders the same data as a page, a Vietnamese narrative and an Excel workbook.
Defined here, in the lowest app, so that every app can build one without importing ``reports``.

Builder signature: ``build(*, root: Organization, year: int, progress=lambda pct: None, **options)
-> ReportData``; it must read one consistent snapshot (the job runs it in a REPEATABLE READ
transaction on PostgreSQL) and call ``progress`` with 0–100 now and then. ``options["as_of"]``
is the reference date (``reports.services.build_data`` always passes one): units and members are
counted as they stood on that day.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Cell = str | int | float | Decimal | date | None


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None  # the totals row; must equal the sum of ``rows``
    percent_columns: set[int] = field(default_factory=set)  # column indexes holding rates 0–100
    sheet: str = ""  # short sheet name (≤ 31 chars); defaults to the title
    # Consecutive tables of one ``stack`` (the same columns) print on one sheet of that name, one
    # under the other, rather than a page each (issue 15); ``sheet`` still names the table.
    stack: str = ""


@dataclass
class Chart:
    kind: str  # "stacked-bar" | "line"
    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]


@dataclass
class ReportData:
    kind: str
    title: str
    root_code: str
    root_name: str
    year: int | None
    narrative: list[str] = field(default_factory=list)  # Vietnamese paragraphs
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    as_of: date | None = None  # the reference date the figures are counted at (issue 18)
