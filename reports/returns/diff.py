"""Two frozen reports side by side, cell by cell (issue 18: "changed cells highlighted").

Works on the reports' JSON (reports.serialize), so any two versions of a return, or this year's
against last year's, compare the same way. Tables are matched by their sheet name (titles carry
the year: "… năm 2025"), rows by the unit code where the table has one, else by their leading
text cells ("Đoàn viên", "Cấp tỉnh · Chi đoàn"); a row in one only is added or removed."""

import re
from dataclasses import dataclass, field

from reports.pdf import display

UNIT_CODE = "Mã đơn vị"
TOTAL = "Tổng cộng"
_YEAR = re.compile(r"\b(19|20)\d\d\b")


@dataclass
class RowDiff:
    key: str
    label: list[str]
    before: list | None
    after: list | None
    changed: set[int] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed" if self.changed else "same"

    @property
    def is_changed(self) -> bool:
        return self.status != "same"


@dataclass
class TableDiff:
    title: str
    columns: list[str]
    percent_columns: set[int]
    labels: int  # how many leading columns name the row
    rows: list[RowDiff]

    @property
    def changed_rows(self) -> list[RowDiff]:
        return [r for r in self.rows if r.is_changed]

    @property
    def lines(self) -> list[dict]:
        """Rows with their cells, for the page."""
        return [{"row": r, "cells": self.cells(r)} for r in self.rows]

    def cells(self, row: RowDiff) -> list[dict]:
        """Each value column as the page shows it: before, after, and whether it changed."""
        out = []
        for i in range(self.labels, len(self.columns)):
            pct = i in self.percent_columns
            out.append(
                {
                    "before": display(_at(row.before, i), percent=pct) if row.before is not None else "",
                    "after": display(_at(row.after, i), percent=pct) if row.after is not None else "",
                    "changed": i in row.changed or row.status in ("added", "removed"),
                }
            )
        return out


@dataclass
class ReturnDiff:
    tables: list[TableDiff]
    narrative_before: list[str]
    narrative_after: list[str]

    @property
    def changed_count(self) -> int:
        return sum(len(t.changed_rows) for t in self.tables)

    @property
    def narrative_changed(self) -> bool:
        return self.narrative_before != self.narrative_after


def _at(row: list | None, i: int):
    return row[i] if row is not None and i < len(row) else None


def _table_key(table: dict) -> str:
    return table.get("sheet") or _YEAR.sub("", table["title"]).strip()


def _labels(table: dict) -> int:
    """How many leading columns name a row: the code and name, or the text cells before the figures."""
    if table["columns"][:1] == [UNIT_CODE]:
        return 2
    sample = table["rows"][0] if table["rows"] else []
    n = 0
    while n < len(sample) and isinstance(sample[n], str) and n < len(table["columns"]) - 1:
        n += 1
    return max(n, 1)


def _rows(table: dict, labels: int) -> dict[str, list]:
    """Rows keyed by unit code (or leading text), the totals row as "Tổng cộng"."""
    by_code = table["columns"][:1] == [UNIT_CODE]
    out: dict[str, list] = {}
    for row in table["rows"]:
        key = str(row[0]) if by_code else " · ".join(str(c) for c in row[:labels])
        out.setdefault(key, row)
    if table.get("total") is not None:
        out[TOTAL] = table["total"]
    return out


def _same(a, b) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return round(float(a), 4) == round(float(b), 4)
    return a == b


def row_diff(key: str, before: list | None, after: list | None, labels: int, width: int) -> RowDiff:
    shown = after if after is not None else before
    changed = set()
    if before is not None and after is not None:
        changed = {i for i in range(labels, width) if not _same(_at(before, i), _at(after, i))}
    return RowDiff(key=key, label=[str(c) for c in shown[:labels]], before=before, after=after, changed=changed)


def _table_diff(before: dict | None, after: dict | None) -> TableDiff:
    shown = after or before
    labels = _labels(shown)
    old = _rows(before, labels) if before else {}
    new = _rows(after, labels) if after else {}
    keys = list(new) + [k for k in old if k not in new]
    if TOTAL in keys:  # the totals row stays last
        keys = [k for k in keys if k != TOTAL] + [TOTAL]
    width = len(shown["columns"])
    return TableDiff(
        title=shown["title"],
        columns=shown["columns"],
        percent_columns=set(shown.get("percent_columns") or ()),
        labels=labels,
        rows=[row_diff(k, old.get(k), new.get(k), labels, width) for k in keys],
    )


def compare(before: dict, after: dict) -> ReturnDiff:
    """``before`` and ``after``: two reports' JSON (a return's ``data``)."""
    old = {_table_key(t): t for t in before.get("tables", [])}
    new = {_table_key(t): t for t in after.get("tables", [])}
    keys = list(new) + [k for k in old if k not in new]
    return ReturnDiff(
        tables=[_table_diff(old.get(k), new.get(k)) for k in keys],
        narrative_before=list(before.get("narrative", [])),
        narrative_after=list(after.get("narrative", [])),
    )
