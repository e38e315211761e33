"""Every state change of the annual rating: keyword-only, atomic, permission-checked, audited.

Steps (Hướng dẫn 33-HD/TWĐTN-BTC): the subject self-reviews and the unit's meeting proposes a
level (``assessment_save_draft``) → the unit submits its batch (``submission_submit``) → the
level above decides (``assessments_approve``/``submission_approve``), may change a level with a
reason (``assessment_change_level``) or send the batch back (``submission_return``) → approved
results are locked; reopening needs an approver and a reason (``assessment_reopen``) → the
period is closed (``period_lock``). Every decision's rules (who, when, from which state, the
level, the quota) are checked by ``engine.check``, the one place the ratings import calls too.

Row locks: a chi đoàn under an intermediate unit has two deciders of one batch (the intermediate
unit its own rating, the đoàn cơ sở its members), who may act at the same moment. Every service
takes its locks in one order, so they wait for each other and never deadlock:

    RatingPeriod (``period_lock``; the ratings import shares it) → Submission (by pk)
    → Assessment (by pk) → QuotaLock (by approving unit path, subject type)

A decision locks the batch first (``_lock_batches``), so the second decider waits for the first to
commit and then sees its decisions: the batch is settled once (``_settle_submissions``), and a
return never overwrites an approval. Nothing holding a QuotaLock takes another lock after it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import Member
from organizations import audit
from organizations.models import Organization
from organizations.text import is_blank

from . import engine, notices, rules
from .engine import Decision, Step
from .models import (
    Assessment,
    CriteriaFrame,
    Criterion,
    RatingLevel,
    RatingPeriod,
    RatingPolicy,
    Status,
    SubjectType,
    Submission,
)
from .policies import EffectivePolicy, effective_policy, frame_errors
from .selectors import roster


def _require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_open(period: RatingPeriod) -> None:
    if period.is_locked:
        raise ValidationError(engine.locked_message(period))


def _level_label(code: str) -> str:
    return RatingLevel(code).label if code else "—"


# --- Draft entry (the secretary's page) ---------------------------------------------------


def _decimal(value, *, field: str, low: Decimal, high: Decimal | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"{field}: “{value}” không phải là số.") from None
    if number < low or (high is not None and number > high):
        top = f" đến {high.normalize():f}" if high is not None else ""
        raise ValidationError(f"{field}: {number.normalize():f} nằm ngoài khoảng {low.normalize():f}{top}.")
    return number


def _clean_marks(raw: dict, eff: EffectivePolicy) -> tuple[dict, Decimal | None]:
    """Validated marks keyed by criterion id, and their total (None when nothing is marked)."""
    by_id = {str(c.pk): c for c in eff.criteria}
    marks, total = {}, None
    for key, value in raw.items():
        criterion = by_id.get(str(key))
        if criterion is None:
            raise ValidationError(f"Tiêu chí {key} không thuộc khung tiêu chí áp dụng.")
        high = criterion.max_points if criterion.max_points is not None else None
        number = _decimal(value, field=f"Tiêu chí “{criterion.text}”", low=Decimal(0), high=high)
        if number is not None:
            marks[str(key)] = float(number)
            total = (total or Decimal(0)) + number
    return marks, total


def _subject_of(*, period, member=None, organization=None) -> dict:
    """Where a new assessment belongs and who decides it."""
    if member is not None:
        return {
            "subject_type": SubjectType.MEMBER,
            "member": member,
            "unit": member.branch,
            "approving_unit": rules.member_approving_unit(member.branch),
        }
    return {
        "subject_type": rules.org_subject_type(organization),
        "organization": organization,
        "unit": organization,
        "approving_unit": rules.org_approving_unit(organization),
    }


def _previous_unit_comment(member: Member) -> str:
    """The old unit's comment for a member who transferred in (members' Transfer row)."""
    try:
        from members.models import Transfer
    except ImportError:  # members without transfers: nothing to show
        return ""
    transfer = (
        Transfer.objects.filter(member=member, to_branch=member.branch, status="accepted").order_by("-id").first()
    )
    if transfer is None:
        return ""
    return f"{transfer.from_branch.name}: {transfer.reason}".strip(": ")


@transaction.atomic
def get_or_start(
    *,
    period: RatingPeriod,
    by,
    member: Member | None = None,
    organization: Organization | None = None,
    collective: bool = False,
) -> Assessment:
    """The subject's assessment of the period, created as a draft on first entry. ``collective``
    rates the unit's leadership (BCH/BTV) rather than the unit (Hướng dẫn 33 rates both)."""
    unit = member.branch if member is not None else organization
    rules.require_covered(period, unit)
    if collective and (member is not None or not organization.level.rates_collective):
        raise ValidationError(
            f"“{unit.name}” là chi đoàn: chỉ tổ chức cơ sở Đoàn và cấp trên mới xếp loại tập thể Ban Chấp hành."
        )
    org_type = SubjectType.COLLECTIVE if collective else (organization and rules.org_subject_type(organization))
    lookup = {"member": member} if member is not None else {"organization": organization, "subject_type": org_type}
    found = Assessment.objects.filter(period=period, **lookup).first()
    if found is not None:
        return found
    _require(rules.can_enter(by, unit))
    _require_open(period)
    subject = _subject_of(period=period, member=member, organization=organization)
    if collective:
        subject["subject_type"] = SubjectType.COLLECTIVE
    if member is not None:
        eff = effective_policy(period, member.branch, SubjectType.MEMBER)
        verdict = engine.eligibility(member, period, eff)
        if not verdict.eligible:
            raise ValidationError(engine.ineligible_message(member, verdict))
        if verdict.transferred_in:
            subject["previous_unit_comment"] = _previous_unit_comment(member)
    # Lock the batch before reading its status: a submit of it (which holds this lock) either
    # commits first, and the batch is seen sent, or waits and then takes the new rating into it.
    submission = _submission_for(period=period, unit=unit, lock=True)
    if not submission.is_editable:
        raise ValidationError(f"Hồ sơ của {unit.name} đã gửi; không thêm phiếu được.")
    found = Assessment.objects.filter(period=period, **lookup).first()  # started meanwhile, by a second save
    if found is not None:
        return found
    assessment = Assessment.objects.create(period=period, submission=submission, updated_by=by, **subject)
    audit.record(target=assessment, action="start", by=by, organization=assessment.unit, to_state=Status.DRAFT)
    return assessment


def _submission_for(*, period: RatingPeriod, unit: Organization, lock: bool = False) -> Submission:
    """The unit's batch of the period, created on first use; ``lock`` holds its row (lock order)."""
    approving = rules.member_approving_unit(unit) if unit.level.is_branch else rules.org_approving_unit(unit)
    submission, _ = Submission.objects.get_or_create(period=period, unit=unit, defaults={"approving_unit": approving})
    return Submission.objects.select_for_update().get(pk=submission.pk) if lock else submission


@transaction.atomic
def assessment_save_draft(*, assessment: Assessment, by, data: dict) -> Assessment:
    """Autosave of one subject's self-review, marks, participation and proposed level (draft step).
    The batch is locked before the rating (lock order): a submit of it waits, or is waited for, and
    never sends a rating whose proposal changes after it checked it."""
    _lock_batches([assessment.pk])
    assessment = (
        Assessment.objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=assessment.pk)
    )
    _require(rules.can_enter(by, assessment.unit))
    _require_open(assessment.period)
    if not assessment.is_editable:
        raise ValidationError(
            f"Phiếu của {assessment.subject_name} đã gửi ({assessment.get_status_display()}); không sửa được."
        )
    eff = effective_policy(assessment.period, assessment.unit, assessment.subject_type)
    before = assessment.proposed_level
    for name in ("self_review", "comment"):
        if name in data:
            setattr(assessment, name, (data[name] or "").strip())
    if "participation_percent" in data:
        assessment.participation_percent = _decimal(
            data["participation_percent"], field="Tỷ lệ tham gia", low=Decimal(0), high=Decimal(100)
        )
    if "marks" in data:
        assessment.marks, assessment.points = _clean_marks(data["marks"] or {}, eff)
    if "proposed_level" in data:
        level = data["proposed_level"] or ""
        if level and level not in RatingLevel.values:
            raise ValidationError(f"Mức xếp loại “{level}” không hợp lệ; dùng HTXSNV, HTTNV, HTNV hoặc KHTNV.")
        assessment.proposed_level = level
    assessment.updated_by = by
    assessment.save()
    if before != assessment.proposed_level:
        audit.record(
            target=assessment,
            action="propose",
            by=by,
            organization=assessment.unit,
            from_state=_level_label(before),
            to_state=_level_label(assessment.proposed_level),
        )
    return assessment


@transaction.atomic
def assessment_autosave(
    *,
    period: RatingPeriod,
    by,
    data: dict,
    member: Member | None = None,
    organization: Organization | None = None,
    collective: bool = False,
) -> Assessment:
    """One inline save from the unit's page: starts the draft on first entry, then saves it."""
    assessment = get_or_start(period=period, by=by, member=member, organization=organization, collective=collective)
    return assessment_save_draft(assessment=assessment, by=by, data=data)


# --- Submitting -------------------------------------------------------------------------


@dataclass
class Minutes:
    meeting_on: date | None = None
    attendance: int | None = None
    attendance_total: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    minutes_note: str = ""
    chair_name: str = ""  # who signs the minutes (organizations.pdfdocs renders them)
    clerk_name: str = ""


def _check_minutes(minutes: Minutes) -> None:
    if minutes.meeting_on is None:
        raise ValidationError("Cần ghi ngày họp xét xếp loại.")
    if (
        minutes.attendance_total is not None
        and minutes.attendance is not None
        and minutes.attendance > minutes.attendance_total
    ):
        raise ValidationError("Số có mặt không được lớn hơn tổng số triệu tập.")
    voters = (minutes.votes_for or 0) + (minutes.votes_against or 0)
    if minutes.attendance is not None and voters > minutes.attendance:
        raise ValidationError(f"Tổng số phiếu ({voters}) lớn hơn số có mặt ({minutes.attendance}).")


@transaction.atomic
def submission_submit(*, period: RatingPeriod, unit: Organization, by, minutes: Minutes) -> Submission:
    """The unit sends its members' proposals and its own self-assessment to the level above;
    after this it is read-only for the unit (Hướng dẫn 33: the meeting proposes, the level above decides)."""
    _require(rules.can_enter(by, unit))
    _require_open(period)
    rules.require_covered(period, unit)
    submission = _submission_for(period=period, unit=unit, lock=True)
    if not submission.is_editable:
        raise ValidationError(f"Hồ sơ của {unit.name} đã gửi ({submission.get_status_display()}).")
    _check_minutes(minutes)
    rows = roster(period=period, unit=unit)
    missing = [
        r.member.full_name for r in rows.members if r.eligible and not (r.assessment and r.assessment.proposed_level)
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (f" và {len(missing) - 5} người khác" if len(missing) > 5 else "")
        raise ValidationError(f"Còn {len(missing)} đoàn viên chưa có mức đề xuất: {shown}.")
    if rows.own is None or not rows.own.proposed_level:
        raise ValidationError(f"Chưa có mức tự đánh giá của {unit.name}.")
    for name, value in vars(minutes).items():
        setattr(submission, name, value)
    _transition(submission, Status.SUBMITTED, by=by, action="submit")
    submission.submitted_by, submission.submitted_at, submission.return_reason = by, timezone.now(), ""
    submission.save()
    batch = (
        [r.assessment for r in rows.members if r.assessment]
        + [rows.own]
        + ([rows.collective] if rows.collective else [])
    )
    for assessment in batch:
        if assessment.is_editable:
            _transition(assessment, Status.SUBMITTED, by=by, action="submit")
            assessment.save(update_fields=["status", "updated_at"])
    return submission


def _transition(obj, to: str, *, by, action: str, reason: str = "", organization=None) -> None:
    """Set a status and write who, when, from, to and why."""
    before = obj.get_status_display()
    obj.status = to
    audit.record(
        target=obj,
        action=action,
        by=by,
        organization=organization or obj.unit,
        from_state=before,
        to_state=obj.get_status_display(),
        reason=reason,
    )


# --- Deciding ---------------------------------------------------------------------------


def _decision_level(assessment: Assessment, levels: dict[int, str]) -> str:
    return levels.get(assessment.pk) or assessment.final_level or assessment.proposed_level


@transaction.atomic
def assessments_approve(
    *, assessments, by, decision_number: str = "", decision_on: date | None = None, levels: dict[int, str] | None = None
) -> int:
    """Công nhận: the level above decides the submitted subjects, within the quota."""
    levels = levels or {}
    ids = [a.pk for a in assessments]
    _lock_batches(ids)
    chosen = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("approving_unit", "period", "member", "organization", "unit")
        .order_by("pk")
    )
    if not chosen:
        raise ValidationError("Chưa chọn phiếu nào để công nhận.")
    decisions = [Decision(a, _decision_level(a, levels)) for a in chosen]
    engine.enforce(engine.check(decisions, by=by, step=Step.APPROVE))
    now = timezone.now()
    for d in decisions:
        _approve_one(
            d.assessment, level=d.level, by=by, now=now, decision_number=decision_number, decision_on=decision_on
        )
    _settle_submissions({a.submission_id for a in chosen if a.submission_id}, by=by)
    return len(chosen)


def _lock_batches(assessment_ids) -> None:
    """Lock the batches of these assessments, by pk, before the assessments themselves (the lock
    order of the module docstring): a concurrent decider or return on a batch waits here."""
    batches = Assessment.objects.filter(pk__in=assessment_ids).values("submission_id")
    list(Submission.objects.select_for_update().filter(pk__in=batches).order_by("pk").values_list("pk", flat=True))


def _approve_one(assessment: Assessment, *, level: str, by, now, decision_number: str, decision_on) -> None:
    before = assessment.get_status_display()
    assessment.final_level, assessment.status = level, Status.APPROVED
    assessment.approved_by, assessment.approved_at = by, now
    assessment.decision_number, assessment.decision_on = decision_number, decision_on or now.date()
    assessment.save()
    audit.record(
        target=assessment,
        action="approve",
        by=by,
        organization=assessment.approving_unit,
        from_state=before,
        to_state=f"{assessment.get_status_display()}: {_level_label(level)}",
        reason=f"Quyết định {decision_number}".strip() if decision_number else "",
    )


def _settle_submissions(ids: set[int], *, by) -> None:
    """A batch is approved once every subject in it is decided. The caller holds the batches'
    locks, so a decision of the other decider is either committed (and seen here) or waiting."""
    for submission in Submission.objects.filter(pk__in=ids, status=Status.SUBMITTED).select_related("unit"):
        if not submission.assessments.exclude(status__in=Assessment.DECIDED).exists():
            _transition(submission, Status.APPROVED, by=by, action="approve")
            submission.save(update_fields=["status", "updated_at"])
            notices.batch_approved(submission)


@transaction.atomic
def submission_approve(
    *, submission: Submission, by, decision_number: str = "", decision_on: date | None = None
) -> int:
    """Approve every submitted subject of the batch that the user may decide ("duyệt tất cả"):
    for a chi đoàn under an intermediate unit, that unit approves the chi đoàn's own rating only.
    The batch is locked before its list is read, so the other decider's part, decided meanwhile,
    is not in it."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    waiting = list(submission.assessments.filter(status=Status.SUBMITTED).select_related("approving_unit"))
    _require(rules.can_review(by, submission, waiting))
    pending = [a for a in waiting if rules.can_decide(by, a.approving_unit)]
    return assessments_approve(assessments=pending, by=by, decision_number=decision_number, decision_on=decision_on)


@transaction.atomic
def assessment_change_level(*, assessment: Assessment, by, level: str, reason: str) -> Assessment:
    """The deciding level sets a level different from the proposal; the reason is kept."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("approving_unit", "period", "unit")
        .get(pk=assessment.pk)
    )
    engine.enforce(engine.check([Decision(assessment, level)], by=by, step=Step.CHANGE))
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do khi đổi mức xếp loại.")
    before = assessment.final_level or assessment.proposed_level
    assessment.final_level = level
    assessment.save(update_fields=["final_level", "updated_at"])
    audit.record(
        target=assessment,
        action="change_level",
        by=by,
        organization=assessment.approving_unit,
        from_state=_level_label(before),
        to_state=_level_label(level),
        reason=reason.strip(),
    )
    notices.level_changed(assessment, _level_label(before), _level_label(level), reason.strip())
    return assessment


@transaction.atomic
def submission_return(*, submission: Submission, by, reason: str) -> Submission:
    """Trả lại: the batch goes back to the unit for correction, with the reason. A decider of a
    subject still waiting in it may send it back (the chi đoàn's meeting redoes the whole batch);
    what is already decided stays decided. Locks the batch, then its waiting subjects, so an
    approval committed meanwhile is seen (and kept) rather than overwritten."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("approving_unit", "period", "unit")
        .get(pk=submission.pk)
    )
    waiting = list(
        submission.assessments.select_for_update(of=("self",))
        .filter(status=Status.SUBMITTED)
        .select_related("unit", "approving_unit")
        .order_by("pk")
    )
    _require(
        rules.decides_waiting(by, waiting),
        "Bạn không quyết định phiếu nào đang chờ trong hồ sơ này nên không trả lại được.",
    )
    _require_open(submission.period)
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do trả lại.")
    if submission.status != Status.SUBMITTED:
        raise ValidationError(f"Hồ sơ đang “{submission.get_status_display()}”; chỉ trả lại hồ sơ chờ duyệt.")
    _transition(
        submission,
        Status.RETURNED,
        by=by,
        action="return",
        reason=reason.strip(),
        organization=_returning_unit(submission, by),
    )
    submission.return_reason = reason.strip()
    submission.save()
    notices.batch_returned(submission, submission.return_reason)
    for assessment in waiting:
        _transition(assessment, Status.RETURNED, by=by, action="return", reason=reason.strip())
        _clear_decision(assessment)
        assessment.save(update_fields=["status", *DECISION_FIELDS, "updated_at"])
    return submission


# What the decider wrote on a rating (a changed level, or a reopened approval's decision). A
# returned rating goes back to the unit's meeting, whose new proposal is what is decided next.
DECISION_FIELDS = ("final_level", "decision_number", "decision_on", "approved_by", "approved_at")


def _clear_decision(assessment: Assessment) -> None:
    assessment.final_level, assessment.decision_number, assessment.decision_on = "", "", None
    assessment.approved_by, assessment.approved_at = None, None


def _returning_unit(submission: Submission, by) -> Organization:
    """The unit the audit names for a return: the batch's deciding unit, or the intermediate unit
    when only it (a decider of the chi đoàn's own rating) sent the batch back."""
    if rules.can_decide(by, submission.approving_unit):
        return submission.approving_unit
    return rules.batch_deciding_unit(submission)


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Mở lại an approved result: only a decider, with a reason, audited; it returns to review."""
    _lock_batches([assessment.pk])  # the batch goes back to review too: lock it first
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("approving_unit", "period", "unit")
        .get(pk=assessment.pk)
    )
    engine.enforce(engine.reopen_problems(assessment, by=by, reason=reason))
    _transition(
        assessment,
        Status.SUBMITTED,
        by=by,
        action="reopen",
        reason=reason.strip(),
        organization=assessment.approving_unit,
    )
    assessment.reopened_count += 1
    assessment.save()
    if assessment.submission_id:
        Submission.objects.filter(pk=assessment.submission_id, status=Status.APPROVED).update(status=Status.SUBMITTED)
    return assessment


# --- Periods and policies (province administrators) ------------------------------------


@transaction.atomic
def period_save(*, period: RatingPeriod, by, deadlines: dict | None = None) -> RatingPeriod:
    """Create or edit a period and its per-level deadlines (``{Level: date}``)."""
    _require(rules.can_administer(by, period.root))
    created = period.pk is None
    period.full_clean()
    period.save()
    for level, due_on in (deadlines or {}).items():
        if due_on:
            period.deadlines.update_or_create(level=level, defaults={"due_on": due_on})
        else:
            period.deadlines.filter(level=level).delete()
    audit.record(target=period, action="create" if created else "edit", by=by, organization=period.root)
    return period


@transaction.atomic
def policy_save(*, policy: RatingPolicy, by) -> RatingPolicy:
    """Save a policy; refused when it loosens the rules of the levels above."""
    _require(rules.can_administer(by, policy.organization))
    rules.require_covered(policy.period, policy.organization)
    created = policy.pk is None
    policy.full_clean()
    policy.save()
    audit.record(target=policy, action="create" if created else "edit", by=by, organization=policy.organization)
    return policy


@transaction.atomic
def frame_save(*, frame: CriteriaFrame, by, criteria: list[Criterion], removed: list[Criterion]) -> CriteriaFrame:
    """Khung tiêu chí of a policy: thresholds may only be raised below; criteria are added to the
    parent's (a lower unit cannot drop the criteria of the level above, they live on its frame)."""
    _require(rules.can_administer(by, frame.policy.organization))
    errors = frame_errors(frame)
    if errors:
        raise ValidationError(errors)
    created = frame.pk is None
    frame.full_clean()
    frame.save()
    for criterion in removed:
        if criterion.pk and criterion.frame_id == frame.pk:
            criterion.delete()
    for criterion in criteria:
        criterion.frame = frame
        criterion.full_clean()
        criterion.save()
    audit.record(
        target=frame.policy,
        action="frame",
        by=by,
        organization=frame.policy.organization,
        to_state=f"{frame.name}: {frame.criteria.count()} tiêu chí",
        reason="tạo khung" if created else "sửa khung",
    )
    return frame


@transaction.atomic
def period_lock(*, period: RatingPeriod, by) -> int:
    """Khóa kết quả: every approved result becomes locked; nothing changes after."""
    _require(rules.can_administer(by, period.root))
    # The lock order (module docstring): the period, every batch of it, then its approved ratings,
    # all by pk, before any update. A reopen holding a batch is waited for (and its rating, back
    # in review, is not locked); one that comes after waits here and then finds the period locked.
    # NO KEY UPDATE (it changes no key): a decision inserting a row that points at the period
    # (a quota row, a new rating) takes a key-share lock on it, which FOR UPDATE would block while
    # that decision holds the batch this lock waits for.
    held = RatingPeriod.objects.select_for_update(no_key=True)
    period.is_locked = held.values_list("is_locked", flat=True).get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(f"{period} đã khóa.")
    batches = Submission.objects.select_for_update().filter(period=period).order_by("pk")
    list(batches.values_list("pk", flat=True))
    approved = Assessment.objects.filter(period=period, status=Status.APPROVED)
    list(approved.select_for_update().order_by("pk").values_list("pk", flat=True))
    count = approved.update(status=Status.LOCKED)
    Submission.objects.filter(period=period, status=Status.APPROVED).update(status=Status.LOCKED)
    period.is_locked = True
    period.save(update_fields=["is_locked"])
    audit.record(
        target=period, action="lock", by=by, organization=period.root, to_state="Đã khóa", reason=f"{count} kết quả"
    )
    return count
