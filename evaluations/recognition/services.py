"""Every step of the "3 chủ động" workflow: keyword-only, atomic, permission-checked, audited.

The flow (Hướng dẫn 08-HD/TWĐTN-BTC, seed 003): the province opens a campaign with its criteria →
the đoàn cơ sở registers its plan with the level above by 10/10 of the year before → that level
accepts it and assigns a cadre → it reports its registrations to the province by 15/10 →
follow-ups and inspections during the year → it scores every criterion and issues the decision →
the province's standing office and inspection committee review the decisions and flag them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organizations import audit
from organizations.models import Organization, Post
from organizations.text import is_blank

from . import notices, rules
from .models import (
    CRITERIA_VARIANTS,
    Campaign,
    CampaignCriterion,
    CriterionEvaluation,
    Decision,
    Flag,
    FollowUp,
    PlanAttachment,
    Registration,
    RegistrationPlan,
    RegistrationReport,
    default_registration_deadline,
    default_report_deadline,
)

Status = Registration.Status
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png"}


def _require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _expect(registration: Registration, *statuses: str, doing: str) -> None:
    if registration.status not in statuses:
        raise ValidationError(
            f"Không thể {doing}: đăng ký của {registration.organization.name} đang ở trạng thái "
            f"“{registration.get_status_display()}”."
        )


def _move(registration: Registration, to: str, *, action: str, by, reason: str = "", extra: Iterable[str] = ()) -> None:
    """Change a registration's status and write the audit entry of the transition."""
    before = registration.get_status_display()
    registration.status = to
    registration.save(update_fields=["status", "updated_at", *extra])
    audit.record(
        target=registration,
        action=action,
        by=by,
        organization=registration.receiving_unit,
        from_state=before,
        to_state=registration.get_status_display(),
        reason=reason,
    )


# --- campaign -----------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    province: Organization,
    year: int,
    by,
    name: str = "",
    variant: str = "3",
    registration_deadline: date | None = None,
    report_deadline: date | None = None,
) -> Campaign:
    """Open the year's campaign at a province, seeded with the standard criteria (or a variant)."""
    if not rules.runs_campaigns(province):
        raise ValidationError(f"“{province.name}” là {province.level.name}: chỉ cấp tỉnh mở đợt “3 chủ động”.")
    _require(rules.can_manage_campaign(by, province))
    if variant not in CRITERIA_VARIANTS:
        raise ValidationError(f"Bộ tiêu chí “{variant}” không có: chọn 3 hoặc 4 “chủ động”.")
    if Campaign.objects.filter(province=province, year=year).exists():
        raise ValidationError(f"{province.name} đã có đợt “3 chủ động” năm {year}.")
    reg_deadline = registration_deadline or default_registration_deadline(year)
    rep_deadline = report_deadline or default_report_deadline(year)
    if rep_deadline < reg_deadline:
        raise ValidationError("Hạn báo cáo của cấp huyện phải sau hạn đăng ký của đoàn cơ sở.")
    label = "3 chủ động" if variant == "3" else f"{variant} chủ động"
    campaign = Campaign.objects.create(
        province=province,
        year=year,
        name=name.strip() or f"Đoàn cơ sở “{label}” năm {year}",
        registration_deadline=reg_deadline,
        report_deadline=rep_deadline,
        created_by=by,
    )
    CampaignCriterion.objects.bulk_create(
        CampaignCriterion(campaign=campaign, number=i, title=title, description=text)
        for i, (title, text) in enumerate(CRITERIA_VARIANTS[variant], start=1)
    )
    audit.record(target=campaign, action="campaign_create", by=by, organization=province, to_state=campaign.name)
    return campaign


def _criteria_locked(campaign: Campaign) -> bool:
    return campaign.registrations.exclude(status=Status.DRAFT).exists()


@transaction.atomic
def criterion_save(
    *,
    campaign: Campaign,
    by,
    title: str,
    description: str = "",
    sub_criteria: str = "",
    criterion: CampaignCriterion | None = None,
) -> CampaignCriterion:
    """Edit a criterion (its sub-criteria may change any time) or add one before registrations arrive."""
    _require(rules.can_manage_campaign(by, campaign.province))
    if not title.strip():
        raise ValidationError("Cần ghi tên tiêu chí.")
    if criterion is None:
        if _criteria_locked(campaign):
            raise ValidationError("Đã có đoàn cơ sở gửi đăng ký: không thể thêm tiêu chí mới.")
        number = (campaign.criteria.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        criterion = CampaignCriterion(campaign=campaign, number=number)
        action, before = "criterion_add", ""
    else:
        action, before = "criterion_edit", criterion.title
    criterion.title, criterion.description, criterion.sub_criteria = (
        title.strip(),
        description.strip(),
        sub_criteria.strip(),
    )
    criterion.save()
    audit.record(
        target=campaign,
        action=action,
        by=by,
        organization=campaign.province,
        from_state=before,
        to_state=f"{criterion.number}. {criterion.title}",
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: CampaignCriterion, by) -> None:
    campaign = criterion.campaign
    _require(rules.can_manage_campaign(by, campaign.province))
    if _criteria_locked(campaign):
        raise ValidationError("Đã có đoàn cơ sở gửi đăng ký: không thể bỏ tiêu chí.")
    if campaign.criteria.count() <= 1:
        raise ValidationError("Một đợt phải có ít nhất một tiêu chí.")
    RegistrationPlan.objects.filter(criterion=criterion).delete()
    audit.record(
        target=campaign,
        action="criterion_delete",
        by=by,
        organization=campaign.province,
        from_state=f"{criterion.number}. {criterion.title}",
    )
    criterion.delete()


# --- registration -------------------------------------------------------------------------------


def campaign_for(org: Organization, year: int) -> Campaign | None:
    """The campaign covering ``org`` for ``year``: the nearest ancestor that runs one."""
    return (
        Campaign.objects.filter(year=year, province__path__in=org.ancestor_paths())
        .select_related("province")
        .order_by("-province__depth")
        .first()
    )


@transaction.atomic
def registration_save(*, campaign: Campaign, organization: Organization, plans: dict[int, str], by) -> Registration:
    """The đoàn cơ sở writes (or amends, when returned) its plan for each criterion: a draft."""
    _require(rules.can_register(by, organization))
    if not organization.level.is_grassroots:
        raise ValidationError(
            f"“{organization.name}” không phải tổ chức cơ sở Đoàn: chỉ đoàn cơ sở và chi đoàn cơ sở đăng ký “3 chủ động”."
        )
    if not organization.path.startswith(campaign.province.path) or organization.pk == campaign.province_id:
        raise ValidationError(f"“{organization.name}” không thuộc {campaign.province.name}.")
    registration = Registration.objects.filter(campaign=campaign, organization=organization).first()
    if registration is None:
        receiving = organization.parent()
        registration = Registration.objects.create(
            campaign=campaign, organization=organization, receiving_unit=receiving
        )
        audit.record(
            target=registration,
            action="register",
            by=by,
            organization=organization,
            to_state=registration.get_status_display(),
        )
    elif not registration.is_editable:
        raise ValidationError(f"Đăng ký đang ở trạng thái “{registration.get_status_display()}”: không sửa được nữa.")
    criteria = {c.pk: c for c in campaign.criteria.all()}
    for criterion_id, text in plans.items():
        if criterion_id not in criteria:
            raise ValidationError("Tiêu chí không thuộc đợt này.")
        RegistrationPlan.objects.update_or_create(
            registration=registration, criterion_id=criterion_id, defaults={"text": (text or "").strip()}
        )
    return registration


@transaction.atomic
def attachment_add(
    *, registration: Registration, file: UploadedFile, by, criterion: CampaignCriterion | None = None
) -> PlanAttachment:
    """Attach a file (kế hoạch, biên bản, …) to the plan while it can still be edited."""
    _require(rules.can_register(by, registration.organization))
    if not registration.is_editable:
        raise ValidationError("Đăng ký đã gửi: không thêm tệp được nữa.")
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(f"Tệp “{file.name}”: chỉ nhận {', '.join(sorted(ALLOWED_EXTENSIONS))}.")
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"Tệp “{file.name}” lớn hơn 10 MB.")
    if criterion is not None and criterion.campaign_id != registration.campaign_id:
        raise ValidationError("Tiêu chí không thuộc đợt này.")
    attachment = PlanAttachment(
        registration=registration, criterion=criterion, original_name=file.name[:255], size=file.size, uploaded_by=by
    )
    attachment.file.save(file.name, file, save=False)
    attachment.save()
    audit.record(
        target=registration,
        action="attach",
        by=by,
        organization=registration.organization,
        to_state=attachment.original_name,
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: PlanAttachment, by) -> None:
    registration = attachment.registration
    _require(rules.can_register(by, registration.organization))
    if not registration.is_editable:
        raise ValidationError("Đăng ký đã gửi: không bỏ tệp được nữa.")
    audit.record(
        target=registration,
        action="detach",
        by=by,
        organization=registration.organization,
        from_state=attachment.original_name,
    )
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def registration_submit(*, registration: Registration, by, now=None) -> Registration:
    """Send the registration to the level above; past the campaign's deadline it is flagged late."""
    _require(rules.can_register(by, registration.organization))
    _expect(registration, Status.DRAFT, Status.RETURNED, doing="gửi đăng ký")
    written = {p.criterion_id for p in registration.plans.all() if p.text.strip()}
    missing = [c for c in registration.campaign.criteria.all() if c.pk not in written]
    if missing:
        names = "; ".join(f"{c.number}. {c.title}" for c in missing)
        raise ValidationError(f"Chưa có kế hoạch cho tiêu chí: {names}.")
    now = now or timezone.now()
    registration.submitted_at = now
    registration.is_late = timezone.localdate(now) > registration.campaign.registration_deadline
    late = " (muộn)" if registration.is_late else ""
    _move(
        registration,
        Status.SUBMITTED,
        action="submit",
        by=by,
        reason=f"Gửi đăng ký{late}",
        extra=("submitted_at", "is_late"),
    )
    return registration


@transaction.atomic
def registration_accept(*, registration: Registration, by) -> Registration:
    """The level above takes the registration in (tiếp nhận)."""
    _require(rules.can_follow(by, registration))
    _expect(registration, Status.SUBMITTED, doing="tiếp nhận")
    _move(registration, Status.ACCEPTED, action="accept", by=by)
    return registration


@transaction.atomic
def registration_return(*, registration: Registration, reason: str, by) -> Registration:
    """Send the plan back to the đoàn cơ sở to complete it (it can resubmit)."""
    _require(rules.can_follow(by, registration))
    _expect(registration, Status.SUBMITTED, Status.ACCEPTED, doing="trả lại")
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do trả lại để đoàn cơ sở bổ sung.")
    _move(registration, Status.RETURNED, action="return", by=by, reason=reason.strip())
    notices.registration_returned(registration, reason.strip())
    return registration


def cadre_choices(registration: Registration):
    """Users who may follow the registrant: an open post at the receiving unit itself (its cadres)."""
    today = timezone.localdate()
    posts = Post.objects.filter(organization=registration.receiving_unit).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    return (
        get_user_model()
        .objects.filter(pk__in=posts.values("user_id"), is_active=True)
        .order_by("last_name", "username")
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def cadre_assign(*, registration: Registration, cadre, by) -> Registration:
    """Phân công cán bộ theo dõi; assigning a submitted registration also accepts it."""
    _require(rules.can_assign(by, registration))
    _expect(registration, Status.SUBMITTED, Status.ACCEPTED, Status.EVALUATED, doing="phân công cán bộ")
    if not cadre_choices(registration).filter(pk=cadre.pk).exists():
        raise ValidationError(f"{_person(cadre)} không giữ chức vụ ở {registration.receiving_unit.name}.")
    before = _person(registration.cadre) if registration.cadre else ""
    registration.cadre = cadre
    registration.save(update_fields=["cadre", "updated_at"])
    audit.record(
        target=registration,
        action="assign",
        by=by,
        organization=registration.receiving_unit,
        from_state=before,
        to_state=_person(cadre),
    )
    if registration.status == Status.SUBMITTED:
        _move(registration, Status.ACCEPTED, action="accept", by=by)
    return registration


@transaction.atomic
def followup_add(
    *, registration: Registration, kind: str, on_date: date, participants: str, findings: str, by, fieldwork_visit=None
) -> FollowUp:
    """Ghi chép theo dõi / kiểm tra during the year, optionally linked to a "1+2" visit to the unit."""
    _require(rules.can_follow(by, registration))
    _expect(registration, Status.ACCEPTED, Status.EVALUATED, doing="ghi theo dõi")
    if kind not in FollowUp.Kind.values:
        raise ValidationError("Loại theo dõi không hợp lệ.")
    if not findings.strip() or not participants.strip():
        raise ValidationError("Cần ghi người thực hiện và nội dung, kết quả.")
    if on_date > timezone.localdate():
        raise ValidationError(f"Ngày {on_date:%d/%m/%Y} chưa đến: chỉ ghi việc đã làm.")
    if fieldwork_visit is not None and not fieldwork_visit.target.path.startswith(registration.organization.path):
        raise ValidationError(f"Chuyến đi cơ sở đã chọn không đến {registration.organization.name}.")
    if fieldwork_visit is not None and not _is_confirmed_visit(fieldwork_visit):
        raise ValidationError("Chuyến đi cơ sở đã chọn chưa được Thường trực duyệt hoặc đồng ý.")
    followup = FollowUp.objects.create(
        registration=registration,
        kind=kind,
        on_date=on_date,
        participants=participants.strip(),
        findings=findings.strip(),
        fieldwork_visit=fieldwork_visit,
        author=by,
    )
    audit.record(
        target=registration,
        action="followup",
        by=by,
        organization=registration.receiving_unit,
        to_state=followup.get_kind_display(),
        reason=followup.findings[:200],
    )
    return followup


@dataclass(frozen=True)
class Score:
    met: bool
    evidence: str


@transaction.atomic
def evaluation_save(*, registration: Registration, scores: dict[int, Score], by) -> Registration:
    """The level above scores every criterion met / not met, each with its evidence."""
    _require(rules.can_follow(by, registration))
    _expect(registration, Status.ACCEPTED, Status.EVALUATED, doing="đánh giá")
    criteria = list(registration.campaign.criteria.all())
    problems = [
        f"tiêu chí {c.number} ({c.title})" for c in criteria if c.pk not in scores or not scores[c.pk].evidence.strip()
    ]
    if problems:
        raise ValidationError(f"Cần kết quả và minh chứng cho {', '.join(problems)}.")
    for c in criteria:
        score = scores[c.pk]
        CriterionEvaluation.objects.update_or_create(
            registration=registration,
            criterion=c,
            defaults={"met": score.met, "evidence": score.evidence.strip(), "evaluated_by": by},
        )
    met = sum(scores[c.pk].met for c in criteria)
    _move(registration, Status.EVALUATED, action="evaluate", by=by, reason=f"Đạt {met}/{len(criteria)} tiêu chí")
    return registration


def meets_all_criteria(registration: Registration) -> bool:
    """Recognition needs every criterion of the campaign met (08-HD/TWĐTN-BTC)."""
    scored = {e.criterion_id: e.met for e in registration.evaluations.all()}
    criteria = [c.pk for c in registration.campaign.criteria.all()]
    return bool(criteria) and all(scored.get(pk) for pk in criteria)


@dataclass(frozen=True)
class Outcome:
    registration: Registration
    recognised: bool
    reason: str = ""


@transaction.atomic
def decision_issue(
    *,
    campaign: Campaign,
    issued_by: Organization,
    number: str,
    signed_on: date,
    signer: str,
    outcomes: list[Outcome],
    by,
) -> Decision:
    """Quyết định công nhận: recognise the units meeting all criteria, or not, with a reason each."""
    _require(rules.can_decide_at(by, issued_by))
    number, signer = number.strip(), signer.strip()
    if not number or not signer:
        raise ValidationError("Cần ghi số quyết định và người ký.")
    if signed_on > timezone.localdate():
        raise ValidationError(f"Ngày ký {signed_on:%d/%m/%Y} chưa đến.")
    if not outcomes:
        raise ValidationError("Quyết định phải có ít nhất một đoàn cơ sở.")
    if Decision.objects.filter(issued_by=issued_by, number=number).exists():
        raise ValidationError(f"{issued_by.name} đã có quyết định số {number}.")
    for o in outcomes:
        _check_outcome(o, campaign, issued_by)
    decision = Decision.objects.create(
        campaign=campaign, issued_by=issued_by, number=number, signed_on=signed_on, signer=signer, created_by=by
    )
    audit.record(target=decision, action="decision_issue", by=by, organization=issued_by, to_state=str(decision))
    for o in outcomes:
        reg = o.registration
        reg.decision, reg.decision_reason = decision, o.reason.strip()
        _move(
            reg,
            Status.RECOGNISED if o.recognised else Status.NOT_RECOGNISED,
            action="decide",
            by=by,
            reason=f"{decision}{': ' + reg.decision_reason if reg.decision_reason else ''}",
            extra=("decision", "decision_reason"),
        )
        notices.registration_decided(reg, decision)
    return decision


def _check_outcome(o: Outcome, campaign: Campaign, issued_by: Organization) -> None:
    reg = o.registration
    name = reg.organization.name
    if reg.campaign_id != campaign.pk or reg.receiving_unit_id != issued_by.pk:
        raise ValidationError(f"{name} không đăng ký với {issued_by.name} trong đợt này.")
    _expect(reg, Status.EVALUATED, doing="ra quyết định")
    if o.recognised and not meets_all_criteria(reg):
        raise ValidationError(f"{name} chưa đạt đủ tất cả tiêu chí: không thể công nhận.")
    if not o.recognised and is_blank(o.reason):
        raise ValidationError(f"Cần ghi lý do không công nhận {name}.")


# --- province review ---------------------------------------------------------------------------


@transaction.atomic
def flag_raise(*, decision: Decision, note: str, by) -> Flag:
    """The province's standing office / inspection committee questions a decision."""
    _require(rules.can_review(by, decision.campaign))
    if is_blank(note):
        raise ValidationError("Cần ghi nội dung cần xem lại.")
    flag = Flag.objects.create(decision=decision, note=note.strip(), raised_by=by)
    audit.record(
        target=decision,
        action="flag",
        by=by,
        organization=decision.campaign.province,
        to_state="Cần xem lại",
        reason=flag.note,
    )
    return flag


@transaction.atomic
def flag_resolve(*, flag: Flag, resolution: str, by) -> Flag:
    """Close a flag with what was done (the issuing unit's answer or the province's conclusion)."""
    _require(rules.can_resolve(by, flag))
    if flag.is_resolved:
        raise ValidationError("Ý kiến này đã được xử lý.")
    if not resolution.strip():
        raise ValidationError("Cần ghi kết quả xử lý.")
    flag.is_resolved, flag.resolution, flag.resolved_by, flag.resolved_at = True, resolution.strip(), by, timezone.now()
    flag.save()
    audit.record(
        target=flag.decision,
        action="flag_resolve",
        by=by,
        organization=flag.decision.issued_by,
        from_state="Cần xem lại",
        to_state="Đã xử lý",
        reason=flag.resolution,
    )
    return flag


# --- the district's report to the province ------------------------------------------------------


def reportable(campaign: Campaign, unit: Organization):
    """Registrations a unit reports to the province: those sent in its subtree (not drafts)."""
    return Registration.objects.filter(campaign=campaign, organization__path__startswith=unit.path).exclude(
        status=Status.DRAFT
    )


@transaction.atomic
def report_send(*, campaign: Campaign, unit: Organization, by, now=None) -> RegistrationReport:
    """Báo cáo tình hình đăng ký lên tỉnh; sending again replaces the figures and the date."""
    _require(rules.can_send_report(by, campaign, unit))
    now = now or timezone.now()
    count = reportable(campaign, unit).count()
    late = timezone.localdate(now) > campaign.report_deadline
    report, created = RegistrationReport.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"sent_at": now, "sent_by": by, "is_late": late, "registrant_count": count},
    )
    audit.record(
        target=report,
        action="report_send" if created else "report_resend",
        by=by,
        organization=unit,
        to_state=f"{count} đơn vị đăng ký",
        reason="Gửi muộn" if late else "",
    )
    return report


@transaction.atomic
def registration_update(
    *,
    campaign: Campaign,
    organization: Organization,
    plans: dict[int, str],
    by,
    file: UploadedFile | None = None,
    submit: bool = False,
) -> Registration:
    """The registration page's one step: save the plans, attach a file, and send when asked."""
    registration = registration_save(campaign=campaign, organization=organization, plans=plans, by=by)
    if file is not None:
        attachment_add(registration=registration, file=file, by=by)
    if submit:
        registration_submit(registration=registration, by=by)
    return registration


def _is_confirmed_visit(visit) -> bool:
    from fieldwork.models import PlannedVisit
    from fieldwork.selectors import confirmed_q

    return PlannedVisit.objects.filter(confirmed_q(), pk=visit.pk).exists()
