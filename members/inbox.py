"""What is waiting for a user in this app, shown on their home page (doanhub.dashboard)."""

from django.urls import reverse

from organizations.inbox import InboxItem
from organizations.scoping import open_posts, scope_roots

from . import selectors


def items(user) -> list[InboxItem]:
    """Two cheap counts: transfers waiting for the user's chi đoàn, and over-age cadres in scope."""
    if not (user.is_superuser or open_posts(user)):
        return []
    found = []
    incoming = selectors.pending_in(user).count()
    if incoming:
        found.append(
            InboxItem(f"{incoming} đoàn viên chờ tiếp nhận chuyển sinh hoạt", reverse("members:transfers"), incoming)
        )
    over_age = selectors.over_age_in_scope(user).count()
    if over_age:
        roots = scope_roots(user)
        url = reverse("members:overage", args=[roots[0].code]) if len(roots) == 1 else reverse("members:index")
        found.append(InboxItem(f"{over_age} cán bộ quá tuổi theo quy chế", url, over_age))
    return found
