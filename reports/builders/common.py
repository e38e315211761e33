"""Helpers every builder of this app shares: rows per child unit, rates, year windows.

Rollups follow DESIGN.md's measured pattern: one grouped pass over the facts, keyed by the path
prefix of the root's child each row falls under (``child_prefix``), so a report costs a fixed
number of queries whatever the size of the subtree; never a query per node."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.db.models.functions import Substr

from organizations import numbers
from organizations.models import Organization
from organizations.numbers import vn_decimal
from organizations.text import vn_sort_key

SELF = "__self__"


def rate(part: int, whole: int) -> float:
    """A rate 0–100 rounded half up to one decimal, the figure the page, Excel and text share."""
    return float(numbers.rate(part, whole))


def vn_percent(value: float) -> str:
    """20.4 -> "20,4%" (the value is already rounded by ``rate``)."""
    return vn_decimal(value) + "%"


def child_prefix(root: Organization, path_field: str):
    """An expression giving, for a row under ``root``, the path of the root's child above it
    (or the root's own path for rows attached to the root itself)."""
    return Substr(path_field, 1, len(root.path) + Organization.steplen)


def subtree(root: Organization, path_field: str) -> Q:
    return Q(**{f"{path_field}__startswith": root.path})


def year_start(year: int) -> date:
    return date(year, 1, 1)


def year_end(year: int) -> date:
    return date(year, 12, 31)


@dataclass(frozen=True)
class RowUnit:
    key: str  # the child's path, or SELF
    code: str
    name: str


class ChildRows:
    """The root's direct children, in Vietnamese name order: the rows of every per-unit table."""

    def __init__(self, root: Organization):
        self.root = root
        children = sorted(
            Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1).only(
                "path", "code", "name", "status"
            ),
            key=lambda c: vn_sort_key(c.name),  # "số 2" before "số 10", on SQLite too
        )
        self.units = {c.path: RowUnit(c.path, c.code, c.name) for c in children}
        self.active = {c.path for c in children if c.status == Organization.Status.ACTIVE}

    def key(self, prefix: str) -> str:
        return SELF if prefix == self.root.path else prefix

    def unit(self, key: str) -> RowUnit:
        if key == SELF:
            return RowUnit(SELF, self.root.code, f"{self.root.name} (trực tiếp)")
        return self.units.get(key) or RowUnit(key, key, key)

    def ordered(self, keys_with_data: set[str]) -> list[RowUnit]:
        """Active children always, closed ones only when they have figures; the root's own row
        (members directly in a chi đoàn root) first when it has figures."""
        rows = [RowUnit(SELF, self.root.code, f"{self.root.name} (trực tiếp)")] if SELF in keys_with_data else []
        rows += [u for path, u in self.units.items() if path in self.active or path in keys_with_data]
        return rows


def years_window(year: int, years: list[int] | None, compare: int | None) -> list[int]:
    """The years a report covers, ascending, always ending with ``year``."""
    if years:
        chosen = {int(y) for y in years if int(y) <= year}
    else:
        back = 2 if compare is None else max(0, min(int(compare), 10))
        chosen = set(range(year - back, year))
    return sorted(chosen | {year})
