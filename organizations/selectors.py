"""Reads of the tree, scoped to a user."""

from django.db.models import QuerySet

from .levels import level_order
from .models import Organization, Post
from .scoping import root_paths, visible_orgs
from .text import fold, vn_collated


def breadcrumbs(user, org: Organization) -> list[Organization]:
    """Ancestors of ``org`` from the user's own scope root down (never above it)."""
    paths = root_paths(user)
    wanted = [p for p in org.ancestor_paths() if paths is None or any(p.startswith(r) for r in paths)]
    by_path = {o.path: o for o in Organization.objects.filter(path__in=wanted).only("code", "name", "path", "depth")}
    return [by_path[p] for p in wanted if p in by_path]


def children(org: Organization, *, include_closed: bool = False) -> QuerySet:
    qs = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).select_related("level", "kind")
    if not include_closed:
        qs = qs.filter(status=Organization.Status.ACTIVE)
    return qs.order_by(*level_order("level__"), vn_collated("name"))


def search_units(user, query: str) -> QuerySet:
    """Units in scope whose name or code contains the query, diacritics ignored."""
    folded = fold(query)
    qs = visible_orgs(user).select_related("level")
    for word in folded.split():
        qs = qs.filter(name_folded__contains=word)
    return qs.order_by("depth", vn_collated("name"))


def posts_in_scope(user) -> QuerySet:
    """Posts held at units inside the user's scope (an admin never sees a post elsewhere)."""
    from .scoping import scope_q

    return Post.objects.filter(scope_q(user, "organization__path")).select_related("organization")


def users_in_scope(user) -> QuerySet:
    """Users holding a post inside the administrator's scope."""
    from django.contrib.auth import get_user_model

    from .scoping import scope_q

    post_users = Post.objects.filter(scope_q(user, "organization__path")).values("user_id")
    return get_user_model().objects.filter(pk__in=post_users).order_by("username")
