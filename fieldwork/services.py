"""Every state change of the "1+2" regime: keyword-only, atomic, permission-checked, audited.

Each service's docstring names the step of Hướng dẫn 03-HD/TWĐTN-BTC it implements."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from organizations import audit
from organizations.models import Level, Organization, Post
from organizations.text import is_blank

from . import notices, rules
from .models import (
    Department,
    DepartmentPlan,
    DepartmentQuarterReport,
    FieldworkPolicy,
    LevelQuota,
    PlannedVisit,
    QuarterReport,
    StaffAssignment,
    StaffPlan,
    VisitReport,
    staff_name,
)
from .selectors import Policy, confirmed_q, effective_policy


def _require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(f"Quý phải từ 1 đến 4 (nhận được {quarter}).")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return start, end


# --- set-up: policies, departments, staff lists -----------------------------------------------


@transaction.atomic
def policy_save(
    *,
    organization: Organization,
    year: int,
    minimum_days: int,
    report_late_days: int,
    plan_deadline_days: int | None = None,
    quotas: dict[Level, int] | None = None,
    note: str = "",
    by,
) -> FieldworkPolicy:
    """Quy định đi cơ sở of a year for a subtree. A lower level may tighten, never loosen, the
    policy above it (DESIGN.md): more days and less time to plan or to report than its ancestors'
    rules. Without ``plan_deadline_days`` the level above's figure (or the default 10) is kept."""
    _require(rules.can_manage(by, organization))
    parent = organization.parent()
    above = effective_policy(parent, year) if parent else None
    if plan_deadline_days is None:
        plan_deadline_days = above.plan_deadline_days if above else Policy(year=year).plan_deadline_days
    if above and above.sources:
        if minimum_days < above.minimum_days:
            raise ValidationError(f"Số ngày tối thiểu không được thấp hơn {above.minimum_days} ngày của cấp trên.")
        if report_late_days > above.report_late_days:
            raise ValidationError(f"Hạn báo cáo không được dài hơn {above.report_late_days} ngày của cấp trên.")
        if plan_deadline_days > above.plan_deadline_days:
            raise ValidationError(
                f"Hạn nộp kế hoạch không được dài hơn {above.plan_deadline_days} ngày đầu quý của cấp trên."
            )
        for level_id, (level, days) in above.quotas.items():
            mine = next((d for lv, d in (quotas or {}).items() if lv.pk == level_id), 0)
            if mine < days:
                raise ValidationError(f"Số ngày tại {level.name} không được thấp hơn {days} ngày của cấp trên.")
    if sum((quotas or {}).values()) > minimum_days:
        raise ValidationError("Tổng số ngày theo cấp vượt quá số ngày tối thiểu cả năm.")
    policy, created = FieldworkPolicy.objects.update_or_create(
        year=year,
        organization=organization,
        defaults={
            "minimum_days": minimum_days,
            "report_late_days": report_late_days,
            "plan_deadline_days": plan_deadline_days,
            "note": note,
        },
    )
    policy.quotas.all().delete()
    LevelQuota.objects.bulk_create(
        LevelQuota(policy=policy, level=lv, minimum_days=d) for lv, d in (quotas or {}).items() if d
    )
    split = ", ".join(f"{lv.name} {d}" for lv, d in (quotas or {}).items() if d)
    audit.record(
        target=policy,
        action="create" if created else "update",
        by=by,
        organization=organization,
        to_state=f"{minimum_days} ngày/năm; kế hoạch trong {plan_deadline_days} ngày đầu quý; "
        f"báo cáo trong {report_late_days} ngày" + (f"; {split}" if split else ""),
    )
    return policy


def _holds_post_at(user, org: Organization) -> bool:
    return Post.objects.filter(user=user, organization=org, ended_on__isnull=True).exists()


@transaction.atomic
def department_save(
    *, organization: Organization, name: str, head=None, is_organisation_department: bool = False, by
) -> Department:
    """A ban of the province (not a tree node) and its head, who merges its staff's plans."""
    _require(rules.can_manage(by, organization))
    if head is not None and not _holds_post_at(head, organization):
        raise ValidationError(f"Trưởng ban {staff_name(head)} chưa có chức vụ tại {organization.name}.")
    dept, created = Department.objects.update_or_create(
        organization=organization,
        name=name.strip(),
        defaults={"head": head, "is_organisation_department": is_organisation_department},
    )
    audit.record(
        target=dept,
        action="create" if created else "update",
        by=by,
        organization=organization,
        to_state=f"{dept.name}; trưởng ban: {staff_name(head) if head else 'chưa có'}",
    )
    return dept


@transaction.atomic
def assignment_save(
    *,
    year: int,
    user,
    department: Department,
    post_kind: str = StaffAssignment.PostKind.MOVEMENT,
    exemption: str = "",
    exemption_reason: str = "",
    by,
) -> StaffAssignment:
    """Who takes part in a year: movement staff do; drivers, accountants, clerks do not; study
    leave ≥ 6 months, long sickness and maternity exempt a person for the year, with a reason."""
    province = department.organization
    _require(rules.can_manage(by, province))
    if not _holds_post_at(user, province):
        raise ValidationError(f"{staff_name(user)} chưa có chức vụ tại {province.name}.")
    if exemption and is_blank(exemption_reason):
        raise ValidationError("Cần ghi rõ lý do miễn (ví dụ: quyết định cử đi học, giấy nghỉ ốm, nghỉ thai sản).")
    if exemption not in StaffAssignment.Exemption.values:
        raise ValidationError(f"Lý do miễn “{exemption}” không hợp lệ.")
    existing = StaffAssignment.objects.filter(year=year, user=user).select_related("department__organization").first()
    # (year, user) is unique nationwide: a manager may only change an assignment their province holds
    _require(existing is None or rules.can_manage(by, existing.department.organization))
    before = _assignment_state(existing) if existing else ""
    if existing and existing.plans.exists() and existing.department_id != department.pk:
        raise ValidationError("Cán bộ đã có kế hoạch trong năm: không chuyển ban được.")
    assignment, _ = StaffAssignment.objects.update_or_create(
        year=year,
        user=user,
        defaults={
            "department": department,
            "post_kind": post_kind,
            "exemption": exemption,
            "exemption_reason": exemption_reason.strip() if exemption else "",
        },
    )
    audit.record(
        target=assignment,
        action="update" if existing else "create",
        by=by,
        organization=province,
        from_state=before,
        to_state=_assignment_state(assignment),
        reason=assignment.exemption_reason,
    )
    return assignment


def _assignment_state(a: StaffAssignment) -> str:
    return f"{a.department.name}; {a.get_post_kind_display()}; {a.get_exemption_display()}"


# --- step 1: the staff member's quarter plan --------------------------------------------------


@transaction.atomic
def plan_create(*, assignment: StaffAssignment, quarter: int, by) -> StaffPlan:
    """Bước 1: a staff member opens their plan for a quarter (one per quarter)."""
    _require(assignment.user_id == by.pk, "Chỉ cán bộ mới lập được kế hoạch của mình.")
    quarter_bounds(assignment.year, quarter)
    plan, created = StaffPlan.objects.get_or_create(assignment=assignment, quarter=quarter)
    if created:
        audit.record(
            target=plan,
            action="create",
            by=by,
            organization=assignment.department.organization,
            to_state=plan.get_status_display(),
        )
    return plan


def _check_visit(
    assignment: StaffAssignment,
    *,
    target: Organization,
    starts_on: date,
    ends_on: date,
    days: int,
    within: tuple[date, date],
) -> None:
    province = assignment.department.organization
    if not target.path.startswith(province.path) or target.pk == province.pk:
        raise ValidationError(f"Đơn vị “{target.name}” không thuộc {province.name}.")
    if not target.is_active:
        raise ValidationError(f"Đơn vị “{target.name}” đã giải thể hoặc hợp nhất.")
    if ends_on < starts_on:
        raise ValidationError("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
    if starts_on < within[0] or ends_on > within[1]:
        raise ValidationError(f"Chuyến đi phải nằm trong khoảng {within[0]:%d/%m/%Y}–{within[1]:%d/%m/%Y}.")
    span = (ends_on - starts_on).days + 1
    if not 1 <= days <= span:
        raise ValidationError(f"Số ngày phải từ 1 đến {span} (từ {starts_on:%d/%m/%Y} đến {ends_on:%d/%m/%Y}).")


@transaction.atomic
def visit_add(
    *, plan: StaffPlan, target: Organization, content: str, starts_on: date, ends_on: date, days: int, purpose: str, by
) -> PlannedVisit:
    """Bước 1: a visit in the quarter plan: unit, content type, dates, days, purpose."""
    _require(plan.assignment.user_id == by.pk, "Chỉ cán bộ mới sửa được kế hoạch của mình.")
    if not plan.is_editable:
        raise ValidationError("Kế hoạch đã đăng ký: không sửa được nữa.")
    _check_visit(
        plan.assignment,
        target=target,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        within=quarter_bounds(plan.assignment.year, plan.quarter),
    )
    visit = PlannedVisit.objects.create(
        assignment=plan.assignment,
        plan=plan,
        target=target,
        content=content,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        purpose=purpose.strip(),
    )
    audit.record(target=plan, action="visit_add", by=by, organization=target, to_state=str(visit))
    return visit


@transaction.atomic
def visit_remove(*, visit: PlannedVisit, by) -> None:
    plan = visit.plan
    _require(plan is not None and visit.assignment.user_id == by.pk)
    if not plan.is_editable:
        raise ValidationError("Kế hoạch đã đăng ký: không sửa được nữa.")
    audit.record(target=plan, action="visit_remove", by=by, organization=visit.target, from_state=str(visit))
    visit.delete()


def plan_deadline(plan: StaffPlan) -> date:
    """The last day to register ``plan`` under the province's policy for its year."""
    return effective_policy(plan.assignment.department.organization, plan.assignment.year).plan_deadline(plan.quarter)


@transaction.atomic
def plan_submit(*, plan: StaffPlan, by, submitted_on: date | None = None) -> StaffPlan:
    """Bước 1: register the quarter plan with the department head "đầu mỗi quý" (seed 004): a
    first registration after the policy's first days of the quarter is flagged late, as a late
    visit report is. A plan returned and registered again keeps the flag of its first registration
    (the staff member registered; the correction was asked for by others)."""
    _require(plan.assignment.user_id == by.pk, "Chỉ cán bộ mới đăng ký được kế hoạch của mình.")
    if not plan.is_editable:
        raise ValidationError("Kế hoạch đã được đăng ký.")
    if not plan.visits.exists():
        raise ValidationError("Kế hoạch chưa có chuyến đi nào.")
    submitted_on = submitted_on or timezone.localdate()
    deadline = plan_deadline(plan)
    if plan.submitted_at is None:
        plan.is_late = submitted_on > deadline
    before = plan.get_status_display()
    plan.status, plan.return_reason = StaffPlan.Status.SUBMITTED, ""
    plan.submitted_at = _moment(submitted_on)
    plan.save(update_fields=["status", "submitted_at", "return_reason", "is_late"])
    audit.record(
        target=plan,
        action="submit",
        by=by,
        organization=plan.assignment.department.organization,
        from_state=before,
        to_state=plan.get_status_display() + (f" — nộp muộn (hạn {deadline:%d/%m/%Y})" if plan.is_late else ""),
    )
    return plan


def _moment(day: date) -> datetime:
    """Now when ``day`` is today; otherwise the start of that day (a registration dated earlier,
    as the demo data writes it)."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time.min))


# --- steps 2–3: department plan, organisation department, Standing office ---------------------


@transaction.atomic
def department_plan_merge(*, department: Department, year: int, quarter: int, by) -> DepartmentPlan:
    """Bước 2: the head merges the registered staff plans into the department plan and registers
    it (with the organisation department, on its way to the Standing office)."""
    _require(rules.heads(by, department), "Chỉ trưởng ban mới tổng hợp được kế hoạch của ban.")
    quarter_bounds(year, quarter)
    waiting = list(
        StaffPlan.objects.select_for_update().filter(
            assignment__department=department, assignment__year=year, quarter=quarter, status=StaffPlan.Status.SUBMITTED
        )
    )
    if not waiting:
        raise ValidationError(f"Chưa có kế hoạch quý {quarter}/{year} nào của cán bộ trong ban chờ tổng hợp.")
    plan = DepartmentPlan.objects.select_for_update().filter(department=department, year=year, quarter=quarter).first()
    before = plan.get_status_display() if plan else ""
    if plan and plan.status in (DepartmentPlan.Status.FORWARDED, DepartmentPlan.Status.APPROVED):
        raise ValidationError(
            f"Kế hoạch quý {quarter}/{year} của ban đang ở trạng thái “{before}”: "
            "chuyến đi phát sinh hãy đăng ký đột xuất."
        )
    if plan is None:
        plan = DepartmentPlan(department=department, year=year, quarter=quarter)
    plan.status, plan.submitted_at, plan.return_reason = DepartmentPlan.Status.SUBMITTED, timezone.now(), ""
    plan.save()
    for staff_plan in waiting:
        staff_plan.status, staff_plan.department_plan = StaffPlan.Status.MERGED, plan
        staff_plan.save(update_fields=["status", "department_plan"])
        audit.record(
            target=staff_plan,
            action="merge",
            by=by,
            organization=department.organization,
            from_state=StaffPlan.Status.SUBMITTED.label,
            to_state=staff_plan.get_status_display(),
        )
    audit.record(
        target=plan,
        action="submit",
        by=by,
        organization=department.organization,
        from_state=before,
        to_state=plan.get_status_display(),
        reason=f"{len(waiting)} kế hoạch cán bộ",
    )
    return plan


def _decide(plan: DepartmentPlan, *, status: str, by, action: str, reason: str = "") -> DepartmentPlan:
    before = plan.get_status_display()
    plan.status = status
    if status in (DepartmentPlan.Status.APPROVED, DepartmentPlan.Status.RETURNED):
        plan.decided_at, plan.decided_by, plan.return_reason = timezone.now(), by, reason
    plan.save()
    audit.record(
        target=plan,
        action=action,
        by=by,
        organization=plan.department.organization,
        from_state=before,
        to_state=plan.get_status_display(),
        reason=reason,
    )
    return plan


@transaction.atomic
def department_plan_forward(*, plan: DepartmentPlan, by) -> DepartmentPlan:
    """Bước 2: the organisation department passes the department plan to the Standing office."""
    _require(
        rules.heads_organisation_department(by, plan.department.organization),
        "Chỉ trưởng Ban Tổ chức / Xây dựng Đoàn mới trình được kế hoạch lên Thường trực.",
    )
    if plan.status != DepartmentPlan.Status.SUBMITTED:
        raise ValidationError(f"Kế hoạch đang ở trạng thái “{plan.get_status_display()}”, không trình được.")
    return _decide(plan, status=DepartmentPlan.Status.FORWARDED, by=by, action="forward")


@transaction.atomic
def department_plan_approve(*, plan: DepartmentPlan, by) -> DepartmentPlan:
    """Bước 3: the Standing office approves; every staff plan in it is approved with it."""
    _require(rules.is_standing_office(by, plan.department.organization), "Chỉ Thường trực mới phê duyệt được kế hoạch.")
    if plan.status != DepartmentPlan.Status.FORWARDED:
        raise ValidationError(
            f"Kế hoạch đang ở trạng thái “{plan.get_status_display()}”: cần được Ban Tổ chức trình trước khi phê duyệt."
        )
    for staff_plan in plan.staff_plans.filter(status=StaffPlan.Status.MERGED):
        staff_plan.status = StaffPlan.Status.APPROVED
        staff_plan.save(update_fields=["status"])
        audit.record(
            target=staff_plan,
            action="approve",
            by=by,
            organization=plan.department.organization,
            from_state=StaffPlan.Status.MERGED.label,
            to_state=staff_plan.get_status_display(),
        )
    plan = _decide(plan, status=DepartmentPlan.Status.APPROVED, by=by, action="approve")
    for staff_plan in plan.staff_plans.filter(status=StaffPlan.Status.APPROVED).select_related("assignment__user"):
        notices.staff_plan_decided(staff_plan, plan)
    return plan


@transaction.atomic
def department_plan_return(*, plan: DepartmentPlan, reason: str, by) -> DepartmentPlan:
    """Bước 3: the Standing office returns the plan with a reason (the organisation department
    may already return it before passing it on); the staff plans go back to their authors to be
    corrected and registered again."""
    province = plan.department.organization
    _require(
        rules.is_standing_office(by, province)
        or (plan.status == DepartmentPlan.Status.SUBMITTED and rules.heads_organisation_department(by, province)),
        "Chỉ Thường trực (hoặc Ban Tổ chức, trước khi trình) mới trả lại được kế hoạch.",
    )
    if plan.status not in (DepartmentPlan.Status.SUBMITTED, DepartmentPlan.Status.FORWARDED):
        raise ValidationError(f"Kế hoạch đang ở trạng thái “{plan.get_status_display()}”, không trả lại được.")
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do trả lại kế hoạch.")
    returned = list(plan.staff_plans.select_related("assignment__user"))
    for staff_plan in returned:
        before = staff_plan.get_status_display()
        staff_plan.status, staff_plan.department_plan, staff_plan.return_reason = (
            StaffPlan.Status.RETURNED,
            None,
            reason,
        )
        staff_plan.save(update_fields=["status", "department_plan", "return_reason"])
        audit.record(
            target=staff_plan,
            action="return",
            by=by,
            organization=province,
            from_state=before,
            to_state=staff_plan.get_status_display(),
            reason=reason,
        )
    plan = _decide(plan, status=DepartmentPlan.Status.RETURNED, by=by, action="return", reason=reason.strip())
    for staff_plan in returned:
        notices.staff_plan_decided(staff_plan, plan)
    return plan


# --- step 4: unplanned visits -----------------------------------------------------------------


@transaction.atomic
def visit_request(
    *,
    assignment: StaffAssignment,
    target: Organization,
    content: str,
    starts_on: date,
    ends_on: date,
    days: int,
    purpose: str,
    by,
    requested_on: date | None = None,
) -> PlannedVisit:
    """Bước 4: a visit outside the approved plan asks the Standing office's consent first, so
    the request must come no later than the visit's first day (a trip already begun or made
    cannot be consented to after the fact)."""
    _require(assignment.user_id == by.pk, "Chỉ cán bộ mới đề xuất được chuyến đi của mình.")
    _check_visit(
        assignment,
        target=target,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        within=(date(assignment.year, 1, 1), date(assignment.year, 12, 31)),
    )
    requested_on = requested_on or timezone.localdate()
    if starts_on < requested_on:
        raise ValidationError(
            "Chuyến đi đột xuất cần Thường trực đồng ý trước khi đi: không đề xuất được chuyến đi bắt đầu "
            f"ngày {starts_on:%d/%m/%Y}, trước ngày đề xuất {requested_on:%d/%m/%Y}."
        )
    if not purpose.strip():
        raise ValidationError("Cần ghi mục đích chuyến đi đột xuất.")
    visit = PlannedVisit.objects.create(
        assignment=assignment,
        status=PlannedVisit.Status.REQUESTED,
        target=target,
        content=content,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        purpose=purpose.strip(),
    )
    audit.record(target=visit, action="request", by=by, organization=target, to_state=visit.get_status_display())
    notices.visit_requested(visit)
    return visit


@transaction.atomic
def visit_request_decide(
    *, visit: PlannedVisit, consent: bool, reason: str = "", by, decided_on: date | None = None
) -> PlannedVisit:
    """Bước 4: the Standing office consents to, or refuses, an unplanned visit. Consent comes
    before the trip, at the latest on its first day (as the request does); a request left waiting
    past that day can only be refused, which closes it."""
    _require(
        rules.is_standing_office(by, visit.assignment.department.organization),
        "Chỉ Thường trực mới quyết định được chuyến đi đột xuất.",
    )
    if visit.status != PlannedVisit.Status.REQUESTED:
        raise ValidationError(f"Đề xuất đã được xử lý ({visit.get_status_display()}).")
    if not consent and is_blank(reason):
        raise ValidationError("Cần ghi lý do không đồng ý.")
    decided_on = decided_on or timezone.localdate()
    if consent and not rules.consent_open(visit, decided_on):
        raise ValidationError(
            f"Đã quá hạn đồng ý: chuyến đi bắt đầu ngày {visit.starts_on:%d/%m/%Y}, trước ngày quyết định "
            f"{decided_on:%d/%m/%Y}. Thường trực chỉ đồng ý chuyến đi đột xuất trước khi đi; "
            "chọn “Không đồng ý” và ghi lý do để đóng đề xuất."
        )
    before = visit.get_status_display()
    visit.status = PlannedVisit.Status.CONSENTED if consent else PlannedVisit.Status.REFUSED
    visit.decided_by, visit.decision_reason = by, reason.strip()
    visit.save(update_fields=["status", "decided_by", "decision_reason"])
    audit.record(
        target=visit,
        action="consent" if consent else "refuse",
        by=by,
        organization=visit.target,
        from_state=before,
        to_state=visit.get_status_display(),
        reason=visit.decision_reason,
    )
    notices.visit_request_decided(visit)
    return visit


# --- step 6: reports --------------------------------------------------------------------------


def is_confirmed(visit: PlannedVisit) -> bool:
    return PlannedVisit.objects.filter(confirmed_q(), pk=visit.pk).exists()


@transaction.atomic
def visit_report(
    *, visit: PlannedVisit, results: str, days_spent: int, by, reported_on: date | None = None
) -> VisitReport:
    """Bước 6: after each visit, its results and days actually spent; flagged late when sent more
    than the policy's days (10 in Thái Nguyên's 37-HD) after the visit's last day."""
    _require(visit.assignment.user_id == by.pk, "Chỉ cán bộ đi cơ sở mới báo cáo được chuyến đi của mình.")
    reported_on = reported_on or timezone.localdate()
    if not is_confirmed(visit):
        raise ValidationError("Chuyến đi chưa được phê duyệt (hoặc chưa được Thường trực đồng ý).")
    if VisitReport.objects.filter(visit=visit).exists():
        raise ValidationError("Chuyến đi này đã được báo cáo.")
    if reported_on < visit.ends_on:
        raise ValidationError(f"Chỉ báo cáo được sau khi kết thúc chuyến đi ({visit.ends_on:%d/%m/%Y}).")
    span = (visit.ends_on - visit.starts_on).days + 1
    if not 1 <= days_spent <= span:
        raise ValidationError(f"Số ngày thực tế phải từ 1 đến {span}.")
    if not results.strip():
        raise ValidationError("Cần ghi kết quả chuyến đi.")
    policy = effective_policy(visit.assignment.department.organization, visit.assignment.year)
    late = reported_on > visit.ends_on + timedelta(days=policy.report_late_days)
    report = VisitReport.objects.create(
        visit=visit, results=results.strip(), days_spent=days_spent, reported_on=reported_on, is_late=late
    )
    audit.record(
        target=visit,
        action="report",
        by=by,
        organization=visit.target,
        to_state=f"{days_spent} ngày" + (" — báo cáo muộn" if late else ""),
    )
    return report


def quarter_figures(assignment: StaffAssignment, quarter: int) -> dict:
    """Visits and days reported in a quarter, from the visit reports (compiled, not typed)."""
    start, end = quarter_bounds(assignment.year, quarter)
    return VisitReport.objects.filter(
        confirmed_q("visit__"), visit__assignment=assignment, visit__starts_on__range=(start, end)
    ).aggregate(visits=Count("pk"), days=Sum("days_spent"))


@transaction.atomic
def quarter_report_submit(*, assignment: StaffAssignment, quarter: int, notes: str = "", by) -> QuarterReport:
    """Bước 6: at quarter end each staff member's quarter report, compiled from visit reports."""
    _require(assignment.user_id == by.pk, "Chỉ cán bộ mới nộp được báo cáo quý của mình.")
    figures = quarter_figures(assignment, quarter)
    report, created = QuarterReport.objects.update_or_create(
        assignment=assignment,
        quarter=quarter,
        defaults={"visits": figures["visits"] or 0, "days": figures["days"] or 0, "notes": notes.strip()},
    )
    audit.record(
        target=report,
        action="submit" if created else "update",
        by=by,
        organization=assignment.department.organization,
        to_state=f"{report.visits} chuyến, {report.days} ngày",
    )
    return report


@transaction.atomic
def department_report_consolidate(
    *, department: Department, year: int, quarter: int, notes: str = "", by
) -> DepartmentQuarterReport:
    """Bước 6: the department consolidates its staff's quarter reports."""
    _require(rules.heads(by, department), "Chỉ trưởng ban mới tổng hợp được báo cáo của ban.")
    quarter_bounds(year, quarter)
    staff = StaffAssignment.objects.filter(department=department, year=year)
    reports = QuarterReport.objects.filter(assignment__in=staff, quarter=quarter)
    if not reports.exists():
        raise ValidationError(f"Chưa có cán bộ nào trong ban nộp báo cáo quý {quarter}/{year}.")
    report, created = DepartmentQuarterReport.objects.update_or_create(
        department=department,
        year=year,
        quarter=quarter,
        defaults={
            "staff_reported": reports.count(),
            "staff_total": staff.count(),
            "days": reports.aggregate(d=Sum("days"))["d"] or 0,
            "notes": notes.strip(),
            "consolidated_by": by,
        },
    )
    audit.record(
        target=report,
        action="consolidate" if created else "update",
        by=by,
        organization=department.organization,
        to_state=f"{report.staff_reported}/{report.staff_total} cán bộ, {report.days} ngày",
    )
    return report
