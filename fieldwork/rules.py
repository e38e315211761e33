"""Who may do what in the "1+2" regime: one predicate per rule, used by services, views and
selectors alike (never a second copy in a template).

Departments are not tree nodes, so roles come from two places: posts at the province (the
Standing office is an APPROVER there; ADMIN manages departments and policies) and the
``Department.head`` field (the head merges the department's plans; the head of the organisation
department passes them on to the Standing office)."""

from datetime import date

from django.db.models import Q

from organizations.models import Organization, Post
from organizations.scoping import has_role_over, open_posts

Role = Post.Role
MANAGERS = frozenset({Role.APPROVER, Role.ADMIN})


def is_standing_office(user, province: Organization) -> bool:
    """Step 3 and 4: the Standing office (an APPROVER at the province or above) decides."""
    return has_role_over(user, province, {Role.APPROVER})


def consent_open(visit, on: date) -> bool:
    """Step 4: an unplanned visit is consented to before it is made, at the latest on its first
    day; a request still waiting after that can only be refused."""
    return on <= visit.starts_on


def consent_open_q(on: date, prefix: str = "") -> Q:
    """``consent_open`` as a filter: requests that may still be consented to on ``on``."""
    return Q(**{f"{prefix}starts_on__gte": on})


def can_manage(user, province: Organization) -> bool:
    """Policies, departments, staff lists and exemptions: the province's approvers or admins."""
    return has_role_over(user, province, MANAGERS)


def heads(user, department) -> bool:
    return getattr(user, "is_superuser", False) or (user.pk is not None and department.head_id == user.pk)


def heads_organisation_department(user, province: Organization) -> bool:
    """Step 2: plans reach the Standing office through the organisation department."""
    from .models import Department

    if getattr(user, "is_superuser", False):
        return True
    return Department.objects.filter(organization=province, is_organisation_department=True, head=user).exists()


def managed_q(user, path_field: str) -> Q:
    """Rows of the provinces where the user is an approver or admin (everything for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Q()
    q = Q(pk__in=[])
    for post in open_posts(user):
        if post.role in MANAGERS:
            q |= Q(**{f"{path_field}__startswith": post.organization.path})
    return q


def department_q(user, prefix: str = "") -> Q:
    """Rows of departments the user heads, or whose province's organisation department they head,
    or that they manage as approver/admin. ``prefix`` leads to a Department (e.g. "department__")."""
    from .models import Department

    if getattr(user, "is_superuser", False):
        return Q()
    org_depts = Department.objects.filter(head=user, is_organisation_department=True).values("organization_id")
    return (
        Q(**{f"{prefix}head": user})
        | Q(**{f"{prefix}organization_id__in": org_depts})
        | managed_q(user, f"{prefix}organization__path")
    )


def assignment_q(user, prefix: str = "") -> Q:
    """Rows of a staff member's own assignment, plus what ``department_q`` grants.
    ``prefix`` leads to a StaffAssignment (e.g. "assignment__")."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(**{f"{prefix}user": user}) | department_q(user, f"{prefix}department__")
