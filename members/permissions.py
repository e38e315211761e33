"""Who may change member records: one rule, used by services, views and the importer."""

from django.db.models import Q

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


# The record's personal data: identity and contact, shown only to the record's keepers.
PERSONAL_FIELDS = ("citizen_id", "phone", "email", "address")


def can_see_personal_data(user, branch: Organization) -> bool:
    """CCCD, phone, email and address go to whoever keeps the member's record: the chi đoàn's own
    secretary, who enters it, and the officers above it (staff, approvers, administrators), who
    administer members (cards, transfers, removals). Anyone else whose scope holds the member
    (a đoàn cơ sở's secretary, say) sees the rest of the record. The member page, the member
    export and the API all ask here."""
    return can_manage_members(user, branch)


def personal_data_q(user, branch: str = "branch") -> Q:
    """``can_see_personal_data`` as a filter on members (``branch``: the lookup of their chi
    đoàn), from the posts the request already read: rows of the chi đoàn the user is secretary
    of, and of every chi đoàn strictly below a post of an officer above. A member search matches
    CCCD and phone only on these rows, so a non-keeper cannot find who owns a number."""
    if user is None or getattr(user, "is_superuser", False):
        return Q()
    keeps = Q(pk__in=[])
    for post in open_posts(user):
        if post.role == Role.SECRETARY:
            keeps |= Q(**{f"{branch}_id": post.organization_id})
        if post.role in OFFICERS_ABOVE:
            below = Q(**{f"{branch}__path__startswith": post.organization.path})
            keeps |= below & ~Q(**{f"{branch}_id": post.organization_id})
    return keeps


def personal_data_reader(user):
    """``sees(member)``: can_see_personal_data for the member's chi đoàn, decided once per chi
    đoàn (lists and exports ask for every row; the answer depends on the chi đoàn only)."""
    answers: dict[int, bool] = {}

    def sees(member) -> bool:
        if member.branch_id not in answers:
            answers[member.branch_id] = can_see_personal_data(user, member.branch)
        return answers[member.branch_id]

    return sees
