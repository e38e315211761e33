"""The rating's rules in one place: every path that decides a level checks its plan here.

A plan is a list of ``Decision``s ("this subject gets this level") made by one user at one
``Step``: the approval page and the bulk approval (``APPROVE``), the inline or subject page's
level change (``CHANGE``), the ratings import from the page or ``import_xlsx`` (``IMPORT``).
``check`` answers every ``Problem`` of the plan as a whole (Hướng dẫn 33-HD/TWĐTN-BTC):

- who: the user decides the subject (``rules.can_decide``); an approved result is changed only
  by reopening it, under the reopen's own rule (``reopen_problems``, also the reopen service's);
- when: the period is open;
- from which state: each step moves a rating only from the states in ``SOURCES``;
- the level: a member is eligible (months of activity, Party exclusion); HTXSNV needs the
  policy's participation, points and, for a đoàn cơ sở, the "3 chủ động" recognition;
- the quota: counted over what each approving unit will have once the plan is applied (its
  decided ratings, the plan's levels, the plan's new subjects), with its QuotaLock row held.

Services raise the problems (``enforce``); the import turns each into its row's error. The quota
rows are the last locks of the lock order (services docstring): callers hold their periods,
batches and ratings before calling ``check``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError

from organizations.models import Organization
from organizations.numbers import vn_rate
from organizations.text import is_blank

from . import rules
from .models import Assessment, QuotaLock, RatingLevel, RatingPeriod, Status, SubjectType
from .policies import EffectivePolicy, PolicyBook
from .selectors import quota_meter


class Step(StrEnum):
    APPROVE = "approve"
    CHANGE = "change"
    IMPORT = "import"


# The states each step decides a rating from (None: a subject with no rating yet). An import
# also takes an approved result when it reopens it (``reopen_problems``).
SOURCES = {
    Step.APPROVE: {Status.SUBMITTED},
    Step.CHANGE: {Status.SUBMITTED, Status.APPROVED},
    Step.IMPORT: {None, Status.DRAFT, Status.RETURNED},
}


@dataclass(eq=False)
class Decision:
    """``assessment`` (saved, or new and unsaved for an import) is to get ``level`` from
    ``approving_unit`` (the assessment's own unless the plan moves it, as an import may)."""

    assessment: Assessment
    level: str
    approving_unit: Organization | None = None
    row: int | None = None  # the caller's reference (an import's row), for its messages

    def __post_init__(self):
        if self.approving_unit is None:
            self.approving_unit = self.assessment.approving_unit

    @property
    def status(self) -> str | None:
        return self.assessment.status if self.assessment.pk else None

    @property
    def quota_key(self):
        """The quota counts a saved rating by its id and a new subject by the decision."""
        return self.assessment.pk or ("new", id(self))


@dataclass(frozen=True)
class Problem:
    decision: Decision
    message: str
    about: str = "subject"  # the part of the decision that breaks the rule: subject, level, period
    denied: bool = False  # the user may not do this (a page answers 403), rather than a data rule
    shared: bool = False  # one message for every decision it counts (the quota's), not naming any


def check(decisions: list[Decision], *, by, step: Step, reopen_reason: str | None = None) -> list[Problem]:
    """Every problem of the plan; an empty list means it may be applied. ``by`` None is the
    system (``import_xlsx`` without ``--user``); ``reopen_reason`` None: nothing is reopened."""
    book, recognised = PolicyBook(), _Recognition()
    problems, clean = [], []
    for decision in decisions:
        found = _gate(decision, by=by, step=step, reopen_reason=reopen_reason) or _level_problems(
            decision, step=step, book=book, recognised=recognised
        )
        problems += found
        if not found and _takes_effect(decision, step):
            clean.append(decision)
    return problems + quota_problems(clean)


def enforce(problems: list[Problem]) -> None:
    """A service's refusal: PermissionDenied for the user, else every rule broken, once each."""
    for problem in problems:
        if problem.denied:
            raise PermissionDenied(problem.message)
    if problems:
        raise ValidationError(list(dict.fromkeys(p.message for p in problems)))


def locked_message(period: RatingPeriod) -> str:
    return f"{period} đã khóa; không thể thay đổi kết quả."


def reopen_problems(assessment: Assessment, *, by, reason: str, decision: Decision | None = None) -> list[Problem]:
    """Mở lại an approved result: only a decider of it, in an open period, with a reason."""
    decision = decision or Decision(assessment, assessment.final_level)
    if by is not None and not rules.can_decide(by, assessment.approving_unit):
        return [Problem(decision, "Chỉ cấp công nhận mới được mở lại kết quả.", denied=True)]
    if assessment.period.is_locked:
        return [Problem(decision, locked_message(assessment.period), about="period")]
    if is_blank(reason):
        return [Problem(decision, "Cần ghi lý do mở lại kết quả.")]
    if assessment.status != Status.APPROVED:
        shown = assessment.get_status_display()
        return [Problem(decision, f"Chỉ mở lại kết quả đã công nhận (đang “{shown}”).")]
    return []


def eligibility(member, period: RatingPeriod, eff: EffectivePolicy) -> rules.Eligibility:
    """Whether the member is rated in the period under the policy: entry and decision alike."""
    return rules.eligibility(
        member,
        on=period.opens_on,
        min_months=eff.min_months_in_branch,
        exclude_party_members=eff.exclude_party_members,
    )


def ineligible_message(member, verdict: rules.Eligibility) -> str:
    return f"{member.full_name} không thuộc diện xếp loại: {verdict.reason}."


def excellent_problems(
    assessment: Assessment, level: str, eff: EffectivePolicy, recognised: Callable[[Assessment], bool] | None = None
) -> list[str]:
    """Why HTXSNV cannot be given to this subject under the policy (empty when it can)."""
    if level != RatingLevel.HTXSNV:
        return []
    recognised = recognised or _Recognition()
    name, problems = assessment.subject_name, []
    floor = eff.min_participation_excellent
    if floor is not None and (assessment.participation_percent is None or assessment.participation_percent < floor):
        problems.append(f"{name}: HTXSNV cần tham gia sinh hoạt từ {vn_rate(floor, 100)} trở lên.")
    if eff.excellent_min_points is not None and (
        assessment.points is None or assessment.points < eff.excellent_min_points
    ):
        problems.append(f"{name}: HTXSNV cần từ {eff.excellent_min_points.normalize():f} điểm.")
    if eff.require_recognition_for_excellent and assessment.subject_type == SubjectType.GRASSROOTS:
        if not recognised(assessment):
            problems.append(f"{name}: HTXSNV cần được công nhận “3 chủ động” năm {assessment.period.year}.")
    return problems


def quota_problems(decisions: list[Decision]) -> list[Problem]:
    """The quota of every approving unit the plan touches, each unit's QuotaLock held (by path,
    then subject type: the order every service takes them in) so a concurrent decision waits."""
    groups: dict[tuple, list[Decision]] = {}
    for decision in decisions:
        key = (decision.assessment.period, decision.approving_unit, decision.assessment.subject_type)
        groups.setdefault(key, []).append(decision)
    problems = []
    for (period, unit, subject_type), planned in sorted(groups.items(), key=lambda g: (g[0][1].path, g[0][2])):
        message = _over_quota(period, unit, subject_type, {d.quota_key: d.level for d in planned})
        if message:
            excellent = [d for d in planned if d.level == RatingLevel.HTXSNV]
            problems += [Problem(d, message, about="level", shared=True) for d in excellent]
    return problems


# --- the parts of ``check`` -------------------------------------------------------------------


def _gate(decision: Decision, *, by, step: Step, reopen_reason: str | None) -> list[Problem]:
    """Who, when and from which state."""
    assessment, status = decision.assessment, decision.status
    reopening = step == Step.IMPORT and status == Status.APPROVED and reopen_reason is not None
    if reopening:
        refused = reopen_problems(assessment, by=by, reason=reopen_reason, decision=decision)
        if refused:
            return refused
    if by is not None and not rules.can_decide(by, decision.approving_unit):
        name = decision.approving_unit.name
        return [Problem(decision, f"Bạn không có quyền công nhận xếp loại của {name}.", denied=True)]
    if assessment.period.is_locked:
        return [Problem(decision, locked_message(assessment.period), about="period")]
    if not reopening and status not in SOURCES[step]:
        return [Problem(decision, _state_message(decision, step))]
    return []


def _state_message(decision: Decision, step: Step) -> str:
    assessment = decision.assessment
    shown = assessment.get_status_display()
    if step == Step.APPROVE:
        return f"{assessment.subject_name}: phiếu đang ở trạng thái “{shown}”, không công nhận được."
    if step == Step.CHANGE:
        return f"Phiếu đang “{shown}”; không đổi mức được."
    if decision.status == Status.LOCKED:
        return "Kết quả đã khóa, không nhập đè được."
    if decision.status == Status.SUBMITTED:
        # a batch waiting for its deciders: an import over it would leave the batch pending
        return "Phiếu này đã được gửi và đang chờ duyệt trên DoanHub: hãy duyệt trên trang duyệt."
    level = RatingLevel(assessment.final_level).label if assessment.final_level else shown
    return (
        f"{assessment.subject_name} đã được công nhận ({level}); chỉ nhập đè khi mở lại kết quả: "
        "chọn “Mở lại kết quả đã công nhận” và ghi lý do (lệnh: --reopen --reason “…”)."
    )


def _takes_effect(decision: Decision, step: Step) -> bool:
    """A level changed on a rating still waiting is a proposal to its decider: the level rules
    and the quota apply when it is approved, not now."""
    return step != Step.CHANGE or decision.status == Status.APPROVED


def _level_problems(decision: Decision, *, step: Step, book: PolicyBook, recognised) -> list[Problem]:
    assessment, level = decision.assessment, decision.level
    if not level:
        return [Problem(decision, f"{assessment.subject_name}: chưa có mức xếp loại.", about="level")]
    if level not in RatingLevel.values:
        return [Problem(decision, f"Mức xếp loại “{level}” không hợp lệ.", about="level")]
    if not _takes_effect(decision, step):
        return []
    eff = book.effective(assessment.period, assessment.unit, assessment.subject_type)
    if assessment.member_id:
        verdict = eligibility(assessment.member, assessment.period, eff)
        if not verdict.eligible:
            return [Problem(decision, ineligible_message(assessment.member, verdict))]
    return [Problem(decision, m, about="level") for m in excellent_problems(assessment, level, eff, recognised)]


def _over_quota(period: RatingPeriod, unit: Organization, subject_type: str, pending: dict) -> str:
    """The refusal of ``pending`` ({rating id or new key: level}) by the unit's quota, or ''."""
    if RatingLevel.HTXSNV not in pending.values():
        return ""
    QuotaLock.objects.get_or_create(period=period, approving_unit=unit, subject_type=subject_type)
    QuotaLock.objects.select_for_update().get(period=period, approving_unit=unit, subject_type=subject_type)
    meter = quota_meter(period=period, approving_unit=unit, subject_type=subject_type, pending=pending)
    if not meter.over or meter.allow_over:
        return ""
    return (
        f"Vượt chỉ tiêu HTXSNV ({SubjectType(subject_type).label.lower()}) của {unit.name}: "
        f"sẽ có {meter.used} HTXSNV trên {meter.base} ({meter.rate}), vượt mức tối đa {vn_rate(meter.percent, 100)} "
        f"({meter.basis_label.lower()}) = {meter.allowed}."
    )


class _Recognition:
    """Whether a đoàn cơ sở is recognised "3 chủ động" for the year, asked once per unit."""

    def __init__(self):
        self.known: dict[tuple[int, int], bool] = {}

    def __call__(self, assessment: Assessment) -> bool:
        from .recognition.selectors import is_recognised  # the rating reads recognition, never the reverse

        key = (assessment.organization_id, assessment.period.year)
        if key not in self.known:
            self.known[key] = is_recognised(assessment.organization, assessment.period.year)
        return self.known[key]
