"""What a unit's level makes it in the union's work, read from the level rows' flags and the
``allowed_parents`` between them, never from a code or a rank: levels are data (DESIGN.md), and a
chi đoàn cơ sở is both a chi đoàn (it holds members) and a tổ chức cơ sở Đoàn (Điều lệ Đoàn:
"tổ chức cơ sở Đoàn gồm đoàn cơ sở và chi đoàn cơ sở"), so no single flag or rank says it.

- grassroots: ``is_grassroots`` (đoàn cơ sở, chi đoàn cơ sở): decides its members' ratings, holds
  the quota, is rated as a tổ chức cơ sở Đoàn with its BCH, registers for "3 chủ động";
- branch: ``is_branch`` and not grassroots (chi đoàn): holds members, decided by the level above;
- intermediate: neither, and it hangs inside a tổ chức cơ sở (đoàn bộ phận, liên chi đoàn): a level
  whose allowed parents include a grassroots or an intermediate level;
- upper: the rest (province, district and their equivalents); among them the province level
  (tỉnh/thành đoàn, Đoàn Khối, đoàn trực thuộc Trung ương): an upper level that hangs directly under
  the top level (one with no level above it), whatever its code ("tinh", "thanh-doan", …).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F, Q, QuerySet

from .models import Level

# The order officers list levels in, and units by their level (issue 15): by rank, then a rank's
# tổ chức cơ sở that holds no members (đoàn cơ sở) before the one that does (chi đoàn cơ sở), as
# Điều lệ Đoàn names them ("tổ chức cơ sở Đoàn gồm đoàn cơ sở và chi đoàn cơ sở"). They share
# rank 3, and a tie left to the code ("chi-doan-co-so" < "co-so") listed the chi đoàn cơ sở first.
LEVEL_ORDER = ("rank", "is_branch")


def level_order(prefix: str = "") -> list[str]:
    """``LEVEL_ORDER`` for ``order_by``: ``level_order("level__")`` orders units by their level."""
    return [prefix + name for name in LEVEL_ORDER]


def level_sort_key(level: Level) -> tuple:
    """``LEVEL_ORDER`` for ``sorted``, on level rows already read."""
    return tuple(getattr(level, name) for name in LEVEL_ORDER)


class LevelRole(StrEnum):
    GRASSROOTS = "grassroots"
    BRANCH = "branch"
    INTERMEDIATE = "intermediate"
    UPPER = "upper"


@dataclass(frozen=True)
class LevelRoles:
    """Each level's role, and the level rows themselves, from one query over the levels and their
    allowed parents (a report reads both: it must not cost a query more than the rows)."""

    roles: dict[int, LevelRole]
    levels: dict[int, Level]

    @classmethod
    def load(cls) -> "LevelRoles":
        levels: dict[int, Level] = {}
        parents: dict[int, set[int]] = {}
        for row in Level.objects.annotate(allowed_parent_id=F("allowed_parents")).order_by(*level_order(), "code"):
            levels.setdefault(row.pk, row)
            parents.setdefault(row.pk, set()).update([row.allowed_parent_id] if row.allowed_parent_id else [])
        flags = {pk: (lv.is_branch, lv.is_grassroots) for pk, lv in levels.items()}
        return cls(_roles(flags, parents), levels)

    def of(self, level: Level | int) -> LevelRole:
        pk = level if isinstance(level, int) else level.pk
        return self.roles.get(pk, LevelRole.UPPER)


def province_levels() -> QuerySet[Level]:
    """The levels of the province's place in the tree ("3 chủ động" campaigns, the "1+2" regime):
    neither chi đoàn nor tổ chức cơ sở, allowed directly under a level that has none above it.
    Lazy, so a query can use it as a subquery."""
    return Level.objects.filter(
        is_branch=False,
        is_grassroots=False,
        allowed_parents__isnull=False,
        allowed_parents__allowed_parents__isnull=True,
    ).distinct()


def is_province_level(level: Level) -> bool:
    return province_levels().filter(pk=level.pk).exists()


def plain_branch_q(prefix: str = "level") -> Q:
    """Units of a plain chi đoàn level: what lists of "districts and cơ sở" leave out. A chi đoàn
    cơ sở holds members too but is a tổ chức cơ sở Đoàn, so it stays in them."""
    return Q(**{f"{prefix}__is_branch": True, f"{prefix}__is_grassroots": False})


def _roles(flags: dict[int, tuple[bool, bool]], parents: dict[int, set[int]]) -> dict[int, LevelRole]:
    inside = {pk for pk, (_, grassroots) in flags.items() if grassroots}  # grows to the levels under them
    while True:
        more = {pk for pk, ups in parents.items() if pk not in inside and ups & inside}
        if not more:
            break
        inside |= more
    out = {}
    for pk, (is_branch, is_grassroots) in flags.items():
        if is_grassroots:
            out[pk] = LevelRole.GRASSROOTS
        elif is_branch:
            out[pk] = LevelRole.BRANCH
        elif pk in inside:
            out[pk] = LevelRole.INTERMEDIATE
        else:
            out[pk] = LevelRole.UPPER
    return out
