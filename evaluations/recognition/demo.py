"""Demo "3 chủ động" data for the demo province, made through the services (so it is audited and
obeys the same rules): last year's campaign decided, this year's in progress. Idempotent: a year
whose campaign exists is left as it is."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization, Post

from . import services
from .models import Campaign, Registration

DEMO_UNITS = 8  # đoàn cơ sở per year under the demo district


@dataclass
class DemoSummary:
    province: str = ""
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _place() -> tuple[Organization, Organization]:
    """The demo province and district: where the demo approvers sit (members.demo), else the first ones."""
    posts = Post.objects.filter(user__username__in=["thuongtruc.tinh", "duyet.huyen"]).select_related(
        "organization__level"
    )
    by_user = {p.user.username: p.organization for p in posts.select_related("user")}
    province = (
        by_user.get("thuongtruc.tinh") or Organization.objects.filter(level__code="tinh").order_by("path").first()
    )
    if province is None:
        raise ValueError("Chưa có tỉnh đoàn nào: hãy chạy seed_demo trước.")
    district = (
        by_user.get("duyet.huyen")
        or Organization.objects.filter(path__startswith=province.path, level__code="huyen").order_by("path").first()
        or province
    )
    return province, district


def _aware(day: date, hour: int = 9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(*, today: date | None = None) -> DemoSummary:
    today = today or timezone.localdate()
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        raise ValueError("Cần một tài khoản quản trị (superuser): hãy chạy seed_demo trước.")
    province, district = _place()
    units = list(
        Organization.objects.filter(
            path__startswith=district.path, level__is_grassroots=True, status=Organization.Status.ACTIVE
        ).order_by("path")[:DEMO_UNITS]
    )
    cadre = services.cadre_choices(Registration(receiving_unit=district)).first() or actor
    summary = DemoSummary(province=province.name)
    for year, finished in ((today.year - 1, True), (today.year, False)):
        if Campaign.objects.filter(province=province, year=year).exists():
            summary.skipped.append(str(year))
            continue
        with transaction.atomic():
            _year(province, district, units, year, finished, actor, cadre, today)
        summary.created.append(str(year))
    return summary


def _year(province, district, units, year, finished, actor, cadre, today) -> None:
    campaign = services.campaign_create(province=province, year=year, by=actor)
    criteria = list(campaign.criteria.all())
    plans = {c.pk: f"Kế hoạch năm {year}: {c.description}" for c in criteria}
    registered = []
    for i, unit in enumerate(units):
        reg = services.registration_save(campaign=campaign, organization=unit, plans=plans, by=actor)
        sent = _aware(date(year - 1, 10, 1 + i * 2))  # the last ones arrive after 10/10: flagged late
        services.registration_submit(registration=reg, by=actor, now=sent)
        registered.append(reg)
    if district.pk != province.pk:
        services.report_send(campaign=campaign, unit=district, by=actor, now=_aware(date(year - 1, 10, 14)))
    stage = len(registered) if finished else len(registered) * 3 // 4
    for i, reg in enumerate(registered[:stage]):
        services.cadre_assign(registration=reg, cadre=cadre, by=actor)
        visit_day = min(date(year, 6, 15), today)
        services.followup_add(
            registration=reg,
            kind="inspection",
            on_date=visit_day,
            participants=str(cadre),
            findings="Đơn vị thực hiện đúng kế hoạch; sổ sách quản lý đoàn viên đầy đủ.",
            by=actor,
        )
        if finished or i % 2 == 0:
            met_all = i % 4 != 3
            scores = {
                c.pk: services.Score(met=met_all or c.number != 2, evidence="Biên bản kiểm tra, báo cáo của đơn vị")
                for c in criteria
            }
            services.evaluation_save(registration=reg, scores=scores, by=actor)
    if finished:
        outcomes = [
            services.Outcome(
                registration=r,
                recognised=services.meets_all_criteria(r),
                reason="" if services.meets_all_criteria(r) else "Chưa đạt tiêu chí 2",
            )
            for r in Registration.objects.filter(campaign=campaign, status=Registration.Status.EVALUATED)
        ]
        signed = min(date(year, 12, 20), today)
        services.decision_issue(
            campaign=campaign,
            issued_by=district,
            number=f"{100 + year % 100}-QĐ/ĐTN",
            signed_on=signed,
            signer="Bí thư Huyện đoàn",
            outcomes=outcomes,
            by=actor,
        )
