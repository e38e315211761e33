"""Who sees what: the one place that scopes every read to the user's posts.

A user sees the subtrees under the nodes where they hold an open post; a superuser sees all.
Views build every queryset through ``scoped``/``visible_orgs`` and fetch single objects with
``get_org_or_404``: an object outside the scope answers 404, so its existence does not leak.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Organization, Post

Role = Post.Role
MANAGER_ROLES = frozenset({Role.APPROVER, Role.ADMIN})
ALL_ROLES = frozenset(Role.values)


def open_posts(user) -> list[Post]:
    """The user's open posts with their nodes, memoised on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_doanhub_posts", None)
    if cached is None:
        today = timezone.localdate()
        cached = list(
            Post.objects.filter(user=user)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .select_related("organization", "organization__level")
            .order_by("organization__path", "role")
        )
        user._doanhub_posts = cached
    return cached


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie under another path of the set."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def root_paths(user) -> list[str] | None:
    """Paths of the user's scope roots; None means everything (superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    return _minimal(p.organization.path for p in open_posts(user))


def scope_q(user, path_field: str = "path") -> Q:
    """A filter keeping rows whose ``path_field`` lies in the user's scope."""
    paths = root_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def scoped(user, queryset: QuerySet, path_field: str = "path") -> QuerySet:
    """Any queryset restricted to the user's scope, by the tree path of its organisation."""
    return queryset.filter(scope_q(user, path_field))


def visible_orgs(user) -> QuerySet:
    return scoped(user, Organization.objects.all())


def scope_roots(user) -> list[Organization]:
    """The nodes the user's scope starts from (for a superuser: the tree's roots)."""
    paths = root_paths(user)
    if paths is None:
        return list(Organization.objects.get_root_nodes().select_related("level"))
    by_path = {p.organization.path: p.organization for p in open_posts(user)}
    return [by_path[path] for path in paths]


def in_scope(user, org: Organization) -> bool:
    paths = root_paths(user)
    return paths is None or any(org.path.startswith(p) for p in paths)


def get_org_or_404(user, code: str) -> Organization:
    org = visible_orgs(user).select_related("level", "kind").filter(code=code).first()
    if org is None:
        raise Http404("Không tìm thấy đơn vị trong phạm vi của bạn.")
    return org


def get_scoped_or_404(user, queryset: QuerySet, path_field: str, **lookup):
    """Fetch one object of any model through the user's scope, or 404."""
    obj = scoped(user, queryset, path_field).filter(**lookup).first()
    if obj is None:
        raise Http404("Không tìm thấy trong phạm vi của bạn.")
    return obj


def roles_over(user, org: Organization) -> set[str]:
    """Roles the user holds at ``org`` or at any of its ancestors."""
    if getattr(user, "is_superuser", False):
        return set(ALL_ROLES)
    return {p.role for p in open_posts(user) if org.path.startswith(p.organization.path)}


def roles_at(user, org: Organization) -> set[str]:
    """Roles the user holds exactly at ``org``."""
    return {p.role for p in open_posts(user) if p.organization_id == org.pk}


def has_role_over(user, org: Organization, roles: Iterable[str]) -> bool:
    return bool(roles_over(user, org) & set(roles))


def has_role_above(user, org: Organization, roles: Iterable[str]) -> bool:
    """True when the user holds one of ``roles`` at a proper ancestor of ``org``: the level
    above decides (the union's charter), so approvals and unit changes need a post above."""
    if getattr(user, "is_superuser", False):
        return True
    wanted = set(roles)
    return any(
        p.role in wanted and org.path.startswith(p.organization.path) and org.path != p.organization.path
        for p in open_posts(user)
    )


def can_manage_children(user, parent: Organization) -> bool:
    """Create, rename, move, merge or dissolve units directly below ``parent``."""
    return has_role_over(user, parent, MANAGER_ROLES)


def can_manage_users(user, org: Organization) -> bool:
    return has_role_over(user, org, {Role.ADMIN})


def is_admin_anywhere(user) -> bool:
    return getattr(user, "is_superuser", False) or any(p.role == Role.ADMIN for p in open_posts(user))
