"""Every notification is made here: ``notify`` for one event (called by the apps' services after
their transaction commits), ``save_new`` for the reminders' batches, ``send_digests`` for the
daily mail of those who chose one. A notification is unique per recipient and event key, so
re-running anything sends nothing twice."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from organizations.models import Organization

from . import channels, recipients
from .models import Notification, Preference


def notify(
    *,
    kind: str,
    event_key: str,
    title: str,
    link: str,
    unit: Organization | None = None,
    body: str = "",
    due_on: date | None = None,
    users: Iterable | None = None,
    roles: Sequence[str] = recipients.WORKERS,
) -> list[Notification]:
    """Tell ``users`` (by default the officers of ``unit`` in ``roles``) about one event."""
    if users is None:
        posts = recipients.posts_at([unit.pk], roles, timezone.localdate()).get(unit.pk, [])
        users = [p.user for p in posts]
    rows = [
        Notification(
            recipient=user, kind=kind, unit=unit, title=title, body=body, link=link, due_on=due_on, event_key=event_key
        )
        for user in {u.pk: u for u in users if u.is_active}.values()
    ]
    return deliver(save_new(rows))


def event_key(*parts, at: datetime) -> str:
    """The key of an event that may befall the same object again (a batch returned, sent and
    returned once more): its parts and the moment it happened, "rating:return:7:20261103091512034567"."""
    return ":".join(str(part) for part in (*parts, f"{at:%Y%m%d%H%M%S%f}"))


def notify_on_commit(**event) -> None:
    """What the apps' services call: the notice goes only if their change is committed."""
    transaction.on_commit(lambda: notify(**event))


def seen(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (recipient id, event key) pairs already have their notification: one query."""
    if not pairs:
        return set()
    users, keys = {uid for uid, _ in pairs}, {key for _, key in pairs}
    found = Notification.objects.filter(recipient_id__in=users, event_key__in=keys)
    return set(found.values_list("recipient_id", "event_key")) & pairs


def unsent(rows: Sequence[Notification]) -> list[Notification]:
    """The rows whose (recipient, event) has no notification yet."""
    sent = seen({(n.recipient_id, n.event_key) for n in rows})
    fresh: dict[tuple, Notification] = {}
    for n in rows:
        fresh.setdefault((n.recipient_id, n.event_key), n)
    return [n for key, n in fresh.items() if key not in sent]


def save_new(rows: Sequence[Notification]) -> list[Notification]:
    """Save the rows not sent before and return them. A concurrent run that saved some meanwhile
    loses nothing: its rows stand, ours are skipped (and not delivered a second time)."""
    rows = unsent(rows)
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return []


def deliver(rows: Sequence[Notification]) -> list[Notification]:
    for channel in channels.channels():
        channel.deliver(rows)
    return list(rows)


def send_digests(*, chunk: int = 500) -> int:
    """One mail a day to each person who chose the digest, listing what was not mailed yet."""
    User = get_user_model()
    readers = (
        Preference.objects.filter(email_enabled=True, email_mode=Preference.Mode.DIGEST, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
    )
    sent = 0
    ids = list(readers)
    for start in range(0, len(ids), chunk):
        users = User.objects.in_bulk(ids[start : start + chunk])
        waiting: dict[int, list[Notification]] = defaultdict(list)
        for n in Notification.objects.filter(recipient_id__in=users, emailed_at__isnull=True).order_by("created_at"):
            waiting[n.recipient_id].append(n)
        messages = [
            channels.email_message(users[uid], items, subject=f"{len(items)} thông báo mới")
            for uid, items in waiting.items()
        ]
        if messages and channels.send(messages):
            stamped = [n.pk for items in waiting.values() for n in items]
            Notification.objects.filter(pk__in=stamped).update(emailed_at=timezone.now())
            sent += len(messages)
    return sent


def open_notification(*, notification: Notification) -> str:
    """Reading a notification marks it read; the person goes on to the page of the work."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return notification.link


def save_preference(*, user, email_enabled: bool, email_mode: str) -> Preference:
    pref, _ = Preference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled, "email_mode": email_mode}
    )
    return pref
