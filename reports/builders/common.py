"""Helpers every builder of this app shares: rows per child unit, rates, year windows.

Rollups follow DESIGN.md's measured pattern: one grouped pass over the facts, keyed by the path
prefix of the root's child each row falls under (``child_prefix``), so a report costs a fixed
number of queries whatever the size of the subtree; never a query per node."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Aggregate, F, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr

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


class Placements:
    """Where each unit under ``root`` hung on each of a report's days (organizations.history),
    read in SQL: a rollup joins its grouped facts (rows per unit) to the units' placements of
    every day at once and groups them by the root's child above each unit *then* and its level,
    so a unit moved or merged since, and its members, count where they were on the day. Python
    sees only the grouped rows (a few per child), never a row per unit: at 10⁶ members the
    per-unit mapping in Python of the earlier ``Placement`` made an as-of rollup 1.5–2.5× the
    rollup by current paths (bench/asof.py).

    ``days``: key -> day (the ratings report keys by year; years sharing a day are separate keys,
    their placements identical)."""

    def __init__(self, root: Organization, days: dict):
        self.root, self.days = root, dict(days)
        on = history.paths_on(root, set(self.days.values()))  # one query, none for a top unit
        self.root_paths = {key: on[day] for key, day in self.days.items()}
        self.cuts = {key: len(path) + Organization.steplen for key, path in self.root_paths.items()}

    def _placed(self, key, only: Q | None = None, exact: bool = True) -> QuerySet:
        """The units under the root on the key's day (the root itself always), with ``path_then``;
        ``exact=False``: with a few that were elsewhere then (``history.placed_under``)."""
        day, root_path = self.days[key], self.root_paths[key]
        qs = Organization.objects.filter(history.existed_on(day) | Q(pk=self.root.pk))
        return history.placed_under(qs if only is None else qs.filter(only), day, root_path, exact)

    def _sql(self, only: Q | None = None, exact: bool = False) -> tuple[str, list]:
        """(pl_key, pl_unit, pl_child, pl_level) for every key: one UNION ALL of the days. Not
        ``exact``: a unit that was elsewhere on the day gives a child outside the root's path
        then, whose group ``_key`` drops."""
        parts = [
            self._placed(key, only, exact)
            .annotate(
                pl_key=Value(key, output_field=IntegerField()),
                pl_unit=F("pk"),
                pl_child=Substr("path_then", 1, self.cuts[key]),
                pl_level=F("level_id"),
            )
            .values("pl_key", "pl_unit", "pl_child", "pl_level")
            .order_by()
            for key in self.days
        ]
        combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return combined.query.sql_with_params()

    def _key(self, key, child: str) -> str | None:
        """The child key of a grouped row: SELF for the root, None for a unit not under it then."""
        root_path = self.root_paths[key]
        if child == root_path:
            return SELF
        return child if child.startswith(root_path) and len(child) > len(root_path) else None

    def under_root(self, field: str) -> Q:
        """Rows whose unit (``field``, an id) hung under the root on one of the days, the root
        included: a subtree's facts are cut before they are grouped. The whole tree needs no
        condition (its root never moves)."""
        if self.root.depth == 1:
            return Q()
        sql, params = self._sql()
        return Q(**{f"{field}__in": RawSQL(f"SELECT pl.pl_unit FROM ({sql}) pl", params)})

    def rollup(
        self,
        facts: QuerySet | tuple[str, list],
        *,
        unit: str,
        sums: dict[str, object],
        by: tuple[str, ...] = (),
        match: str | None = None,
    ) -> list[tuple]:
        """[(key, child key, level id, *by, *sums)]: ``facts`` (rows per unit, the unit id in
        column ``unit``) joined to the placements and summed per key, child then and level.
        ``sums``: column -> the key it counts for (None: every key, or with ``match`` the key
        in that column of the facts, e.g. the year of an assessment's period)."""
        facts_sql, facts_params = facts if isinstance(facts, tuple) else facts.query.sql_with_params()
        placed_sql, placed_params = self._sql()
        params, columns = [], []
        for column, key in sums.items():
            if key is None:
                columns.append(f"SUM(f.{column})")
            else:
                columns.append(f"SUM(CASE WHEN pl.pl_key = %s THEN f.{column} ELSE 0 END)")
                params.append(key)
        extra = "".join(f", f.{c}" for c in by)
        on = f" AND pl.pl_key = f.{match}" if match else ""
        sql = f"""SELECT pl.pl_key, pl.pl_child, pl.pl_level{extra}, {", ".join(columns)}
                  FROM ({facts_sql}) f JOIN ({placed_sql}) pl ON pl.pl_unit = f.{unit}{on}
                  GROUP BY pl.pl_key, pl.pl_child, pl.pl_level{extra}"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *facts_params, *placed_params])
            rows = [(k, self._key(k, child), *rest) for k, child, *rest in cursor.fetchall()]
        return [row for row in rows if row[1] is not None]

    def unit_counts(self) -> list[tuple]:
        """[(key, child key, level id, units)]: the units under the root on each day (the root not counted)."""
        sql, params = self._sql(~Q(pk=self.root.pk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pl.pl_key, pl.pl_child, pl.pl_level, COUNT(*) FROM ({sql}) pl GROUP BY 1, 2, 3", params
            )
            rows = [(k, self._key(k, child), level, n) for k, child, level, n in cursor.fetchall()]
        return [row for row in rows if row[1] is not None]

    def of_units(self, unit_ids) -> dict[tuple, tuple[str, int]]:
        """{(key, unit id): (child key, level id)} for a few units (the members who moved)."""
        # the root too, so the query runs (and is counted) whether or not anybody moved
        sql, params = self._sql(Q(pk__in=[self.root.pk, *unit_ids]), exact=True)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pl.pl_key, pl.pl_unit, pl.pl_child, pl.pl_level FROM ({sql}) pl", params)
            return {(k, u): (self._key(k, child), level) for k, u, child, level in cursor.fetchall()}

    def children(self, key) -> list[Organization]:
        """The root's direct children on the key's day, each with ``path_then``."""
        qs = self._placed(key, ~Q(pk=self.root.pk)).annotate(then_len=Length("path_then"))
        qs = qs.filter(then_len=self.cuts[key]).select_related("level")
        return list(qs.only("path", "code", "name", "status", *level_order("level__")))


def member_counts(
    placements: Placements, aggregates: dict[str, Aggregate], key_of: Callable[[str], object]
) -> dict[tuple, int]:
    """{(placement key, child key, level id, aggregate name): n}: the members' ``aggregates``
    where the chi đoàn they were in on each key's day hung then (``key_of`` names the key an
    aggregate counts for). One grouped pass by the current chi đoàn (as cheap as a report without
    history: no join over a million members) rolled up in SQL, then one over the few members with
    a past chi đoàn in force on a day (members.history), whose counts move back to it. Counts
    only add, so any Count works."""
    keys = {name: key_of(name) for name in aggregates}
    out: dict[tuple, int] = defaultdict(int)
    facts = Member.objects.filter(placements.under_root("branch_id")).values("branch_id").annotate(**aggregates)
    rows = placements.rollup(facts.order_by(), unit="branch_id", sums=keys)
    for key, child, level, *counts in rows:
        for name, n in zip(aggregates, counts, strict=True):
            if keys[name] == key and n:
                out[(key, child, level, name)] += int(n)
    earliest = min(placements.days.values())
    moved = Member.objects.filter(pk__in=PastBranch.objects.filter(valid_to__gt=earliest).values("member_id"))
    then = {key: f"then_{i}" for i, key in enumerate(placements.days)}
    for key, day in placements.days.items():
        moved = with_branch_on(moved, day, then[key])
    moved_rows = list(moved.values("branch_id", *then.values()).annotate(**aggregates).order_by())
    where = placements.of_units({r[c] for r in moved_rows for c in ("branch_id", *then.values())})
    for r in moved_rows:
        for name in aggregates:
            key = keys[name]
            if r[then[key]] == r["branch_id"] or not r[name]:
                continue
            for unit, sign in ((r[then[key]], 1), (r["branch_id"], -1)):
                if (key, unit) in where:
                    out[(key, *where[(key, unit)], name)] += sign * r[name]
    return out


@dataclass(frozen=True)
class RowUnit:
    key: str  # the child's path, or SELF
    code: str
    name: str


class ChildRows:
    """The root's direct children, in Vietnamese name order: the rows of every per-unit table.
    ``placements``: the children the root had on the day of ``key``, keyed by their paths then."""

    def __init__(self, root: Organization, placements: Placements, key):
        self.root = root
        self.root_path = placements.root_paths[key]
        children = sorted(  # districts, then đoàn cơ sở, then chi đoàn cơ sở, each by name
            placements.children(key),
            key=lambda c: (level_sort_key(c.level), vn_sort_key(c.name)),  # "số 2" before "số 10", on SQLite too
        )
        self.units = {c.path_then: RowUnit(c.path_then, c.code, c.name) for c in children}
        # On its day every child listed existed (Placements keeps only those), closed since or not.
        self.active = set(self.units)

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
