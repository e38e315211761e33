"""Who may do what in the "3 chủ động" workflow: the one copy of each rule.

Services enforce these; views and templates only read them to show or hide a button.
The guidance (08-HD/TWĐTN-BTC): the đoàn cơ sở registers; the level above follows, evaluates and
decides; the province's standing office and inspection committee check the districts.
"""

from django.db.models import QuerySet

from organizations.levels import is_province_level
from organizations.models import Level, Organization, Post
from organizations.scoping import ALL_ROLES, MANAGER_ROLES, has_role_above, has_role_over, roles_at

from .models import Campaign, Decision, Flag, Registration

Role = Post.Role
REGISTRANT_ROLES = frozenset({Role.SECRETARY, Role.APPROVER, Role.ADMIN})


def runs_campaigns(unit: Organization) -> bool:
    """Campaigns are run by province-level units (tỉnh/thành đoàn, Đoàn Khối), known by their
    level's place in the tree (``organizations.levels``), never by its code."""
    return is_province_level(unit.level)


def can_manage_campaign(user, province: Organization) -> bool:
    """The province's standing office sets up the year's campaign and its criteria."""
    return has_role_over(user, province, MANAGER_ROLES) and runs_campaigns(province)


def can_register(user, org: Organization) -> bool:
    """The đoàn cơ sở itself (its secretary or standing office) registers, not a level above it."""
    return getattr(user, "is_superuser", False) or bool(roles_at(user, org) & REGISTRANT_ROLES)


def can_follow(user, registration: Registration) -> bool:
    """Accept, assign, follow up and evaluate: any post at a level above the registrant,
    or the cadre assigned to it."""
    if registration.cadre_id and registration.cadre_id == getattr(user, "pk", None):
        return True
    return has_role_above(user, registration.organization, ALL_ROLES)


def can_assign(user, registration: Registration) -> bool:
    """Phân công cán bộ theo dõi: a post at a level above the registrant (not the cadre themself)."""
    return has_role_above(user, registration.organization, ALL_ROLES)


def can_decide_at(user, unit: Organization) -> bool:
    """Decisions and the report to the province bind the unit: its standing office signs them.
    Only a level that receives registrations (above the đoàn cơ sở) issues them."""
    return not (unit.level.is_grassroots or unit.level.is_branch) and has_role_over(user, unit, MANAGER_ROLES)


def can_decide(user, registration: Registration) -> bool:
    return can_decide_at(user, registration.receiving_unit)


def can_review(user, campaign: Campaign) -> bool:
    """The province's standing office and inspection committee (approver/admin posts at the province)."""
    return has_role_over(user, campaign.province, MANAGER_ROLES)


def can_resolve(user, flag: Flag) -> bool:
    decision: Decision = flag.decision
    return can_review(user, decision.campaign) or can_decide_at(user, decision.issued_by)


def reporting_levels() -> QuerySet:
    """Levels whose units may hold a đoàn cơ sở (levels are data: a district, or a province
    for its đoàn trực thuộc). Lazy, so a selector can use it as a subquery."""
    return Level.objects.filter(allowed_children__is_grassroots=True)


def reports_to_province(campaign: Campaign, unit: Organization) -> bool:
    """A unit between the province and its đoàn cơ sở (a district) reports its registrations to
    the province by the report deadline; an intermediate unit under a cơ sở does not."""
    return (
        unit.pk != campaign.province_id
        and unit.path.startswith(campaign.province.path)
        and reporting_levels().filter(pk=unit.level_id).exists()
    )


def can_send_report(user, campaign: Campaign, unit: Organization) -> bool:
    return can_decide_at(user, unit) and reports_to_province(campaign, unit)


def can_see_board(user, unit: Organization) -> bool:
    return not (unit.level.is_branch or unit.level.is_grassroots) and has_role_over(user, unit, ALL_ROLES)
