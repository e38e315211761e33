"""The daily reminders at scale on PostgreSQL: queries, seconds and peak RSS of send_reminders.

    .venv/bin/python bench/reminders.py [BRANCHES]      (default 20.000 chi đoàn)
    .venv/bin/python bench/reminders.py --into DATABASE_URL

``--into`` runs on an existing database, a clone of doanhub_1m_base (never that database itself,
nor anyone else's): the whole tree as it is, every active unit without an officer given one (a
secretary with an email at each chi đoàn, an approver elsewhere), a rating period over the whole
tree (chi đoàn 8 days late, cơ sở due in 3 days), and "1+2" in every province (5 departments
with a head, 6 staff each, nobody's quarter plan registered, 3 visits each not reported, their
deadlines 1, 3 and 6 days ago). Mail goes to the file backend in a temporary folder, so memory
holds one chunk, not the nation's mail. It prints the tree's size: the nation has about
200.000 chi đoàn, so a clone with fewer is scaled by its own figures (the run is chunked, each
chunk a constant number of queries), and says so.

Without ``--into``:

Seeds the demo tree (seed_demo, 2.000 members) in its own database (doanhub_bench_reminders),
adds BRANCHES chi đoàn under 20 chi đoàn per new đoàn cơ sở of the first province (rows in bulk),
a secretary with an email per chi đoàn and an approver per cơ sở, and a rating period whose chi
đoàn deadline was 8 days ago (so every unit gets an overdue notice and both escalation digests),
then runs send_reminders as a dry run (the reads alone: nothing written, no mail), then twice
with the locmem mail backend (the second run must send nothing; the mail stays in memory, so the
first run's time and RSS include rendering and holding 21,000 mails)."""

import os
import sys
import tempfile
from datetime import date, timedelta

from _setup import peak_rss_mb, setup, timed

PER_GRASSROOTS = 20


def build(branches: int, today: date):
    from django.contrib.auth import get_user_model

    from evaluations.models import RatingDeadline, RatingPeriod
    from members import demo
    from organizations.models import Level, Organization, Post
    from organizations.services import PathAllocator

    demo.seed(members=2000, seed=4)
    province = Organization.objects.filter(level__code="tinh").order_by("path").first()
    paths, levels = PathAllocator(), {lv.code: lv for lv in Level.objects.all()}
    bases = [
        Organization(
            path=paths.child_path(province.path),
            code=f"R-{i:05d}",
            name=f"Đoàn xã nhắc hạn {i}",
            name_folded=f"doan xa nhac han {i}",
            level=levels["co-so"],
            depth=province.depth + 1,
            numchild=PER_GRASSROOTS,
        )
        for i in range(branches // PER_GRASSROOTS)
    ]
    Organization.objects.bulk_create(bases, batch_size=5000)
    units = [
        Organization(
            path=paths.child_path(base.path),
            code=f"{base.code}-{j:02d}",
            name=f"Chi đoàn {j} {base.name}",
            name_folded=f"chi doan {j}",
            level=levels["chi-doan"],
            depth=base.depth + 1,
            numchild=0,
        )
        for base in bases
        for j in range(PER_GRASSROOTS)
    ]
    Organization.objects.bulk_create(units, batch_size=5000)
    User = get_user_model()
    people = [User(username=f"bt.{u.code}", email=f"bt.{u.code}@example.vn", password="!") for u in units]
    people += [User(username=f"dy.{b.code}", email=f"dy.{b.code}@example.vn", password="!") for b in bases]
    User.objects.bulk_create(people, batch_size=5000)
    ids = dict(User.objects.filter(username__in=[p.username for p in people]).values_list("username", "pk"))
    org_ids = dict(Organization.objects.filter(code__startswith="R-").values_list("code", "pk"))
    posts = [Post(user_id=ids[f"bt.{u.code}"], organization_id=org_ids[u.code], role="secretary") for u in units]
    posts += [Post(user_id=ids[f"dy.{b.code}"], organization_id=org_ids[b.code], role="approver") for b in bases]
    Post.objects.bulk_create(posts, batch_size=5000)
    period = RatingPeriod.objects.create(
        year=today.year, root=province, opens_on=today - timedelta(days=60), locks_on=today + timedelta(days=60)
    )
    RatingDeadline.objects.create(period=period, level=levels["chi-doan"], due_on=today - timedelta(days=8))
    RatingDeadline.objects.create(period=period, level=levels["co-so"], due_on=today + timedelta(days=3))


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def officers(today: date) -> int:
    """An officer at every active unit that has none: a secretary (with an email) at each chi
    đoàn, an approver at each other unit. Returns how many were added."""
    from django.contrib.auth import get_user_model

    from notifications.recipients import open_on
    from organizations.models import Organization, Post

    User = get_user_model()
    held = set(Post.objects.filter(open_on(today)).values_list("organization_id", flat=True))
    units = list(
        Organization.objects.filter(status=Organization.Status.ACTIVE)
        .exclude(pk__in=held)
        .values_list("pk", "code", "level__is_branch")
    )
    people = [User(username=f"bench.{code}", email=f"bench.{code}@example.vn", password="!") for _, code, _ in units]
    User.objects.bulk_create(people, batch_size=5000, ignore_conflicts=True)
    ids = dict(User.objects.filter(username__startswith="bench.").values_list("username", "pk"))
    posts = [
        Post(user_id=ids[f"bench.{code}"], organization_id=pk, role="secretary" if branch else "approver")
        for pk, code, branch in units
    ]
    Post.objects.bulk_create(posts, batch_size=5000)
    return len(posts)


def fieldwork_staff(today: date) -> tuple[int, int]:
    """ "1+2" in every province: 5 departments (a head each) of 6 staff, none with this quarter's
    plan registered, each with 3 consented visits not reported (deadlines 1, 3, 6 days ago)."""
    from django.contrib.auth import get_user_model

    from fieldwork.models import Department, PlannedVisit, StaffAssignment
    from organizations.models import Organization, Post

    User = get_user_model()
    provinces = list(Organization.objects.filter(level__code="tinh", status=Organization.Status.ACTIVE))
    targets = {
        p.pk: Organization.objects.filter(path__startswith=p.path, level__is_grassroots=True).values_list(
            "pk", flat=True
        )[:3]
        for p in provinces
    }
    names = [(p, k, i) for p in provinces for k in range(5) for i in range(7)]  # i == 0: the head
    User.objects.bulk_create([User(username=f"bench.fw.{p.pk}.{k}.{i}", password="!") for p, k, i in names])
    ids = dict(User.objects.filter(username__startswith="bench.fw.").values_list("username", "pk"))
    Post.objects.bulk_create(
        [Post(user_id=ids[f"bench.fw.{p.pk}.{k}.{i}"], organization=p, role="staff") for p, k, i in names]
    )
    depts = Department.objects.bulk_create(
        [
            Department(organization=p, name=f"Ban nhắc hạn {k}", head_id=ids[f"bench.fw.{p.pk}.{k}.0"])
            for p in provinces
            for k in range(5)
        ]
    )
    dept_of = {(d.organization_id, d.name): d for d in depts}
    staff = StaffAssignment.objects.bulk_create(
        [
            StaffAssignment(
                year=today.year,
                user_id=ids[f"bench.fw.{p.pk}.{k}.{i}"],
                department=dept_of[(p.pk, f"Ban nhắc hạn {k}")],
            )
            for p, k, i in names
            if i
        ]
    )
    province_of = {d.pk: d.organization_id for d in depts}
    visits = [
        PlannedVisit(
            assignment=a,
            status=PlannedVisit.Status.CONSENTED,
            target_id=list(targets[province_of[a.department_id]])[n % 3],
            content="survey",
            starts_on=today - timedelta(days=10 + late),
            ends_on=today - timedelta(days=10 + late),
            days=1,
            purpose="bench/reminders",
        )
        for a in staff
        for n, late in enumerate((1, 3, 6))
    ]
    PlannedVisit.objects.bulk_create(visits, batch_size=5000)
    return len(staff), len(visits)


def prepare_clone(today: date) -> None:
    """Once per clone (a period titled "bench/reminders" marks it done)."""
    from evaluations.models import RatingDeadline, RatingPeriod
    from organizations.models import Level, Organization

    if RatingPeriod.objects.filter(title="bench/reminders").exists():
        print("set-up: already prepared", flush=True)
        return
    levels = {lv.code: lv for lv in Level.objects.all()}
    root = Organization.objects.filter(depth=1).order_by("path").first()
    added = officers(today)
    staff, visits = fieldwork_staff(today)
    period = RatingPeriod.objects.create(
        year=today.year + 1,
        root=root,
        title="bench/reminders",
        opens_on=today - timedelta(days=60),
        locks_on=today + timedelta(days=60),
    )
    RatingDeadline.objects.create(period=period, level=levels["chi-doan"], due_on=today - timedelta(days=8))
    RatingDeadline.objects.create(period=period, level=levels["co-so"], due_on=today + timedelta(days=3))
    print(f"set-up: {added} officers added, {staff} staff of 1+2 with {visits} unreported visits", flush=True)


def national(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if name == "doanhub_1m_base":
        sys.exit("bench/reminders.py --into: clone doanhub_1m_base first (createdb -T); never the base itself")
    os.environ["BENCH_DATABASE_URL"] = url
    setup("reminders")
    from django.conf import settings

    from evaluations.models import RatingDeadline
    from organizations.models import Organization

    prepare_clone(date.today())
    # The day the clone was prepared for, whenever it runs (8 days after the chi đoàn deadline):
    # run on another day, the reminders due would be others and the figures not comparable.
    today = RatingDeadline.objects.get(period__title="bench/reminders", level__code="chi-doan").due_on + timedelta(
        days=8
    )
    branches = Organization.objects.filter(level__code="chi-doan", status=Organization.Status.ACTIVE).count()
    units = Organization.objects.filter(status=Organization.Status.ACTIVE).count()
    print(
        f"tree: {branches} active chi đoàn of {units} active units (the nation: about 200.000 chi đoàn); day {today:%d/%m/%Y}"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    with tempfile.TemporaryDirectory() as mails:
        settings.EMAIL_FILE_PATH = mails
        figures = runs(today)
        print(f"mail files written: {len(os.listdir(mails))}")
    first = figures["first run"]
    scale = 200_000 / branches
    print(
        f"scaled to 200.000 chi đoàn (×{scale:.2f}, linear: constant queries a chunk): "
        f"first run ≈ {first * scale / 60:.1f} min"
    )


def runs(today: date) -> dict[str, float]:
    """A dry run (the reads alone), then the run, then a second run that must send nothing."""
    from django.db import connection

    from notifications.reminders import send_reminders

    results: dict[str, float] = {}
    for label, dry_run in (("dry run", True), ("first run", False), ("second run", False)):
        counter = Counter()
        with connection.execute_wrapper(counter), timed(label, results):
            made = send_reminders(today=today, dry_run=dry_run)
        print(
            f"{label}: {made} notifications, {counter.n} queries, {results[label]:.1f} s, "
            f"peak RSS {peak_rss_mb():.0f} MB, load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return results


def main():
    if sys.argv[1:2] == ["--into"]:
        return national(sys.argv[2])
    branches = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    setup("reminders", fresh=True)
    from django.conf import settings
    from django.core import mail
    from django.test.utils import setup_test_environment

    from notifications.models import Notification

    setup_test_environment()  # gives mail.outbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = date.today()
    results: dict[str, float] = {}
    with timed("set-up", results):
        build(branches, today)
    print(f"set-up: {branches} chi đoàn, {results['set-up']:.1f} s, RSS {peak_rss_mb():.0f} MB", flush=True)
    runs(today)
    print(f"{len(mail.outbox)} mails; rows: {Notification.objects.count()} notifications")


if __name__ == "__main__":
    main()
