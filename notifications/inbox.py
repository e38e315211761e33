"""Unread notifications on the home page's "waiting for you" list, each opening its page."""

from django.urls import reverse

from organizations.inbox import InboxItem

from .models import Kind, Notification

SHOWN = 20
URGENT = {Kind.OVERDUE, Kind.ESCALATION, Kind.RETURNED, Kind.JOB_FAILED}


def items(user) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).only("pk", "title", "kind", "body")
    return [
        InboxItem(_title(n), reverse("notifications:open", args=[n.pk]), urgent=n.kind in URGENT)
        for n in unread[:SHOWN]
    ]


def _title(n: Notification) -> str:
    """A returned batch or a changed level shows its reason, the first thing the secretary needs."""
    if n.kind in (Kind.RETURNED, Kind.LEVEL_CHANGED) and n.body:
        return f"{n.title}: {n.body}"
    return n.title
