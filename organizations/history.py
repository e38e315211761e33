"""Where the tree's units were on a past day (issue 18: reports counted as of a date).

A move changes the materialised path of a unit and of its whole subtree, so the old paths are
kept as ``PastPlacement`` rows (only past ones: the current path stays on the unit). A unit's
path on a day is the row valid then, else its current path; whether it existed that day is read
from ``founded_on``/``ended_on`` (a unit closed on a day no longer exists on it)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, FilteredRelation, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Substr

from .fields import PathField
from .models import Organization, PastPlacement


def record_subtree_leaving(path: str, on_date: date) -> int:
    """Before the subtree under ``path`` moves on ``on_date``: each of its units keeps its path
    as a past placement, from the end of its previous one. One INSERT … SELECT for the subtree.
    A move dated before a unit of the subtree last moved is refused: its spell would end before
    it began and overlap the later one (splitting spells would rewrite history already reported)."""
    refuse_before_last_move(path, on_date)
    table, units = PastPlacement._meta.db_table, Organization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, path, valid_from, valid_to)
                SELECT o.id, o.path, (SELECT MAX(p.valid_to) FROM {table} p WHERE p.unit_id = o.id), %s
                FROM {units} o WHERE o.path LIKE %s""",
            [on_date, path + "%"],
        )
        return cursor.rowcount


def refuse_before_last_move(path: str, on_date: date) -> None:
    """A clear Vietnamese refusal when a unit under ``path`` (the one moving or one below it) has
    a recorded move after ``on_date``."""
    later = (
        PastPlacement.objects.filter(unit__path__startswith=path, valid_to__gt=on_date)
        .select_related("unit")
        .order_by("-valid_to")
        .first()
    )
    if later is not None:
        raise ValidationError(
            f"Không thể ghi chuyển từ ngày {on_date:%d/%m/%Y}: {later.unit.name} ({later.unit.code}) đã được ghi "
            f"chuyển ngày {later.valid_to:%d/%m/%Y}, sau ngày đó. Chọn ngày từ {later.valid_to:%d/%m/%Y} trở đi."
        )


def claimed(path: str) -> bool:
    """Whether history names ``path`` or a path below it: a unit moved away (or its subtree, or
    one deleted since) hung there on some day."""
    return PastPlacement.objects.filter(path__startswith=path).exists()


def free_slot(parent_path: str) -> str:
    """A child path of ``parent_path`` that no unit holds now and none held before: the one after
    the last of both (treebeard's own choice is after the last current child, a slot a moved unit
    may have left)."""
    width = len(parent_path) + Organization.steplen
    now = Organization.objects.filter(path__startswith=parent_path, depth=width // Organization.steplen)
    before = PastPlacement.objects.filter(path__startswith=parent_path, path__gt=parent_path)
    last = max(
        filter(
            None,
            [
                now.aggregate(last=Max("path"))["last"],
                before.annotate(slot=Substr("path", 1, width)).aggregate(last=Max("slot"))["last"],
            ],
        )
    )
    return Organization(path=last[:width])._inc_path()


def keep_off_history(unit: Organization) -> Organization:
    """After ``unit`` was created or moved: if treebeard gave it a path history still names, it
    and its subtree take a free slot instead, so no report as of a past day counts the other
    unit's past (its members, its sub-units, its row) as this unit's. One UPDATE for the subtree."""
    if not claimed(unit.path):
        return unit
    old, new = unit.path, free_slot(unit.path[: -Organization.steplen])
    Organization.objects.filter(path__startswith=old).update(
        path=Concat(Value(new), Substr("path", len(old) + 1), output_field=PathField())
    )
    return Organization.objects.get(pk=unit.pk)


def valid_on(prefix: str, day: date) -> Q:
    """A history row (past placement or past chi đoàn, under ``prefix``) in force on ``day``."""
    return Q(**{f"{prefix}__valid_to__gt": day}) & (
        Q(**{f"{prefix}__valid_from__isnull": True}) | Q(**{f"{prefix}__valid_from__lte": day})
    )


def existed_on(day: date) -> Q:
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=day)) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def placed_on(qs: QuerySet, day: date, name: str = "path_then") -> QuerySet:
    """Units annotated with their path on ``day`` as ``name``."""
    alias = f"{name}_row"
    return qs.annotate(
        **{alias: FilteredRelation("past_placements", condition=valid_on("past_placements", day))}
    ).annotate(**{name: Coalesce(F(f"{alias}__path"), F("path"), output_field=PathField())})


def paths_on(unit: Organization, days) -> dict[date, str]:
    """``unit``'s path on each of ``days`` (its current one where it has not moved since); one
    query, none for a top unit (it never moves)."""
    rows = list(unit.past_placements.values_list("path", "valid_from", "valid_to")) if unit.depth > 1 else []
    out = {}
    for day in days:
        then = [p for p, start, end in rows if end > day and (start is None or start <= day)]
        out[day] = then[0] if then else unit.path
    return out


def path_on(unit: Organization, day: date) -> str:
    return paths_on(unit, [day])[day]


def placed_under(qs: QuerySet, day: date, root_path: str, exact: bool = True) -> QuerySet:
    """The units of ``qs`` that hung at or under ``root_path`` on ``day``, each with ``path_then``.
    An indexed cut first: units under the path now, with those that were under it before (a
    UNION, which PostgreSQL estimates as the sum of two indexed ``LIKE``s; ``path LIKE … OR id IN
    (…)`` it guessed at ten times the rows). ``exact=False`` stops there: a few units now under the
    path that hung elsewhere on the day stay in, for a caller that drops their group after
    grouping (``COALESCE(past, now) LIKE …`` is estimated at 0.5 % of the rows whatever it
    selects: at 10⁶ members the planner then took 2,330 units for 57 and compared 6.5 M pairs
    in a merge join, 1.4 s of a province's 1.8 s rollup)."""
    if len(root_path) > Organization.steplen:  # the top unit's subtree is the whole tree
        now = Organization.objects.filter(path__startswith=root_path).values("pk").order_by()
        before = PastPlacement.objects.filter(path__startswith=root_path).values("unit_id").order_by()
        qs = qs.filter(pk__in=now.union(before))
    qs = placed_on(qs, day)
    return qs.filter(path_then__startswith=root_path) if exact else qs
