"""Reads of the "3 chủ động" workflow.

Public, stable API for other apps (the annual rating shows recognition on a đoàn cơ sở's rating
page and a rating policy may require it for "excellent"):

- ``recognition_for(org, year) -> Recognition | None``: the unit's registration outcome for the
  year, or None when it did not register (drafts count as not registered).
- ``is_recognised(org, year) -> bool``: shorthand for a rating policy that requires recognition
  for "excellent" (True only once a decision recognised the unit for that year).
- ``recognitions_for(org_ids, year) -> dict[int, Recognition]``: the same for many units in one
  query (for lists; units without a registration are absent from the dict).
- ``recognised_units(root, years) -> dict[int, set[int]]``: organisation id → the years (among
  ``years``) in which each đoàn cơ sở under ``root`` (inclusive) was recognised.

``Recognition.recognised`` is True only once a decision recognised the unit. The rest of this module
serves this app's own pages: every read a view makes is scoped to the user here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from organizations.models import Organization
from organizations.scoping import ALL_ROLES, get_scoped_or_404, open_posts, root_paths, scoped

from .models import Campaign, Decision, Flag, PlanAttachment, Registration, RegistrationReport
from .rules import reporting_levels

Status = Registration.Status


@dataclass(frozen=True)
class Recognition:
    organization_id: int
    year: int
    status: str  # Registration.Status value
    status_label: str
    recognised: bool
    registration_id: int
    decision_number: str = ""
    decision_date: date | None = None
    issued_by: str = ""  # name of the unit that decided
    reason: str = ""  # why not recognised, when decided so


def _as_recognition(reg: Registration) -> Recognition:
    d = reg.decision
    return Recognition(
        organization_id=reg.organization_id,
        year=reg.campaign.year,
        status=reg.status,
        status_label=reg.get_status_display(),
        recognised=reg.status == Status.RECOGNISED,
        registration_id=reg.pk,
        decision_number=d.number if d else "",
        decision_date=d.signed_on if d else None,
        issued_by=d.issued_by.name if d else "",
        reason=reg.decision_reason,
    )


def _registrations_of_year(year: int) -> QuerySet:
    return (
        Registration.objects.filter(campaign__year=year)
        .exclude(status=Status.DRAFT)
        .select_related("campaign", "decision__issued_by")
        .order_by("-campaign__province__depth")
    )


def recognition_for(org: Organization, year: int) -> Recognition | None:
    reg = _registrations_of_year(year).filter(organization=org).first()
    return _as_recognition(reg) if reg else None


def is_recognised(org: Organization, year: int) -> bool:
    return Registration.objects.filter(organization=org, campaign__year=year, status=Status.RECOGNISED).exists()


def recognitions_for(org_ids: Iterable[int], year: int) -> dict[int, Recognition]:
    return {
        r.organization_id: _as_recognition(r)
        for r in _registrations_of_year(year).filter(organization_id__in=list(org_ids))
    }


def recognised_units(root: Organization, years: Iterable[int]) -> dict[int, set[int]]:
    rows = Registration.objects.filter(
        status=Status.RECOGNISED, campaign__year__in=list(years), organization__path__startswith=root.path
    ).values_list("organization_id", "campaign__year")
    result: dict[int, set[int]] = {}
    for org_id, year in rows:
        result.setdefault(org_id, set()).add(year)
    return result


# --- scoped reads for this app's pages ----------------------------------------------------------


def visible_campaigns(user) -> QuerySet:
    """Campaigns of the provinces the user works in or under."""
    qs = Campaign.objects.select_related("province")
    paths = root_paths(user)
    if paths is None:
        return qs
    q = Q(pk__in=[])
    for path in paths:
        ancestors = [path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen)]
        q |= Q(province__path__startswith=path) | Q(province__path__in=ancestors)
    return qs.filter(q)


def get_campaign_or_404(user, pk: int) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("Không tìm thấy đợt “3 chủ động” trong phạm vi của bạn.")
    return campaign


def registrations(user) -> QuerySet:
    return scoped(user, Registration.objects.all(), "organization__path")


def get_registration_or_404(user, pk: int) -> Registration:
    qs = Registration.objects.select_related(
        "campaign__province", "organization__level", "receiving_unit", "cadre", "decision"
    )
    return get_scoped_or_404(user, qs, "organization__path", pk=pk)


def get_attachment_or_404(user, pk: int) -> PlanAttachment:
    return get_scoped_or_404(
        user, PlanAttachment.objects.select_related("registration"), "registration__organization__path", pk=pk
    )


def get_decision_or_404(user, pk: int) -> Decision:
    qs = Decision.objects.select_related("campaign__province", "issued_by")
    return get_scoped_or_404(user, qs, "issued_by__path", pk=pk)


def get_flag_or_404(user, pk: int) -> Flag:
    qs = Flag.objects.select_related("decision__campaign__province", "decision__issued_by")
    return get_scoped_or_404(user, qs, "decision__issued_by__path", pk=pk)


def board(campaign: Campaign, unit: Organization) -> QuerySet:
    """Every registrant under ``unit`` (drafts included: the board shows who is still writing)."""
    return (
        Registration.objects.filter(campaign=campaign, organization__path__startswith=unit.path)
        .select_related("organization", "receiving_unit", "cadre", "decision")
        .order_by("organization__path")
    )


def status_counts(qs: QuerySet) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in Status.values}


def report_of(campaign: Campaign, unit: Organization) -> RegistrationReport | None:
    return RegistrationReport.objects.filter(campaign=campaign, unit=unit).select_related("sent_by").first()


def units_without_report(campaigns: list[Campaign]) -> dict[int, list[Organization]]:
    """For each campaign, the active units that report to its province (``rules.reports_to_province``)
    and have not sent their report yet, in tree order. Two queries for any number of campaigns."""
    if not campaigns:
        return {}
    under_a_province = Q(pk__in=[])
    for c in campaigns:
        under_a_province |= Q(path__startswith=c.province.path)
    units = list(
        Organization.objects.filter(under_a_province, level__in=reporting_levels(), status=Organization.Status.ACTIVE)
        .exclude(pk__in=[c.province_id for c in campaigns])
        .order_by("path")
    )
    sent = set(RegistrationReport.objects.filter(campaign__in=campaigns).values_list("campaign_id", "unit_id"))
    return {
        c.pk: [u for u in units if u.path.startswith(c.province.path) and (c.pk, u.pk) not in sent] for c in campaigns
    }


def board_units(user, campaign: Campaign) -> list[Organization]:
    """Units whose board the user may open for this campaign: the non-grassroots units where they
    hold a post, inside the campaign's province (the province itself for its own officers)."""
    units = []
    for post in open_posts(user):
        org = post.organization
        if org.level.is_branch or org.level.is_grassroots or post.role not in ALL_ROLES:
            continue
        if org.path.startswith(campaign.province.path):
            units.append(org)
        elif campaign.province.path.startswith(org.path):
            units.append(campaign.province)
    if getattr(user, "is_superuser", False) and not units:
        units.append(campaign.province)
    return list({u.pk: u for u in units}.values())


def own_units(user) -> list[Organization]:
    """The đoàn cơ sở where the user holds a post (those they register for)."""
    return list(
        {p.organization.pk: p.organization for p in open_posts(user) if p.organization.level.is_grassroots}.values()
    )


def decisions_for_review(campaign: Campaign) -> QuerySet:
    return (
        Decision.objects.filter(campaign=campaign)
        .select_related("issued_by")
        .annotate(
            recognised=Count("registrations", filter=Q(registrations__status=Status.RECOGNISED)),
            not_recognised=Count("registrations", filter=Q(registrations__status=Status.NOT_RECOGNISED)),
            open_flags=Count("flags", filter=Q(flags__is_resolved=False), distinct=True),
        )
        .order_by("issued_by__path", "-signed_on")
    )


def commendation_rows(root: Organization, years: list[int]) -> list[dict]:
    """Đoàn cơ sở under ``root`` recognised in any of ``years``, most years first (the province
    commends twice per term, gathering the units recognised over the years chosen)."""
    by_org = recognised_units(root, years)
    orgs = Organization.objects.filter(pk__in=by_org).select_related("level").order_by("path")
    parents = {o.path: o.name for o in Organization.objects.filter(path__in={o.path[: -o.steplen] for o in orgs})}
    rows = [
        {
            "org": o,
            "parent": parents.get(o.path[: -o.steplen], ""),
            "years": sorted(by_org[o.pk]),
            "marks": [y in by_org[o.pk] for y in years],
        }
        for o in orgs
    ]
    return sorted(rows, key=lambda r: (-len(r["years"]), r["org"].path))
