"""The daily reminders: deadline approaching (T-7, T-3, T-1), overdue (the first late day, then
every week) and escalation (a unit N days late is listed in one digest to its parent's officers,
2N days late to the level above that), for every deadline source in DOANHUB_REMINDER_SOURCES.

A source is a function ``(today) -> iterable of lists of Obligation`` (a chunk at a time, each
chunk in path order), yielding only the units whose work is still not done. It lives in the app
that owns the deadline, so this app imports none of them. Everything is idempotent: reminders by
their event key, escalations by an ``Escalation`` row per unit and step."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.module_loading import import_string

from organizations.models import Organization

from . import recipients, services
from .models import Escalation, Kind, Notification, ReminderPolicy

STEP = Organization.steplen
SAFE = RFC3986_SUBDELIMS + "~:@"


@dataclass(frozen=True)
class Obligation:
    source_key: str  # the period of the deadline, e.g. "rating:7"; its ReminderPolicy's key
    unit_id: int
    unit_path: str
    unit_name: str
    what: str  # "xếp loại chất lượng năm 2026"
    due_on: date
    link: str  # the page where the unit does the work
    overview_link: str  # the page where the level above sees its late units


CHUNK = 2000
FLUSH_AT = 200  # escalation groups (ancestors) held before their digests are written


def page_pattern(viewname: str, *args) -> str:
    """A unit's work page with "{}" where its code goes: one reverse() for a whole chunk (a
    reverse() a unit costs more than the unit's share of the queries at 10⁴ units)."""
    return reverse(viewname, args=[*args, "CODE"]).replace("CODE", "{}")


def unit_chunks(
    units: QuerySet, *, source_key: str, what: str, due_on: date, page: str, overview: str
) -> Iterator[list[Obligation]]:
    """The units, in path order, CHUNK at a time (keyset on path: memory stays one chunk
    whatever the nation's size); ``page`` from ``page_pattern``, the code quoted as reverse() does."""
    after = ""
    while True:
        rows = list(units.filter(path__gt=after).order_by("path").values_list("pk", "path", "name", "code")[:CHUNK])
        if not rows:
            return
        yield [
            Obligation(source_key, pk, path, name, what, due_on, page.format(quote(code, safe=SAFE)), overview)
            for pk, path, name, code in rows
        ]
        after = rows[-1][1]


@dataclass(frozen=True)
class Schedule:
    days_before: tuple[int, ...]
    overdue_every: int
    escalate_after: int


def schedule_for(source_key: str) -> Schedule:
    policy = ReminderPolicy.objects.filter(source_key=source_key).first()
    if policy is None:
        return Schedule(
            tuple(settings.DOANHUB_REMINDER_DAYS_BEFORE),
            settings.DOANHUB_REMINDER_OVERDUE_EVERY,
            settings.DOANHUB_ESCALATE_AFTER_DAYS,
        )
    days = tuple(int(d) for d in policy.days_before.split(",") if d.strip())
    return Schedule(days, max(policy.overdue_every, 1), max(policy.escalate_after, 1))


def lookahead(schedule: Schedule) -> int:
    """How many days before a deadline a source must start yielding its units."""
    return max(schedule.days_before, default=0)


def reminder_kind(ob: Obligation, schedule: Schedule, today: date) -> tuple[str, str] | None:
    """(kind, event key) of the unit's own reminder today, or None."""
    ahead = (ob.due_on - today).days
    base = f"{ob.source_key}:{ob.unit_id}:{ob.due_on:%Y-%m-%d}"
    if ahead in schedule.days_before:
        return Kind.DUE_SOON, f"{base}:T-{ahead}"
    late = -ahead
    if late >= 1 and (late - 1) % schedule.overdue_every == 0:
        return Kind.OVERDUE, f"{base}:late-{late}"
    return None


def own_reminder(ob: Obligation, kind: str, key: str, user, today: date) -> Notification:
    if kind == Kind.DUE_SOON:
        title = f"Sắp đến hạn {ob.what} của {ob.unit_name}: hạn {ob.due_on:%d/%m/%Y}"
    else:
        days = (today - ob.due_on).days
        title = f"Quá hạn {ob.what} của {ob.unit_name}: {days} ngày (hạn {ob.due_on:%d/%m/%Y})"
    return Notification(
        recipient=user,
        kind=kind,
        unit=_unit(ob.unit_id, ob.unit_name),
        title=title,
        link=ob.link,
        due_on=ob.due_on,
        event_key=key,
    )


def _unit(pk: int, name: str) -> Organization:
    """The unit as far as a notification needs it (its key, and its name for the line and mail)."""
    return Organization(pk=pk, name=name)


@dataclass
class Late:
    ob: Obligation
    days: int
    holders: str


@dataclass
class Run:
    """One pass over every source for ``today``; ``report`` sees each notification made."""

    today: date
    dry_run: bool = False
    report: Callable[[Notification], None] = lambda n: None
    made: int = 0
    groups: dict = field(default_factory=dict)  # (source, step, ancestor path) -> [Late]

    def each_chunk(self, chunk: list[Obligation]) -> None:
        posts = recipients.posts_at([ob.unit_id for ob in chunk], recipients.WORKERS, self.today)
        due = []
        for ob in chunk:
            schedule = _cached_schedule(ob.source_key)
            found = reminder_kind(ob, schedule, self.today)
            if found:
                due += [(ob, *found, post.user) for post in posts.get(ob.unit_id, [])]
            self._collect_late(ob, schedule, posts)
        # Rows are built only for what was not sent before: on a re-run, building 10⁴ model
        # instances to throw away cost more than the run's queries.
        seen = services.seen({(user.pk, key) for _, _, key, user in due})
        self._emit(
            [own_reminder(ob, kind, key, user, self.today) for ob, kind, key, user in due if (user.pk, key) not in seen]
        )
        if len(self.groups) >= FLUSH_AT:
            self.flush()

    def _collect_late(self, ob: Obligation, schedule: Schedule, posts) -> None:
        late = (self.today - ob.due_on).days
        if late < schedule.escalate_after:
            return
        holders = recipients.holder_names(posts.get(ob.unit_id, []))
        for step in (1, 2):
            ancestor = ob.unit_path[: -STEP * step]
            if late >= schedule.escalate_after * step and ancestor:
                self.groups.setdefault((ob.source_key, step, ancestor), []).append(Late(ob, late, holders))

    def flush(self) -> None:
        """Digests for the collected groups: the units not escalated at that step before, listed
        for the officers of the ancestor; grouped queries for all groups at once."""
        groups, self.groups = self.groups, {}
        done = _escalated(groups)
        groups = {
            key: [x for x in lates if (key[0], x.ob.unit_id, key[1]) not in done] for key, lates in groups.items()
        }
        groups = {key: lates for key, lates in groups.items() if lates}
        if not groups:
            return
        ancestors = dict(Organization.objects.filter(path__in={k[2] for k in groups}).values_list("path", "pk"))
        names = dict(Organization.objects.filter(pk__in=ancestors.values()).values_list("pk", "name"))
        officers = recipients.posts_at(ancestors.values(), recipients.OVERSEERS, self.today)
        rows, marks = [], []
        for (source, step, path), lates in groups.items():
            unit_id = ancestors.get(path)
            if unit_id is None:
                continue
            digest = _digest_fields(lates, names[unit_id], self.today)
            # The first listed unit is in the key: an ancestor whose late units came in two flushes
            # gets two digests, never a second one dropped as a duplicate of the first.
            key = f"{source}:escalate-{step}:{unit_id}:{self.today:%Y-%m-%d}:{lates[0].ob.unit_id}"
            for post in officers.get(unit_id, []):
                rows.append(
                    Notification(recipient=post.user, unit=_unit(unit_id, names[unit_id]), event_key=key, **digest)
                )
            marks += [Escalation(source_key=source, unit_id=x.ob.unit_id, step=step, sent_on=self.today) for x in lates]
        with transaction.atomic():
            self._emit(rows)
            if not self.dry_run:
                Escalation.objects.bulk_create(marks, ignore_conflicts=True)

    def _emit(self, rows: list[Notification]) -> None:
        new = services.unsent(rows) if self.dry_run else services.deliver(services.save_new(rows))
        for n in new:
            self.report(n)
        self.made += len(new)


def _escalated(groups) -> set[tuple[str, int, int]]:
    unit_ids = {x.ob.unit_id for lates in groups.values() for x in lates}
    sources = {key[0] for key in groups}
    return set(
        Escalation.objects.filter(unit_id__in=unit_ids, source_key__in=sources).values_list(
            "source_key", "unit", "step"
        )
    )


def _digest_fields(lates: list[Late], ancestor_name: str, today: date) -> dict:
    first = lates[0].ob
    lines = [f"- {x.ob.unit_name}: quá hạn {x.days} ngày (hạn {x.ob.due_on:%d/%m/%Y}); {x.holders}" for x in lates]
    return {
        "kind": Kind.ESCALATION,
        "title": f"{len(lates)} đơn vị trực thuộc {ancestor_name} quá hạn {first.what}",
        "body": "\n".join(lines),
        "link": first.overview_link,
        "due_on": min(x.ob.due_on for x in lates),
    }


_schedules: dict[str, Schedule] = {}


def _cached_schedule(source_key: str) -> Schedule:
    if source_key not in _schedules:
        _schedules[source_key] = schedule_for(source_key)
    return _schedules[source_key]


@cache
def _sources(paths: tuple[str, ...]) -> list[Callable[[date], Iterable[list[Obligation]]]]:
    return [import_string(path) for path in paths]


def send_reminders(*, today: date, dry_run: bool = False, report=lambda n: None) -> int:
    """The daily run (beat's task and ``manage.py send_reminders``): every source's chunks, then
    the digests; with ``dry_run`` nothing is saved or sent. Returns how many notifications."""
    _schedules.clear()  # a policy edited since the last run counts
    run = Run(today=today, dry_run=dry_run, report=report)
    for source in _sources(tuple(settings.DOANHUB_REMINDER_SOURCES)):
        for chunk in source(today):
            run.each_chunk(chunk)
    run.flush()
    if not dry_run:
        services.send_digests()
    return run.made
