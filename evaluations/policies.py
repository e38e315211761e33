"""Effective rules of a unit: the policies of its ancestors merged, lower levels only tightening.

Hướng dẫn 33 lets each level make the criteria and quotas stricter than the level above, never
looser ("không thấp hơn khung tiêu chí của cấp trên"), so merging takes the strictest value of
each rule along the path and saving a looser child policy is refused.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from organizations.models import Organization

from .models import Criterion, RatingPeriod, RatingPolicy


@dataclass
class EffectivePolicy:
    quota_basis: str = RatingPolicy.QuotaBasis.ALL_RATED
    quota_percent: Decimal | None = None
    allow_over_quota: bool = True
    min_months_in_branch: int = 6
    exclude_party_members: bool = False
    require_recognition_for_excellent: bool = False
    min_participation_excellent: Decimal | None = None
    excellent_min_points: Decimal | None = None
    good_min_points: Decimal | None = None
    completed_min_points: Decimal | None = None
    criteria: list[Criterion] = field(default_factory=list)
    sources: list[RatingPolicy] = field(default_factory=list)

    @property
    def has_points(self) -> bool:
        return any(c.max_points is not None for c in self.criteria)


def _stricter_max(a, b):
    """The lower cap of two (None = no cap)."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _stricter_min(a, b):
    """The higher floor of two (None = no floor)."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def merge(policies: list[RatingPolicy]) -> EffectivePolicy:
    """Merge policies ordered root first; frames and criteria must be prefetched by the caller."""
    eff = EffectivePolicy()
    for i, p in enumerate(policies):
        if i == 0:
            eff.quota_basis = p.quota_basis
            eff.allow_over_quota = p.allow_over_quota
            eff.min_months_in_branch = p.min_months_in_branch
        else:
            eff.allow_over_quota = eff.allow_over_quota and p.allow_over_quota
            eff.min_months_in_branch = max(eff.min_months_in_branch, p.min_months_in_branch)
        eff.quota_percent = _stricter_max(eff.quota_percent, p.quota_percent)
        eff.exclude_party_members = eff.exclude_party_members or p.exclude_party_members
        eff.require_recognition_for_excellent = (
            eff.require_recognition_for_excellent or p.require_recognition_for_excellent
        )
        eff.min_participation_excellent = _stricter_min(eff.min_participation_excellent, p.min_participation_excellent)
        frame = getattr(p, "frame", None) if _has_frame(p) else None
        if frame is not None:
            eff.excellent_min_points = _stricter_min(eff.excellent_min_points, frame.excellent_min_points)
            eff.good_min_points = _stricter_min(eff.good_min_points, frame.good_min_points)
            eff.completed_min_points = _stricter_min(eff.completed_min_points, frame.completed_min_points)
            eff.criteria.extend(frame.criteria.all())  # a lower unit adds criteria to its parent's
        eff.sources.append(p)
    return eff


def _has_frame(policy: RatingPolicy) -> bool:
    try:
        policy.frame  # noqa: B018
    except RatingPolicy.frame.RelatedObjectDoesNotExist:
        return False
    return True


def policies_along(period: RatingPeriod, org: Organization, subject_type: str, *, include_self: bool = True):
    paths = org.ancestor_paths() + ([org.path] if include_self else [])
    return list(_policy_rows(period, subject_type).filter(organization__path__in=paths))


def _policy_rows(period: RatingPeriod, *subject_types: str):
    """A period's policies for these subject types, root first, with what ``merge`` reads."""
    return (
        RatingPolicy.objects.filter(period=period, subject_type__in=subject_types)
        .select_related("organization", "frame")
        .prefetch_related("frame__criteria")
        .order_by("organization__depth")
    )


def effective_policy(period: RatingPeriod, org: Organization, subject_type: str) -> EffectivePolicy:
    """The rules that apply to ``subject_type`` subjects at ``org`` (3 queries)."""
    return effective_policies(period, org, [subject_type])[subject_type]


def effective_policies(period: RatingPeriod, org: Organization, subject_types) -> dict[str, EffectivePolicy]:
    """``effective_policy`` of several subject types at ``org``, loaded together (3 queries, not 3
    a type: the chi đoàn page reads its own type's and its members')."""
    rows = _policy_rows(period, *subject_types).filter(organization__path__in=[*org.ancestor_paths(), org.path])
    along: dict[str, list[RatingPolicy]] = {kind: [] for kind in subject_types}
    for policy in rows:
        along[policy.subject_type].append(policy)
    return {kind: merge(policies) for kind, policies in along.items()}


class PolicyBook:
    """Effective policies of many units, each period's policies loaded once (3 queries per period
    and subject type): a plan of 10⁵ ratings must not cost three queries a rating."""

    def __init__(self):
        self.loaded: dict[tuple, list[RatingPolicy]] = {}
        self.merged: dict[tuple, EffectivePolicy] = {}

    def effective(self, period: RatingPeriod, org: Organization, subject_type: str) -> EffectivePolicy:
        key = (period.pk, org.path, subject_type)
        if key not in self.merged:
            paths = {*org.ancestor_paths(), org.path}
            along = [p for p in self._policies(period, subject_type) if p.organization.path in paths]
            self.merged[key] = merge(along)
        return self.merged[key]

    def _policies(self, period: RatingPeriod, subject_type: str) -> list[RatingPolicy]:
        key = (period.pk, subject_type)
        if key not in self.loaded:
            self.loaded[key] = list(_policy_rows(period, subject_type))
        return self.loaded[key]


def tightening_errors(policy: RatingPolicy) -> dict[str, str]:
    """Why ``policy`` would loosen the merged policy of the levels above (empty when it does not)."""
    org = Organization.objects.get(pk=policy.organization_id)
    parents = policies_along(policy.period, org, policy.subject_type, include_self=False)
    if not parents:
        return {}
    parent = merge(parents)
    errors: dict[str, str] = {}
    if parent.quota_percent is not None and (
        policy.quota_percent is None or policy.quota_percent > parent.quota_percent
    ):
        errors["quota_percent"] = (
            f"Cấp trên quy định tối đa {_pct(parent.quota_percent)}; cấp dưới không được nới rộng."
        )
    if policy.quota_basis != parent.quota_basis:
        errors["quota_basis"] = "Phải dùng cùng cách tính chỉ tiêu với cấp trên."
    if policy.allow_over_quota and not parent.allow_over_quota:
        errors["allow_over_quota"] = "Cấp trên không cho phép vượt chỉ tiêu."
    if policy.min_months_in_branch < parent.min_months_in_branch:
        errors["min_months_in_branch"] = f"Không được thấp hơn {parent.min_months_in_branch} tháng của cấp trên."
    if parent.exclude_party_members and not policy.exclude_party_members:
        errors["exclude_party_members"] = "Cấp trên không xếp loại đoàn viên là đảng viên."
    if parent.require_recognition_for_excellent and not policy.require_recognition_for_excellent:
        errors["require_recognition_for_excellent"] = "Cấp trên yêu cầu đạt “3 chủ động” để HTXSNV."
    floor = parent.min_participation_excellent
    if floor is not None and (policy.min_participation_excellent is None or policy.min_participation_excellent < floor):
        errors["min_participation_excellent"] = f"Không được thấp hơn {_pct(floor)} của cấp trên."
    return errors


def frame_errors(frame) -> dict[str, str]:
    """Point thresholds of a lower unit's frame may only be raised, never lowered."""
    policy = frame.policy
    org = Organization.objects.get(pk=policy.organization_id)
    parent = merge(policies_along(policy.period, org, policy.subject_type, include_self=False))
    errors = {}
    for name in ("excellent_min_points", "good_min_points", "completed_min_points"):
        floor, mine = getattr(parent, name), getattr(frame, name)
        if floor is not None and (mine is None or mine < floor):
            errors[name] = f"Không được thấp hơn {floor.normalize():f} điểm của cấp trên."
    return errors


def _pct(value) -> str:
    from organizations.numbers import vn_rate

    return vn_rate(float(value), 100) if value is not None else "—"


def suggested_level(eff: EffectivePolicy, points) -> str:
    """The level the points reach under the frame's thresholds ('' when there are none)."""
    if points is None or eff.good_min_points is None and eff.excellent_min_points is None:
        return ""
    from .models import RatingLevel

    for level, floor in (
        (RatingLevel.HTXSNV, eff.excellent_min_points),
        (RatingLevel.HTTNV, eff.good_min_points),
        (RatingLevel.HTNV, eff.completed_min_points),
    ):
        if floor is not None and points >= floor:
            return level
    return RatingLevel.KHTNV
