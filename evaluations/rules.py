"""Pure rules of the rating: who decides what, which period applies, who is eligible.

Hướng dẫn 33: members are proposed by the chi đoàn meeting and decided by the tổ chức cơ sở Đoàn;
an organisation is decided by the unit directly above it. So a chi đoàn under an intermediate unit
(đoàn bộ phận, liên chi đoàn) sends one batch with two deciders: the intermediate unit decides
the chi đoàn's own rating, the đoàn cơ sở its members (each ``Assessment.approving_unit``). A chi
đoàn cơ sở is a tổ chức cơ sở Đoàn holding members itself: it decides its members, the district
or province above it decides it.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from members.models import ON_ROLL, Member
from members.validation import months_before
from organizations.levels import LevelRole, LevelRoles
from organizations.models import Organization, Post
from organizations.scoping import has_role_over

from .models import RatingPeriod, Status, SubjectType, Submission

Role = Post.Role
ENTRY_ROLES = {Role.SECRETARY, Role.STAFF, Role.ADMIN}
DECIDER_ROLES = {Role.APPROVER, Role.ADMIN}


def period_for(org: Organization, year: int) -> RatingPeriod | None:
    """The period of ``year`` issued by the nearest unit at or above ``org``."""
    paths = org.ancestor_paths() + [org.path]
    return (
        RatingPeriod.objects.filter(year=year, root__path__in=paths)
        .select_related("root")
        .order_by("-root__depth")
        .first()
    )


def covers(period: RatingPeriod, org: Organization) -> bool:
    """The period applies to ``org``: it lies under the period's root and no nearer unit issued
    its own period for the year (one rating per subject and year, so reports never double-count)."""
    if not org.path.startswith(period.root.path):
        return False
    nearer = [p for p in org.ancestor_paths() + [org.path] if len(p) > len(period.root.path)]
    return not RatingPeriod.objects.filter(year=period.year, root__path__in=nearer).exists()


def require_covered(period: RatingPeriod, org: Organization) -> None:
    if not covers(period, org):
        raise ValidationError(f"“{org.name}” không thuộc phạm vi của {period}.")


def grassroots_above(org: Organization, ancestors: list[Organization] | None = None) -> Organization | None:
    """The nearest đoàn cơ sở at or above ``org``'s parent (it decides member ratings)."""
    if ancestors is None:
        ancestors = list(Organization.objects.filter(path__in=org.ancestor_paths()).select_related("level"))
    for unit in sorted(ancestors, key=lambda o: -o.depth):
        if unit.level.is_grassroots:
            return unit
    return None


def member_deciding_grassroots(
    branch: Organization, ancestors: list[Organization] | None = None
) -> Organization | None:
    """The tổ chức cơ sở Đoàn that decides the members of ``branch``: the branch itself when it is
    one (a chi đoàn cơ sở), else the nearest đoàn cơ sở above it."""
    if branch.level.is_grassroots:
        return branch
    return grassroots_above(branch, ancestors)


def member_approving_unit(branch: Organization) -> Organization:
    unit = member_deciding_grassroots(branch)
    if unit is None:
        unit = branch.parent()
    if unit is None:
        raise ValidationError(f"“{branch.name}” không có đơn vị cấp trên để công nhận xếp loại.")
    return unit


def org_approving_unit(org: Organization) -> Organization:
    parent = org.parent()
    if parent is None:
        raise ValidationError(f"“{org.name}” không có đơn vị cấp trên để công nhận xếp loại.")
    return parent


SUBJECT_OF_ROLE = {
    LevelRole.GRASSROOTS: SubjectType.GRASSROOTS,
    LevelRole.BRANCH: SubjectType.BRANCH,
    LevelRole.INTERMEDIATE: SubjectType.BRANCH,
    LevelRole.UPPER: SubjectType.UPPER,
}


def org_subject_type(org: Organization, roles: LevelRoles | None = None) -> str:
    """A tổ chức cơ sở Đoàn (đoàn cơ sở, chi đoàn cơ sở) is rated as one; a chi đoàn and the
    intermediate units inside a cơ sở as chi đoàn; anything above as an upper-level unit. Read from
    the level's flags and allowed parents (``organizations.levels``), never its code, rank or depth.
    ``roles``: loaded once by a caller that types many units."""
    if org.level.is_grassroots:
        return SubjectType.GRASSROOTS
    if org.level.is_branch:
        return SubjectType.BRANCH
    return SUBJECT_OF_ROLE[(roles or LevelRoles.load()).of(org.level_id)]


def can_enter(user, unit: Organization) -> bool:
    """The chi đoàn secretary (or staff/admins over it) enters self-reviews and proposals."""
    return has_role_over(user, unit, ENTRY_ROLES)


def can_decide(user, approving_unit: Organization) -> bool:
    """Approvers at the deciding unit or above it (the level above decides)."""
    return has_role_over(user, approving_unit, DECIDER_ROLES)


def batch_deciding_unit(submission: Submission) -> Organization:
    """The lowest unit deciding a subject of the batch: the unit directly above the batch's unit
    (it decides the unit's own rating). The đoàn cơ sở deciding the members is that unit or above it."""
    return org_approving_unit(submission.unit)


def decides_waiting(user, subjects) -> bool:
    """The user decides at least one of ``subjects`` still waiting for a decision (submitted), each
    by its own deciding unit: the rule of the queue (selectors.queue)."""
    units = {a.approving_unit for a in subjects if a.status == Status.SUBMITTED}
    return any(can_decide(user, unit) for unit in units)


def can_review(user, submission: Submission, subjects=None) -> bool:
    """Approve in, or send back, a waiting batch: only while the user still decides one of its
    waiting subjects. Once the intermediate unit has decided the chi đoàn's own rating it can no
    longer send back members the đoàn cơ sở has not decided. ``subjects``: the batch's
    assessments when the caller has them (with ``approving_unit``), else they are read."""
    if submission.status != Status.SUBMITTED:
        return False
    if subjects is None:
        subjects = submission.assessments.filter(status=Status.SUBMITTED).select_related("approving_unit")
    return decides_waiting(user, subjects)


def can_administer(user, period_root: Organization) -> bool:
    return has_role_over(user, period_root, {Role.ADMIN})


def can_add_policy(user, period: RatingPeriod) -> bool:
    """Administrators over the period's root, or of a unit inside it (a province may tighten a
    period issued by TW for its own subtree; the service checks the chosen unit)."""
    from organizations.scoping import open_posts

    if can_administer(user, period.root):
        return True
    return any(p.role == Role.ADMIN and p.organization.path.startswith(period.root.path) for p in open_posts(user))


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str = ""
    transferred_in: bool = False


def eligibility(member: Member, *, on: date, min_months: int, exclude_party_members: bool) -> Eligibility:
    """Rated only after ≥ min_months continuous months of activity; a member who transferred in
    recently is still rated, by the new chi đoàn, with the old unit's comment (Hướng dẫn 33)."""
    if not member.is_on_roll:
        return Eligibility(False, f"{member.get_status_display()}")
    if exclude_party_members and member.is_party_member:
        return Eligibility(False, "Là đảng viên (theo quy định không xếp loại đoàn viên)")
    joined_union = member.admitted_on or member.joined_branch_on
    if joined_union is None or months_between(joined_union, on) < min_months:
        return Eligibility(False, f"Chưa đủ {min_months} tháng sinh hoạt")
    joined_branch = member.joined_branch_on or joined_union
    transferred = joined_branch > joined_union and months_between(joined_branch, on) < min_months
    return Eligibility(True, "", transferred)


def eligible_q(*, on: date, min_months: int, exclude_party_members: bool) -> Q:
    """``eligibility(...).eligible`` as a filter over members, to count them in the database (a
    quota's base: a đoàn cơ sở of thousands, counted on every entry page) rather than load them."""
    q = Q(status__in=ON_ROLL)
    if exclude_party_members:
        q &= Q(is_party_member=False)
    joined_union = Coalesce("admitted_on", "joined_branch_on")  # as eligibility's
    return q & Q(LessThanOrEqual(joined_union, months_before(on, min_months)))
