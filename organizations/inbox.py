"""The home page's "waiting for you" list: every app has an ``inbox.items(user)`` returning these."""

from dataclasses import dataclass


@dataclass(frozen=True)
class InboxItem:
    title: str  # e.g. "3 chi đoàn chờ duyệt xếp loại"
    url: str
    count: int = 0
    urgent: bool = False  # past a deadline


def items(user) -> list[InboxItem]:
    return []
