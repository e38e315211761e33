"""Who may change member records: one rule, used by services, views and the importer."""

from organizations.models import Organization, Post
from organizations.scoping import has_role_above, is_admin_anywhere, open_posts, roles_at

Role = Post.Role
OFFICERS_ABOVE = frozenset({Role.APPROVER, Role.ADMIN, Role.STAFF})


def can_manage_members(user, branch: Organization) -> bool:
    """The chi đoàn's own secretary keeps its roster; officers at any level above may too."""
    if user is None:  # a system import (command line without --user) has the whole tree
        return True
    return Role.SECRETARY in roles_at(user, branch) or has_role_above(user, branch, OFFICERS_ABOVE)


def can_manage_under(user, org: Organization) -> bool:
    """May change members somewhere under ``org`` (an officer at or above it, or its own secretary)."""
    if user is None:
        return True
    if org.level.is_branch:
        return can_manage_members(user, org)
    from organizations.scoping import has_role_over

    return has_role_over(user, org, OFFICERS_ABOVE)


def may_import(user) -> bool:
    """Who may use the import page: anyone who may change members somewhere (the importer checks
    each row against the user's own scope)."""
    return (
        user.is_superuser
        or is_admin_anywhere(user)
        or any(can_manage_under(user, p.organization) for p in open_posts(user))
    )
