"""Demo ratings on top of the demo tree (``manage.py demo_ratings``), so reports have data.

Deterministic and idempotent: a current-year period at the tree's root with standard policies
(quota 20 % HTXSNV, ≥ 6 months, HTXSNV needs 90 % participation, a 100-point chi đoàn card);
most chi đoàn decided within their cơ sở's quota, some submitted and waiting, some late. The
demo secretary's chi đoàn is left for the visitor to enter.
"""

import json
import math
import random
from dataclasses import dataclass
from datetime import date

from django.db import reset_queries, transaction
from django.utils import timezone

from members.models import Member
from organizations.models import Level, Organization, Post
from organizations.services import copy_rows

from . import rules
from .models import (
    Assessment,
    CriteriaFrame,
    Criterion,
    RatingDeadline,
    RatingLevel,
    RatingPeriod,
    RatingPolicy,
    Status,
    SubjectType,
    Submission,
)

CARD = [  # a 100-point chi đoàn card in five groups (as several provincial guides use)
    ("Công tác giáo dục chính trị, tư tưởng", "Tổ chức học tập nghị quyết, sinh hoạt chủ điểm", 20),
    ("Tổ chức các phong trào", "Tình nguyện, lập thân lập nghiệp, công trình thanh niên", 25),
    ("Xây dựng tổ chức Đoàn", "Sinh hoạt định kỳ, quản lý đoàn viên, thu nộp đoàn phí", 25),
    ("Tham gia xây dựng Đảng, chính quyền", "Giới thiệu đoàn viên ưu tú, tham gia góp ý", 15),
    ("Công tác Hội, Đội", "Phối hợp Hội LHTN, phụ trách Đội", 15),
]
MIX = [(RatingLevel.HTTNV, 0.55), (RatingLevel.HTNV, 0.35), (RatingLevel.KHTNV, 0.10)]


@dataclass
class DemoRatings:
    period: RatingPeriod
    created: int = 0
    skipped: bool = False


def _policies(period: RatingPeriod, root: Organization) -> None:
    for subject_type in (SubjectType.MEMBER, SubjectType.BRANCH, SubjectType.GRASSROOTS):
        policy, _ = RatingPolicy.objects.get_or_create(
            period=period,
            organization=root,
            subject_type=subject_type,
            defaults={
                "quota_percent": 20,
                "min_participation_excellent": 90 if subject_type == SubjectType.MEMBER else None,
            },
        )
        if subject_type == SubjectType.BRANCH and not hasattr(policy, "frame"):
            frame = CriteriaFrame.objects.create(
                policy=policy,
                name="Khung 100 điểm chi đoàn",
                excellent_min_points=90,
                good_min_points=75,
                completed_min_points=50,
            )
            Criterion.objects.bulk_create(
                Criterion(frame=frame, group=g, text=t, max_points=m, order=i) for i, (g, t, m) in enumerate(CARD)
            )


def _deadlines(period: RatingPeriod, year: int) -> None:
    due = {
        "chi-doan": date(year, 10, 31),
        "trung-gian": date(year, 11, 5),
        "co-so": date(year, 11, 10),
        "chi-doan-co-so": date(year, 11, 10),
    }
    for level in Level.objects.all():
        RatingDeadline.objects.get_or_create(
            period=period, level=level, defaults={"due_on": due.get(level.code, date(year, 11, 15))}
        )


def _demo_post(username: str) -> int | None:
    post = Post.objects.filter(user__username=username).first()
    return post.organization_id if post else None


@transaction.atomic
def seed_ratings(*, year: int | None = None, seed: int = 1) -> DemoRatings:
    today = timezone.localdate()
    year = year or today.year
    root = Organization.objects.filter(depth=1).order_by("path").first()
    period, _ = RatingPeriod.objects.get_or_create(
        root=root,
        year=year,
        defaults={
            "title": f"Kiểm điểm, đánh giá, xếp loại chất lượng năm {year}",
            "opens_on": date(year, 10, 1),
            "locks_on": date(year, 12, 31),
        },
    )
    _policies(period, root)
    _deadlines(period, year)
    if Assessment.objects.filter(period=period).exists():
        return DemoRatings(period, skipped=True)
    return DemoRatings(period, created=_assessments(period, random.Random(seed)))


BRANCHES_PER_CHUNK = 2000  # a chunk's members and rows are the only ones held in memory


def _assessments(period: RatingPeriod, rng: random.Random) -> int:
    """Stream the chi đoàn in path order, a chunk at a time: members are read, rated and written
    per chunk, so memory holds the units above chi đoàn level and one chunk at any roster size
    (issue 13: 1–6 M members)."""
    active = Organization.objects.filter(status=Organization.Status.ACTIVE).select_related("level")
    by_path = {o.path: o for o in active.filter(level__is_branch=False)}  # every ancestor of a chi đoàn
    plan = _Plan(period, rng, by_path, _demo_post("bithu.chidoan"), _demo_post("duyet.coso"))
    branches = active.filter(level__is_branch=True).order_by("path")
    created, after = 0, ""
    while chunk := list(branches.filter(path__gt=after)[:BRANCHES_PER_CHUNK]):
        after = chunk[-1].path
        created += plan.write(chunk, _active_members(chunk))
        reset_queries()  # with DEBUG on (make run) Django keeps every statement's SQL: ~0.5 GB at 10⁶ rows
    return created


def _active_members(branches: list[Organization]) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    rows = (
        Member.objects.filter(status=Member.Status.ACTIVE, branch__in=branches)
        .only("pk", "branch_id", "admitted_on", "joined_branch_on", "is_party_member", "status")
        .order_by("branch_id", "pk")
    )
    for m in rows.iterator(chunk_size=5000):
        members.setdefault(m.branch_id, []).append(m)
    return members


class _Plan:
    """The fates drawn branch by branch (same order, same draws as one pass over the tree)."""

    def __init__(self, period, rng, by_path, visitor, demo_grassroots):
        self.period, self.rng, self.by_path = period, rng, by_path
        self.visitor, self.demo_grassroots = visitor, demo_grassroots
        self.waiting_shown = False
        self.quota_left: dict[int, int] = {}
        self.now = timezone.now()

    def write(self, branches: list[Organization], members: dict[int, list[Member]]) -> int:
        submissions, rows = [], []
        for branch in branches:
            self._branch(branch, members.get(branch.pk, []), submissions, rows)
        Submission.objects.bulk_create(submissions, batch_size=2000)
        for submission, row in rows:
            row["submission_id"] = submission.pk
        _insert_assessments([row for _, row in rows])
        return len(rows)

    def _fate(self, branch: Organization, approving: Organization) -> str:
        rng = self.rng
        fate = (
            "draft"
            if branch.pk == self.visitor
            else rng.choices(["approved", "submitted", "late"], [0.7, 0.15, 0.15])[0]
        )
        if approving.pk == self.demo_grassroots and branch.pk != self.visitor and not self.waiting_shown:
            fate, self.waiting_shown = "submitted", True  # the demo approver always has a batch to decide
        return fate

    def _branch(self, branch, members, submissions, rows) -> None:
        period, rng, now = self.period, self.rng, self.now
        ancestors = [self.by_path[p] for p in branch.ancestor_paths() if p in self.by_path]
        approving = rules.member_deciding_grassroots(branch, ancestors) or (ancestors[-1] if ancestors else None)
        if approving is None:
            return
        fate = self._fate(branch, approving)
        if fate == "late":
            return
        eligible = [
            m
            for m in members
            if rules.eligibility(m, on=period.opens_on, min_months=6, exclude_party_members=False).eligible
        ]
        if approving.pk not in self.quota_left:
            self.quota_left[approving.pk] = math.floor(approving.members_total * 0.2)
        status = {"approved": Status.APPROVED, "submitted": Status.SUBMITTED, "draft": Status.DRAFT}[fate]
        submission = Submission(
            period=period,
            unit=branch,
            approving_unit=approving,
            status=status,
            meeting_on=date(period.year, 10, 20),
            attendance=len(eligible),
            attendance_total=len(eligible),
            votes_for=len(eligible),
            votes_against=0,
            submitted_at=now if fate != "draft" else None,
        )
        submissions.append(submission)
        for member in eligible[: 3 if fate == "draft" else None]:
            level = _member_level(rng, self.quota_left, approving.pk)
            rows.append(
                _row(
                    period,
                    status,
                    level,
                    member=member,
                    unit=branch,
                    approving=approving,
                    now=now,
                    submission=submission,
                    participation=rng.randint(90, 100) if level == RatingLevel.HTXSNV else rng.randint(60, 100),
                )
            )
        parent = self.by_path.get(branch.ancestor_paths()[-1]) if branch.depth > 1 else None
        if parent is not None:
            rows.append(
                _row(
                    period,
                    status,
                    _weighted(rng),
                    organization=branch,
                    unit=branch,
                    approving=parent,
                    now=now,
                    submission=submission,
                    subject_type=rules.org_subject_type(branch),  # a chi đoàn cơ sở: "grassroots"
                    points=rng.randint(60, 89),
                )
            )


def _weighted(rng: random.Random) -> str:
    return rng.choices([lv for lv, _ in MIX], [w for _, w in MIX])[0]


def _member_level(rng: random.Random, quota_left: dict[int, int], unit_id: int) -> str:
    """About one in six proposed excellent, never past the cơ sở's 20 % quota."""
    if rng.random() < 0.17 and quota_left[unit_id] > 0:
        quota_left[unit_id] -= 1
        return RatingLevel.HTXSNV
    return _weighted(rng)


def _row(
    period,
    status,
    level,
    *,
    unit,
    approving,
    now,
    submission,
    member=None,
    organization=None,
    subject_type=SubjectType.MEMBER,
    participation=None,
    points=None,
) -> tuple[Submission, dict]:
    """An assessment's column values (its submission's id is known once the batch is written)."""
    decided = status == Status.APPROVED
    return submission, dict(
        period_id=period.pk,
        subject_type=subject_type,
        member_id=member.pk if member else None,
        organization_id=organization.pk if organization else None,
        unit_id=unit.pk,
        approving_unit_id=approving.pk,
        status=status,
        proposed_level=level,
        final_level=level if decided else "",
        approved_at=now if decided else None,
        decision_on=date(period.year, 11, 5) if decided else None,
        decision_number=f"{period.year}/QĐ-XL" if decided else "",
        participation_percent=participation,
        points=points,
    )


def _insert_assessments(rows: list[dict]) -> None:
    """By COPY on PostgreSQL (organizations.services.copy_rows): bulk_create's per-value
    preparation was two thirds of demo_ratings' time (cProfile, 100,000 members). Unnamed
    columns take their defaults."""
    fields = [f for f in Assessment._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    auto = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    defaults = {f.attname: now if f.attname in auto else f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    values = (
        [_json(row.get(f.attname, defaults[f.attname]), f.attname in json_fields) for f in fields] for row in rows
    )
    copy_rows(Assessment._meta.db_table, [f.column for f in fields], values)


def _json(value, is_json: bool):
    return json.dumps(value) if is_json and value is not None else value
