"""Reads of returns, always through the user's scope (organizations.scoping)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from organizations.levels import level_sort_key
from organizations.models import Organization
from organizations.scoping import get_scoped_or_404, open_posts, scoped
from organizations.text import vn_sort_key

from . import deadlines
from .models import Return

RELATED = ("root", "receiver", "submitted_by", "decided_by")


def returns_in_scope(user) -> QuerySet[Return]:
    return scoped(user, Return.objects.select_related(*RELATED), "root__path")


def get_return_or_404(user, pk: int) -> Return:
    return get_scoped_or_404(user, Return.objects.select_related(*RELATED), "root__path", pk=pk)


def versions(ret: Return) -> list[Return]:
    """Every version of the same return, newest first (the same root: the same scope)."""
    return list(
        Return.objects.filter(kind=ret.kind, root=ret.root, year=ret.year).select_related(*RELATED).order_by("-version")
    )


def last_year(ret: Return) -> Return | None:
    """The newest return of the same kind and unit for the year before (accepted first)."""
    older = Return.objects.filter(kind=ret.kind, root=ret.root, year=ret.year - 1)
    return older.order_by("-version").select_related(*RELATED).first()


def own_units(user) -> list[Organization]:
    """The units where the user holds a post (they send those units' returns and receive their
    children's), in tree order."""
    seen: dict[int, Organization] = {}
    for post in open_posts(user):
        seen.setdefault(post.organization.pk, post.organization)
    return list(seen.values())


def waiting_for(user) -> QuerySet[Return]:
    """Returns sent to a unit where the user holds a post, not yet accepted or sent back."""
    units = [u.pk for u in own_units(user)]
    return Return.objects.filter(receiver_id__in=units, status=Return.Status.SUBMITTED).select_related(*RELATED)


@dataclass
class ChildRow:
    unit: Organization
    latest: Return | None
    due_on: date | None

    @property
    def state(self) -> str:
        if self.latest is None:
            return "Chưa gửi"
        return self.latest.get_status_display()

    @property
    def is_late(self) -> bool:
        if self.latest is not None:
            return self.latest.is_late
        return self.due_on is not None and timezone.localdate() > self.due_on


def received(*, unit: Organization, kind: str, year: int) -> list[ChildRow]:
    """Each active child of ``unit`` with its newest return of the kind and year: three queries."""
    children = sorted(
        unit.direct_children().filter(status=Organization.Status.ACTIVE).select_related("level"),
        key=lambda c: (level_sort_key(c.level), vn_sort_key(c.name)),
    )
    latest: dict[int, Return] = {}
    for ret in Return.objects.filter(receiver=unit, kind=kind, year=year).select_related(*RELATED).order_by("-version"):
        latest.setdefault(ret.root_id, ret)
    due = {}
    for child in children:  # one deadline a level: children of one level share it
        if child.level_id not in due:
            due[child.level_id] = deadlines.due_on(kind=kind, root=child, year=year)
    return [ChildRow(c, latest.get(c.pk), latest[c.pk].due_on if c.pk in latest else due[c.level_id]) for c in children]
