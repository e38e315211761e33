"""What is waiting for a user in this app, shown on their home page (doanhub.dashboard).

A few queries whatever the data size: registrations received by the units where the user holds
a post (awaiting assignment, evaluation or decision), the user's own đoàn cơ sở registration, and
the reports to the province past their deadline (the district's own, or for the province, the
districts that have not sent theirs)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from notifications.deadlines import due_note
from organizations.inbox import InboxItem
from organizations.scoping import MANAGER_ROLES, open_posts

from . import selectors
from .models import Campaign, Registration

Status = Registration.Status
WAITING = {
    Status.SUBMITTED: "đăng ký “3 chủ động” chờ tiếp nhận, phân công",
    Status.ACCEPTED: "đoàn cơ sở “3 chủ động” chờ đánh giá",
    Status.EVALUATED: "đoàn cơ sở “3 chủ động” chờ quyết định công nhận",
}


def items(user, today=None) -> list[InboxItem]:
    posts = open_posts(user)
    if not posts:
        return []
    today = today or timezone.localdate()
    return _received(posts, today) + _own_due(posts, today) + _reports_overdue(posts, today)


def _received(posts, today) -> list[InboxItem]:
    units = {p.organization.pk: p.organization for p in posts if not p.organization.level.is_branch}
    if not units:
        return []
    rows = (
        Registration.objects.filter(receiving_unit_id__in=units, status__in=list(WAITING))
        .values("campaign_id", "campaign__report_deadline", "receiving_unit_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = []
    for row in rows:
        unit = units[row["receiving_unit_id"]]
        url = reverse("recognition:board", args=[row["campaign_id"], unit.code])
        result.append(
            InboxItem(
                title=f"{WAITING[row['status']]} — {unit.name}",
                url=url,
                count=row["n"],
                # still not taken in when the report to the province is due (15/10 by default)
                urgent=row["status"] == Status.SUBMITTED and today > row["campaign__report_deadline"],
            )
        )
    return result


def _own_due(posts, today) -> list[InboxItem]:
    """An open campaign over the user's đoàn cơ sở with no registration sent yet, or one returned."""
    units = {p.organization.pk: p.organization for p in posts if p.organization.level.is_grassroots}
    if not units:
        return []
    paths = {path for u in units.values() for path in u.ancestor_paths()}
    campaigns = list(Campaign.objects.filter(year__gte=today.year, province__path__in=paths).select_related("province"))
    if not campaigns:
        return []
    done = set(
        Registration.objects.filter(campaign__in=campaigns, organization_id__in=units)
        .filter(~Q(status__in=[Status.DRAFT, Status.RETURNED]))
        .values_list("campaign_id", "organization_id")
    )
    result = []
    for c in campaigns:
        for unit in units.values():
            if unit.path.startswith(c.province.path) and (c.pk, unit.pk) not in done:
                result.append(
                    InboxItem(
                        title=f"{unit.name}: đăng ký “3 chủ động” năm {c.year} ({due_note(c.registration_deadline, today)})",
                        url=reverse("recognition:register", args=[c.pk, unit.code]),
                        urgent=today > c.registration_deadline,
                    )
                )
    return result


def _reports_overdue(posts, today) -> list[InboxItem]:
    """Past the report deadline (15/10 by default) of a campaign still running: the district's
    standing office sees its own unsent report; the province's sees how many districts are late.
    Only the posts that sign the report or check it (rules.can_send_report, can_review) count;
    units above the province leave the chasing to it."""
    units = {
        p.organization.pk: p.organization
        for p in posts
        if p.role in MANAGER_ROLES and not (p.organization.level.is_branch or p.organization.level.is_grassroots)
    }
    if not units:
        return []
    paths = {path for u in units.values() for path in [*u.ancestor_paths(), u.path]}
    campaigns = list(
        Campaign.objects.filter(year__gte=today.year, report_deadline__lt=today, province__path__in=paths)
        .select_related("province")
        .order_by("year", "province__path")
    )
    missing = selectors.units_without_report(campaigns)
    result = []
    for c in campaigns:
        due = f"hạn {c.report_deadline:%d/%m/%Y}"
        for unit in missing[c.pk]:
            if unit.pk in units:
                result.append(
                    InboxItem(
                        title=(
                            f"{unit.name}: chưa báo cáo đăng ký “3 chủ động” năm {c.year} lên {c.province.name} "
                            f"({due_note(c.report_deadline, today)})"
                        ),
                        url=reverse("recognition:board", args=[c.pk, unit.code]),
                        urgent=True,
                    )
                )
        if c.province_id in units and missing[c.pk]:
            result.append(
                InboxItem(
                    title=f"{len(missing[c.pk])} đơn vị chưa báo cáo đăng ký “3 chủ động” năm {c.year} ({due})",
                    url=reverse("recognition:review", args=[c.pk]),
                    count=len(missing[c.pk]),
                    urgent=True,
                )
            )
    return result
