"""Reads of the rating, scoped to a user; each list is a fixed number of queries."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from members.models import ON_ROLL, Member
from organizations.collation import person_order
from organizations.models import Organization
from organizations.numbers import vn_rate
from organizations.scoping import open_posts, root_paths, scope_q, scoped

from . import rules
from .models import (
    GOOD_OR_BETTER,
    Assessment,
    RatingDeadline,
    RatingLevel,
    RatingPeriod,
    RatingPolicy,
    Status,
    SubjectType,
    Submission,
)
from .policies import EffectivePolicy, effective_policies, effective_policy, suggested_level

SENT = (Status.SUBMITTED, Status.APPROVED, Status.LOCKED)


def _at_or_above_q(user, path_field: str) -> Q:
    """Rows whose unit is one of the user's scope roots, an ancestor of one, or inside the scope:
    a national period or policy applies to the user, another province's never shows."""
    paths = root_paths(user)
    if paths is None:
        return Q()
    steplen = Organization.steplen
    above = {path[: i * steplen] for path in paths for i in range(1, len(path) // steplen + 1)}
    return Q(**{f"{path_field}__in": above}) | scope_q(user, path_field)


def periods_for(user) -> QuerySet:
    """Periods issued at or above the user's posts, or inside their scope."""
    return RatingPeriod.objects.select_related("root").filter(_at_or_above_q(user, "root__path"))


def current_period(user, today: date | None = None) -> RatingPeriod | None:
    year = (today or timezone.localdate()).year
    return periods_for(user).filter(year__lte=year).order_by("-year", "-root__depth").first()


@dataclass
class RosterRow:
    member: Member
    assessment: Assessment | None
    eligible: bool
    reason: str = ""
    transferred_in: bool = False
    marks: list = field(default_factory=list)  # [(criterion, value)] for the inputs


def mark_values(assessment: Assessment | None, criteria) -> list:
    saved = assessment.marks if assessment else {}
    return [(c, saved.get(str(c.pk), "")) for c in criteria]


@dataclass
class Roster:
    """The unit's page: every member on the roll with eligibility and assessment, its own
    self-assessment, the batch, and the rules that apply."""

    unit: Organization
    submission: Submission | None
    own: Assessment | None
    members: list[RosterRow] = field(default_factory=list)
    member_policy: EffectivePolicy | None = None
    own_policy: EffectivePolicy | None = None
    collective: Assessment | None = None  # the BCH's own rating (đoàn cơ sở and above)

    @property
    def eligible_rows(self) -> list[RosterRow]:
        return [r for r in self.members if r.eligible]

    @property
    def proposed_count(self) -> int:
        return sum(1 for r in self.eligible_rows if r.assessment and r.assessment.proposed_level)

    @property
    def is_editable(self) -> bool:
        return self.submission is None or self.submission.is_editable

    @property
    def own_marks(self) -> list:
        return mark_values(self.own, self.own_policy.criteria if self.own_policy else [])

    @property
    def own_suggested(self) -> str:
        return suggested_level(self.own_policy, self.own.points) if self.own and self.own_policy else ""


def roster(*, period: RatingPeriod, unit: Organization) -> Roster:
    """Constant number of queries whatever the chi đoàn's size."""
    own_type = rules.org_subject_type(unit)
    assessments = list(Assessment.objects.filter(period=period, unit=unit).select_related("approving_unit"))
    by_member = {a.member_id: a for a in assessments if a.member_id}
    own = next((a for a in assessments if a.organization_id == unit.pk and a.subject_type == own_type), None)
    collective = next((a for a in assessments if a.subject_type == SubjectType.COLLECTIVE), None)
    kinds = [own_type, SubjectType.MEMBER] if unit.level.is_branch else [own_type]
    policies = effective_policies(period, unit, kinds)
    result = Roster(
        unit=unit,
        submission=Submission.objects.filter(period=period, unit=unit).first(),
        own=own,
        own_policy=policies[own_type],
        collective=collective,
    )
    if unit.level.is_branch:
        eff = policies[SubjectType.MEMBER]
        result.member_policy = eff
        members = Member.objects.filter(branch=unit, status__in=ON_ROLL).order_by(
            *person_order(), "pk"
        )  # tên, then họ đệm, as the roster page
        for member in members:
            verdict = rules.eligibility(
                member,
                on=period.opens_on,
                min_months=eff.min_months_in_branch,
                exclude_party_members=eff.exclude_party_members,
            )
            assessment = by_member.get(member.pk)
            if assessment is not None:
                assessment.member = member
            result.members.append(
                RosterRow(
                    member,
                    assessment,
                    verdict.eligible,
                    verdict.reason,
                    verdict.transferred_in,
                    mark_values(assessment, eff.criteria),
                )
            )
    return result


def policies_of(user, period: RatingPeriod) -> list[RatingPolicy]:
    """The period's policies, each marked ``editable`` when the user administers its unit."""
    policies = list(
        period.policies.filter(_at_or_above_q(user, "organization__path"))
        .select_related("organization")
        .order_by("organization__path", "subject_type")
    )
    for policy in policies:
        policy.editable = rules.can_administer(user, policy.organization)
    return policies


def entry_units(user, period: RatingPeriod) -> QuerySet:
    """Units whose rating the user enters: the units of their secretary/staff posts."""
    ids = [p.organization_id for p in open_posts(user) if p.role in rules.ENTRY_ROLES]
    return Organization.objects.filter(pk__in=ids, path__startswith=period.root.path).select_related("level")


def decider_paths(user) -> list[str] | None:
    if getattr(user, "is_superuser", False):
        return None
    return [p.organization.path for p in open_posts(user) if p.role in rules.DECIDER_ROLES]


def _path_q(paths: list[str] | None, field_name: str) -> Q:
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field_name}__startswith": path})
    return q


def _queued(user, period: RatingPeriod, batches: QuerySet) -> QuerySet:
    """Submitted batches with a subject still waiting for a decision the user may take. A decider
    sits above every unit it decides (the level above decides), so such a batch lies under one of
    its decider posts: batches and subjects are both taken from the user's subtree, never from the
    nation's (issue 13: an EXISTS for each of the nation's 4,781 waiting batches at 10⁶ members,
    for a province that sees 223). ``queue(…).count()`` is this query alone (the home inbox)."""
    paths = decider_paths(user)
    batches = batches.filter(period=period, status=Status.SUBMITTED).filter(_path_q(paths, "unit__path"))
    waiting = Assessment.objects.filter(submission__in=batches, status=Status.SUBMITTED)
    return batches.filter(pk__in=waiting.filter(_path_q(paths, "approving_unit__path")).values("submission_id"))


class QueueQuerySet(QuerySet):
    """Batches that get ``total`` and ``excellent`` (subjects, proposed HTXSNV) once fetched, from
    one grouped query over the fetched rows: an aggregate in the queue's own query would count
    every waiting batch's subjects before the page is cut (155,805 nationally at 10⁶ members, for
    the 200 rows shown), and would make ``count()`` join them all too."""

    def _fetch_all(self):
        counted = self._result_cache is not None
        super()._fetch_all()
        batches = [row for row in self._result_cache if isinstance(row, Submission)]
        if not counted and batches:
            _count_subjects(batches)


def _count_subjects(batches: list[Submission]) -> None:
    rows = (
        Assessment.objects.filter(submission__in=[b.pk for b in batches])
        .values("submission_id")
        .annotate(total=Count("pk"), excellent=Count("pk", filter=Q(proposed_level=RatingLevel.HTXSNV)))
        .order_by()
    )
    counts = {row["submission_id"]: row for row in rows}
    for batch in batches:
        found = counts.get(batch.pk, {})
        batch.total, batch.excellent = found.get("total", 0), found.get("excellent", 0)


def queue(user, period: RatingPeriod) -> QueueQuerySet:
    """Batches holding a subject still waiting for a decision the user may take, with their counts.

    Per subject, not per batch: a chi đoàn under an intermediate unit is queued for that unit (it
    decides the chi đoàn) as well as for the đoàn cơ sở (it decides the members)."""
    return (
        _queued(user, period, QueueQuerySet(Submission))
        .select_related("unit", "unit__level", "approving_unit")
        .order_by("submitted_at", "unit__path")
    )


def deadline_for(period: RatingPeriod, unit: Organization) -> date | None:
    return next((d.due_on for d in period.deadlines.all() if d.level_id == unit.level_id), None)


@dataclass
class LateGroup:
    level_name: str
    due_on: date
    count: int
    units: list[Organization]


def late_units(user, period: RatingPeriod, *, today: date | None = None, limit: int = 50) -> list[LateGroup]:
    """Units in the user's scope (below their own node) whose deadline has passed without a sent
    batch, grouped by level: one ranked list, each row carrying its level's count (a window over
    the same anti-join: a separate grouped count ran it twice, 42 + 59 ms nationally at 10⁶
    members), whatever the number of levels."""
    today = today or timezone.localdate()
    deadlines = {
        d.level_id: d for d in RatingDeadline.objects.filter(period=period, due_on__lt=today).select_related("level")
    }
    if not deadlines:
        return []
    ranked = _late_in_scope(user, period, list(deadlines)).annotate(
        rank=Window(RowNumber(), partition_by=F("level_id"), order_by=F("path").asc()),
        late_count=Window(Count("pk"), partition_by=F("level_id")),
    )
    firsts: dict[int, list[Organization]] = defaultdict(list)
    counts: dict[int, int] = {}
    for unit in ranked.filter(rank__lte=limit).order_by("path"):
        firsts[unit.level_id].append(unit)
        counts[unit.level_id] = unit.late_count
    return [
        LateGroup(d.level.name, d.due_on, counts[level_id], firsts[level_id])
        for level_id, d in deadlines.items()
        if counts.get(level_id)
    ]


def _late_in_scope(user, period: RatingPeriod, level_ids: list[int]) -> QuerySet:
    """Active units of those levels in the user's scope with no batch sent. NOT EXISTS, which
    PostgreSQL plans as one anti-join on the (period, unit) key; a NOT IN list may be re-read for
    every unit when the planner doubts it fits in memory (seconds on a fresh database)."""
    sent = Submission.objects.filter(period=period, unit=OuterRef("pk"), status__in=SENT)
    units = Organization.objects.filter(
        level_id__in=level_ids, status=Organization.Status.ACTIVE, path__startswith=period.root.path
    )
    return scoped(user, units).filter(~Exists(sent)).exclude(_own_nodes(user))


def _own_nodes(user) -> Q:
    """A user's own node is not "below" them: the level above lists the late units."""
    return Q(pk__in=[p.organization_id for p in open_posts(user)])


def visible_submission(user, pk: int) -> Submission:
    from organizations.scoping import get_scoped_or_404

    return get_scoped_or_404(
        user,
        Submission.objects.select_related("period", "period__root", "unit", "unit__level", "approving_unit"),
        "unit__path",
        pk=pk,
    )


def visible_assessment(user, pk: int) -> Assessment:
    from organizations.scoping import get_scoped_or_404

    return get_scoped_or_404(
        user,
        Assessment.objects.select_related("period", "unit", "approving_unit", "member", "organization", "submission"),
        "unit__path",
        pk=pk,
    )


def submission_rows(submission: Submission) -> list[Assessment]:
    """The batch's subjects, each with ``mark_list`` [(criterion, points)] for display."""
    rows = list(
        submission.assessments.select_related("member", "organization", "approving_unit", "unit").order_by(
            "-subject_type", "member__name_folded", "pk"
        )
    )
    criteria = {}
    for row in rows:
        if row.subject_type not in criteria:
            criteria[row.subject_type] = effective_policy(submission.period, submission.unit, row.subject_type).criteria
        row.mark_list = [(c, v) for c, v in mark_values(row, criteria[row.subject_type]) if v != ""]
    return rows


def quota_meters(period: RatingPeriod, rows: list[Assessment]) -> list[tuple[Organization, str, "QuotaMeter"]]:
    """One meter per approving unit and subject type among ``rows``."""
    seen = {}
    for row in rows:
        seen.setdefault((row.approving_unit_id, row.subject_type), row.approving_unit)
    return [
        (unit, SubjectType(kind).label, quota_meter(period=period, approving_unit=unit, subject_type=kind))
        for (_, kind), unit in seen.items()
    ]


ACTION_LABELS = {
    "start": "Bắt đầu nhập",
    "propose": "Đề xuất mức",
    "submit": "Gửi cấp trên",
    "approve": "Công nhận",
    "change_level": "Đổi mức",
    "return": "Trả lại",
    "reopen": "Mở lại",
    "import": "Nhập từ Excel",
}


def subject_history(assessment: Assessment) -> list:
    """Who, when, from, to and why, with the action named in Vietnamese."""
    from organizations.audit import history

    entries = list(history(assessment))
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
    return entries


@dataclass(frozen=True)
class QuotaMeter:
    """Chỉ tiêu HTXSNV of one approving unit for one subject type."""

    used: int  # excellent, decided or being decided
    base: int  # the quota's denominator
    percent: Decimal | None  # None: no quota
    allow_over: bool
    basis_label: str
    waiting: int = 0  # HTXSNV proposals sent to the unit and not decided yet

    @property
    def projected(self) -> int:
        """The count if every waiting HTXSNV proposal were decided as proposed."""
        return self.used + self.waiting

    @property
    def projected_over(self) -> bool:
        return self.allowed is not None and self.projected > self.allowed

    @property
    def allowed(self) -> int | None:
        if self.percent is None:
            return None
        return math.floor(self.base * self.percent / 100)

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.used > self.allowed

    @property
    def excess(self) -> int:
        """Suất beyond the allowance (0 within it)."""
        return self.used - self.allowed if self.over else 0

    @property
    def rate(self) -> str:
        return vn_rate(self.used, self.base)


def eligible_member_count(period: RatingPeriod, unit: Organization, eff: EffectivePolicy) -> int:
    """Members under ``unit`` that ``rules.eligibility`` would rate, counted by the database."""
    rule = rules.eligible_q(
        on=period.opens_on, min_months=eff.min_months_in_branch, exclude_party_members=eff.exclude_party_members
    )
    return Member.objects.filter(rule, branch__path__startswith=unit.path).count()


@dataclass
class EntryQuota:
    """The secretary's view of the quota while entering: the deciding unit's HTXSNV count if this
    chi đoàn's proposals were decided as they stand, beside its allowance."""

    approving_unit: Organization
    meter: QuotaMeter
    proposed: int  # this chi đoàn's members proposed HTXSNV and not decided yet


def entry_quota(period: RatingPeriod, branch: Organization) -> EntryQuota | None:
    """``EntryQuota`` of a chi đoàn's members, or None where no quota applies."""
    approving = rules.member_approving_unit(branch)
    undecided = Assessment.objects.filter(
        period=period, unit=branch, subject_type=SubjectType.MEMBER, approving_unit=approving
    ).exclude(status__in=Assessment.DECIDED)
    pending = dict(undecided.exclude(proposed_level="").values_list("pk", "proposed_level"))
    meter = quota_meter(period=period, approving_unit=approving, subject_type=SubjectType.MEMBER, pending=pending)
    if meter.percent is None:
        return None
    return EntryQuota(approving, meter, sum(level == RatingLevel.HTXSNV for level in pending.values()))


def _rated(period: RatingPeriod, approving_unit: Organization, subject_type: str, pending) -> list[tuple]:
    """The unit's ratings as (id, status, proposed, final, how many): one row per rating of
    ``pending``, which the caller applies one by one, and the others grouped by the database on
    equal status and levels (issue 13: the meter read every rating into Python; for the largest cơ
    sở at 10⁶ members, 571 ratings, 36–40 ms → 10–17 ms)."""
    rows = Assessment.objects.filter(period=period, approving_unit=approving_unit, subject_type=subject_type)
    saved = [key for key in pending if isinstance(key, int)]  # the others are subjects a decision adds
    one_by_one = Case(When(pk__in=saved, then=F("pk"))) if saved else Value(None, BigIntegerField())
    return list(
        rows.annotate(one=one_by_one)
        .values_list("one", "status", "proposed_level", "final_level")
        .annotate(n=Count("pk"))
        .order_by()
    )


def quota_meter(
    *, period: RatingPeriod, approving_unit: Organization, subject_type: str, pending: dict[int, str] | None = None
) -> QuotaMeter:
    """Count the quota with ``pending`` ({assessment id: level}) applied as if decided; a key
    that is no saved rating of this unit is a subject the decision adds (an import's new row).

    The base counts every subject this unit rates (all rated), or those at good or better
    (decided level, else proposed), as the policy says."""
    pending = pending or {}
    eff = effective_policy(period, approving_unit, subject_type)
    added = dict(pending)
    rated = [
        (added.pop(pk, None), status, proposed, final, n)
        for pk, status, proposed, final, n in _rated(period, approving_unit, subject_type, pending)
    ]
    rated += [(level, None, "", "", 1) for level in added.values()]
    used = base = waiting = 0
    for planned, status, proposed, final, n in rated:
        decided = planned is not None or status in Assessment.DECIDED
        level = planned or (final if decided else (final or proposed))
        if decided and level == RatingLevel.HTXSNV:
            used += n
        elif status == Status.SUBMITTED and level == RatingLevel.HTXSNV:
            waiting += n
        if eff.quota_basis == RatingPolicy.QuotaBasis.ALL_RATED or level in GOOD_OR_BETTER:
            base += n
    if subject_type == SubjectType.MEMBER and eff.quota_basis == RatingPolicy.QuotaBasis.ALL_RATED:
        # "Tổng số đoàn viên được xếp loại" is every eligible member the unit rates, entered yet or not.
        base = max(base, eligible_member_count(period, approving_unit, eff))
    return QuotaMeter(
        used, base, eff.quota_percent, eff.allow_over_quota, RatingPolicy.QuotaBasis(eff.quota_basis).label, waiting
    )
