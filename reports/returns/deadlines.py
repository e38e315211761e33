"""When a return is due (issue 18: on-time or late at the level above).

Two sources, the earliest date that applies wins (a lower level may tighten, never loosen):
- ``ReturnDeadline`` rows of the kind and year set by the receiving unit or any unit above it;
- for the ratings kind, the rating period's own deadline for the sender's level
  (``evaluations.RatingDeadline``: "cơ sở by 10/11, all by 15/11"), from any period covering it.
Two queries whatever the depth of the tree."""

from datetime import date

from evaluations.models import RatingDeadline
from organizations.models import Organization

from .models import ReturnDeadline


def set_above(*, kind: str, year: int, unit: Organization) -> list[date]:
    """The ``ReturnDeadline`` dates of the units above ``unit`` (returns from it are due by them)."""
    above = unit.ancestor_paths()
    if not above:
        return []
    rows = ReturnDeadline.objects.filter(kind=kind, year=year, organization__path__in=above)
    return list(rows.values_list("due_on", flat=True))


def due_on(*, kind: str, root: Organization, year: int) -> date | None:
    dates = set_above(kind=kind, year=year, unit=root)
    if kind == "ratings":
        dates += RatingDeadline.objects.filter(
            period__year=year, period__root__path__in=[*root.ancestor_paths(), root.path], level_id=root.level_id
        ).values_list("due_on", flat=True)
    return min(dates, default=None)
