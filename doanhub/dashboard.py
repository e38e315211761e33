"""The home page's "waiting for you" list, gathered from each app's inbox module.

The project package may import every app (like the URL configuration); the apps do not
import each other upward."""

from evaluations import inbox as evaluations_inbox
from evaluations.recognition import inbox as recognition_inbox
from fieldwork import inbox as fieldwork_inbox
from members import inbox as members_inbox
from notifications import inbox as notifications_inbox
from organizations.inbox import InboxItem
from reports import inbox as reports_inbox
from reports.returns import inbox as returns_inbox

PROVIDERS = (
    members_inbox,
    evaluations_inbox,
    recognition_inbox,
    fieldwork_inbox,
    reports_inbox,
    returns_inbox,
    notifications_inbox,
)


def inbox(user) -> list[InboxItem]:
    items: list[InboxItem] = []
    for provider in PROVIDERS:
        items.extend(provider.items(user))
    return sorted(items, key=lambda item: (not item.urgent, item.title))
