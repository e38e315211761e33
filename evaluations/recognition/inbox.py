"""What is waiting for a user in this app, shown on their home page (doanhub.dashboard)."""

from organizations.inbox import InboxItem


def items(user) -> list[InboxItem]:
    return []
