"""Helpers every builder of this app shares: rows per child unit, rates, year windows.

Rollups follow DESIGN.md's measured pattern: one grouped pass over the facts, keyed by the path
prefix of the root's child each row falls under (``child_prefix``), so a report costs a fixed
number of queries whatever the size of the subtree; never a query per node."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Aggregate, Q
from django.db.models.functions import Substr

from evaluations.models import RatingPeriod
from members.history import with_branch_on
from members.models import Member, PastBranch
from organizations import history, numbers
from organizations.levels import level_order, level_sort_key
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


def reference_dates(root: Organization, years) -> dict[int, date]:
    """The day a report of each year counts units and members at when none is chosen: the lock
    date of the rating period covering ``root`` (issued by the nearest unit at or above it, as
    evaluations.rules.period_for), else 31/12. One query for all the years."""
    periods = RatingPeriod.objects.filter(year__in=list(years), root__path__in=[*root.ancestor_paths(), root.path])
    nearest = {}
    for year, locks_on in periods.order_by("root__depth").values_list("year", "locks_on"):
        nearest[year] = locks_on  # deeper periods come later and win
    return {y: nearest.get(y, year_end(y)) for y in years}


def reference_date(root: Organization, year: int) -> date:
    return reference_dates(root, [year])[year]


class Placement:
    """Where each unit under ``root`` hung on ``day`` (organizations.history; one query): the
    rollups key every row by the root's child above its unit *then*, so a unit moved or merged
    since, and its members, count where they were on the report's reference date."""

    def __init__(self, root: Organization, day: date, root_path: str | None = None):
        self.root, self.day = root, day
        self.root_path = root_path or history.path_on(root, day)
        self.cut = len(self.root_path) + Organization.steplen
        rows = history.units_under_on(root, day, self.root_path).order_by().values_list("pk", "path_then", "level_id")
        self.units = {pk: (path, level_id) for pk, path, level_id in rows}
        # unit id -> child key and level, for the passes' per-row lookups (a plain dict.get each)
        self.child_of = {pk: path[: self.cut] for pk, (path, _) in self.units.items()}
        self.child_of[root.pk] = SELF
        self.level_of = {pk: level_id for pk, (_, level_id) in self.units.items()}
        self.level_of[root.pk] = root.level_id

    def under_root(self, field: str) -> Q:
        """Rows whose unit (``field``, an id) hung under the root on the day, the root included;
        the whole tree needs no condition (its root never moves)."""
        if self.root.depth == 1:
            return Q()
        units = history.units_under_on(self.root, self.day, self.root_path).values("pk")
        return Q(**{f"{field}__in": units}) | Q(**{field: self.root.pk})

    def child(self, unit_id: int) -> str | None:
        """The root's child above the unit on the day (its path then; SELF for the root itself),
        or None when the unit was not under the root (or did not exist) on the day."""
        return self.child_of.get(unit_id)

    def level(self, unit_id: int) -> int | None:
        return self.level_of.get(unit_id)


def member_counts(
    placements: dict, aggregates: dict[str, Aggregate], key_of: Callable[[str], object]
) -> dict[tuple, int]:
    """{(placement key, chi đoàn id then, aggregate name): n}: the members' ``aggregates`` per
    chi đoàn they were in on each placement's day (``key_of`` names the placement an aggregate
    counts for). One grouped pass by the current chi đoàn (as cheap as a report without history:
    no join over a million members), then one over the few members with a past chi đoàn in force
    on a day (members.history), whose counts move back to it. Counts only add, so any Count works."""
    under = Q()
    for placement in placements.values():
        under |= placement.under_root("branch_id")
    out: dict[tuple, int] = defaultdict(int)
    keys = {name: key_of(name) for name in aggregates}
    names = list(aggregates)
    rows = Member.objects.filter(under).values("branch_id").annotate(**aggregates).order_by()
    for branch, *counts in rows.values_list("branch_id", *names):
        for name, n in zip(names, counts, strict=True):
            out[(keys[name], branch, name)] += n
    earliest = min(p.day for p in placements.values())
    moved = Member.objects.filter(pk__in=PastBranch.objects.filter(valid_to__gt=earliest).values("member_id"))
    then = {key: f"then_{i}" for i, key in enumerate(placements)}
    for key, placement in placements.items():
        moved = with_branch_on(moved, placement.day, then[key])
    for r in moved.values("branch_id", *then.values()).annotate(**aggregates).order_by():
        for name in aggregates:
            key = key_of(name)
            if r[then[key]] != r["branch_id"] and r[name]:
                out[(key, r[then[key]], name)] += r[name]
                out[(key, r["branch_id"], name)] -= r[name]
    return out


@dataclass(frozen=True)
class RowUnit:
    key: str  # the child's path, or SELF
    code: str
    name: str


class ChildRows:
    """The root's direct children, in Vietnamese name order: the rows of every per-unit table.
    With a ``placement``, the children the root had on its day (keyed by their paths then)."""

    def __init__(self, root: Organization, placement: Placement | None = None):
        self.root = root
        self.root_path = placement.root_path if placement else root.path
        if placement is None:
            children = Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1)
            paths = {}
        else:
            paths = {pk: path for pk, (path, _) in placement.units.items() if len(path) == placement.cut}
            children = Organization.objects.filter(pk__in=list(paths))
        children = sorted(  # districts, then đoàn cơ sở, then chi đoàn cơ sở, each by name
            children.select_related("level").only("path", "code", "name", "status", *level_order("level__")),
            key=lambda c: (level_sort_key(c.level), vn_sort_key(c.name)),  # "số 2" before "số 10", on SQLite too
        )
        self.units = {paths.get(c.pk, c.path): RowUnit(paths.get(c.pk, c.path), c.code, c.name) for c in children}
        # On its day every child listed existed (Placement keeps only those); without a day, the active ones.
        self.active = {paths.get(c.pk, c.path) for c in children if placement or c.is_active}

    def key(self, prefix: str) -> str:
        return SELF if prefix == self.root_path else prefix

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
