"""Who receives a unit's notifications: the active users holding an open post there."""

from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from organizations.models import Post

# Who does a unit's work (its own reminders, its returned batches); who hears about the units
# below it (escalation digests): the officers of the level above.
WORKERS = (Post.Role.SECRETARY, Post.Role.STAFF)
OVERSEERS = (Post.Role.SECRETARY, Post.Role.STAFF, Post.Role.APPROVER)
ROLE_LABELS = dict(Post.Role.choices)


def open_on(today: date) -> Q:
    """A post still held on ``today`` (ended posts get nothing) by an account that may log in."""
    started = Q(started_on__isnull=True) | Q(started_on__lte=today)
    return started & (Q(ended_on__isnull=True) | Q(ended_on__gt=today)) & Q(user__is_active=True)


def posts_at(unit_ids, roles, today: date) -> dict[int, list[Post]]:
    """The open posts of those roles at each unit, one query for all of them."""
    found: dict[int, list[Post]] = defaultdict(list)
    unit_ids = set(unit_ids)
    if not unit_ids:
        return found
    posts = (
        Post.objects.filter(open_on(today), organization_id__in=unit_ids, role__in=roles)
        .select_related("user")
        .order_by("organization_id", "role", "user_id")
    )
    for post in posts:
        found[post.organization_id].append(post)
    return found


def people(user_ids, today: date) -> dict:
    """The users among ``user_ids`` who still hold an open post somewhere on ``today`` with an
    account that may log in (a "1+2" staff member who left, or was locked, gets nothing): one query."""
    user_ids = set(user_ids)
    if not user_ids:
        return {}
    User = get_user_model()
    held = Post.objects.filter(open_on(today), user_id=OuterRef("pk"))
    return User.objects.filter(Exists(held), pk__in=user_ids).in_bulk()


def holder_names(posts: list[Post]) -> str:
    """ "Nguyễn Văn A (Bí thư)" for a digest line; "chưa có người giữ chức vụ" when nobody."""
    # The labels from a dict: get_role_display() hashes its choices on every call, a tenth of a
    # national run's time (bench/reminders.py profile).
    names = [f"{p.user.get_full_name() or p.user.username} ({ROLE_LABELS[p.role]})" for p in posts]
    return ", ".join(names) or "chưa có người giữ chức vụ"
