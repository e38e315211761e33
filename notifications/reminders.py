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
class Overseer:
    """Who hears of a late obligation at one escalation step, when that is not simply the tree's
    ancestor (a "1+2" staff member's department head, then the province's Standing office): the
    open posts in ``roles`` at ``unit_id`` and the people in ``user_ids``."""

    unit_id: int  # the notification's unit
    unit_name: str
    name: str  # "Ban Phong trào", in the digest's title
    link: str  # where the overseer sees the late ones
    roles: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()


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
    # A person's own obligation ("1+2"): they alone are reminded, ``ref`` tells their obligations
    # apart (several may share a unit), ``label`` names them in reminders and digests, and
    # ``overseers`` are the escalation steps in place of the unit's ancestors.
    owner_id: int | None = None
    ref: str = ""
    label: str = ""
    overseers: tuple[Overseer, ...] = ()

    @property
    def key(self) -> str:
        """The obligation within its source: the unit, or the person's ``ref``."""
        return self.ref or str(self.unit_id)

    @property
    def name(self) -> str:
        return self.label or self.unit_name


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
    base = f"{ob.source_key}:{ob.key}:{ob.due_on:%Y-%m-%d}"
    if ahead in schedule.days_before:
        return Kind.DUE_SOON, f"{base}:T-{ahead}"
    late = -ahead
    if late >= 1 and (late - 1) % schedule.overdue_every == 0:
        return Kind.OVERDUE, f"{base}:late-{late}"
    return None


def own_reminder(ob: Obligation, kind: str, key: str, user, today: date) -> Notification:
    if kind == Kind.DUE_SOON:
        title = f"Sắp đến hạn {ob.what} của {ob.name}: hạn {ob.due_on:%d/%m/%Y}"
    else:
        days = (today - ob.due_on).days
        title = f"Quá hạn {ob.what} của {ob.name}: {days} ngày (hạn {ob.due_on:%d/%m/%Y})"
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
    holders: str  # who holds the unit's posts; empty for a person's own obligation


Target = str | Overseer  # an escalation step: the ancestor's path, or an explicit overseer


def escalation_target(ob: Obligation, step: int) -> Target | None:
    """Whom a late obligation is reported to at ``step``: the tree's ancestor ``step`` levels up
    for a unit, the obligation's own overseers for a person; None past the top."""
    if ob.owner_id is not None or ob.overseers:
        return ob.overseers[step - 1] if len(ob.overseers) >= step else None
    return ob.unit_path[: -STEP * step] or None


@dataclass
class Run:
    """One pass over every source for ``today``; ``report`` sees each notification made."""

    today: date
    dry_run: bool = False
    report: Callable[[Notification], None] = lambda n: None
    made: int = 0
    groups: dict = field(default_factory=dict)  # (source, step, Target) -> [Late]

    def each_chunk(self, chunk: list[Obligation]) -> None:
        units = [ob.unit_id for ob in chunk if ob.owner_id is None]
        posts = recipients.posts_at(units, recipients.WORKERS, self.today)
        people = recipients.people({ob.owner_id for ob in chunk if ob.owner_id is not None}, self.today)
        due = []
        for ob in chunk:
            schedule = cached_schedule(ob.source_key)
            found = reminder_kind(ob, schedule, self.today)
            if found:
                due += [(ob, *found, user) for user in _owed_by(ob, posts, people)]
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
        holders = "" if ob.owner_id is not None else recipients.holder_names(posts.get(ob.unit_id, []))
        for step in (1, 2):
            target = escalation_target(ob, step)
            if late >= schedule.escalate_after * step and target:
                self.groups.setdefault((ob.source_key, step, target), []).append(Late(ob, late, holders))

    def flush(self) -> None:
        """Digests for the collected groups: the obligations not escalated at that step before,
        listed for the overseers; grouped queries for all groups at once."""
        groups, self.groups = self.groups, {}
        done = _escalated(groups)
        groups = {
            key: [x for x in lates if (key[0], x.ob.unit_id, key[1], x.ob.ref) not in done]
            for key, lates in groups.items()
        }
        overseers = _resolve({key: lates for key, lates in groups.items() if lates})
        if not overseers:
            return
        readers = _readers(overseers.values(), self.today)
        rows, marks = [], []
        for key, who in overseers.items():
            (source, step, _), lates = key, groups[key]
            digest = _digest_fields(lates, who)
            # The first listed obligation is in the key: an overseer whose late ones came in two
            # flushes gets two digests, never a second one dropped as a duplicate of the first.
            event = f"{source}:escalate-{step}:{who.unit_id}:{self.today:%Y-%m-%d}:{lates[0].ob.key}"
            unit = _unit(who.unit_id, who.unit_name)
            rows += [Notification(recipient=user, unit=unit, event_key=event, **digest) for user in readers[who]]
            marks += [
                Escalation(source_key=source, unit_id=x.ob.unit_id, ref=x.ob.ref, step=step, sent_on=self.today)
                for x in lates
            ]
        with transaction.atomic():
            self._emit(rows)
            if not self.dry_run:
                Escalation.objects.bulk_create(marks, ignore_conflicts=True)

    def _emit(self, rows: list[Notification]) -> None:
        new = services.unsent(rows) if self.dry_run else services.deliver(services.save_new(rows))
        for n in new:
            self.report(n)
        self.made += len(new)


def _owed_by(ob: Obligation, posts, people) -> list:
    """Who is reminded of the obligation: the person who owes it, or the unit's workers."""
    if ob.owner_id is not None:
        return [people[ob.owner_id]] if ob.owner_id in people else []
    return [post.user for post in posts.get(ob.unit_id, [])]


def _resolve(groups) -> dict[tuple, Overseer]:
    """Each group's overseer: an ancestor's path becomes its unit's officers (one query for all)."""
    paths = {key[2] for key in groups if isinstance(key[2], str)}
    units = {}
    if paths:
        units = {
            path: (pk, name)
            for pk, path, name in Organization.objects.filter(path__in=paths).values_list("pk", "path", "name")
        }
    found = {}
    for key, lates in groups.items():
        target = key[2]
        if isinstance(target, Overseer):
            found[key] = target
        elif target in units:
            pk, name = units[target]
            found[key] = Overseer(pk, name, name, lates[0].ob.overview_link, roles=recipients.OVERSEERS)
    return found


def _readers(overseers: Iterable[Overseer], today: date) -> dict[Overseer, list]:
    """The users each overseer stands for (open posts, active accounts): two queries for all."""
    overseers = set(overseers)
    posts = recipients.posts_at({o.unit_id for o in overseers if o.roles}, recipients.OVERSEERS, today)
    people = recipients.people({uid for o in overseers for uid in o.user_ids}, today)
    found = {}
    for o in overseers:
        users = [p.user for p in posts.get(o.unit_id, []) if p.role in o.roles]
        users += [people[uid] for uid in o.user_ids if uid in people]
        found[o] = list({u.pk: u for u in users}.values())
    return found


def _escalated(groups) -> set[tuple[str, int, int, str]]:
    unit_ids = {x.ob.unit_id for lates in groups.values() for x in lates}
    sources = {key[0] for key in groups}
    return set(
        Escalation.objects.filter(unit_id__in=unit_ids, source_key__in=sources).values_list(
            "source_key", "unit", "step", "ref"
        )
    )


def _digest_fields(lates: list[Late], who: Overseer) -> dict:
    first = lates[0].ob
    lines = [
        f"- {x.ob.name}: quá hạn {x.days} ngày (hạn {x.ob.due_on:%d/%m/%Y})" + (f"; {x.holders}" if x.holders else "")
        for x in lates
    ]
    noun = "cán bộ của" if first.owner_id is not None else "đơn vị trực thuộc"
    return {
        "kind": Kind.ESCALATION,
        "title": f"{len(lates)} {noun} {who.name} quá hạn {first.what}",
        "body": "\n".join(lines),
        "link": who.link,
        "due_on": min(x.ob.due_on for x in lates),
    }


_schedules: dict[str, Schedule] = {}


def cached_schedule(source_key: str) -> Schedule:
    """``schedule_for`` read once a run (a source with an obligation per person asks per row)."""
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
