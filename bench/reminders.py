"""The daily reminders at scale on PostgreSQL: queries, seconds and peak RSS of send_reminders.

    .venv/bin/python bench/reminders.py [BRANCHES]      (default 20.000 chi đoàn)

Seeds the demo tree (seed_demo, 2.000 members) in its own database (doanhub_bench_reminders),
adds BRANCHES chi đoàn under 20 chi đoàn per new đoàn cơ sở of the first province (rows in bulk),
a secretary with an email per chi đoàn and an approver per cơ sở, and a rating period whose chi
đoàn deadline was 8 days ago (so every unit gets an overdue notice and both escalation digests),
then runs send_reminders as a dry run (the reads alone: nothing written, no mail), then twice
with the locmem mail backend (the second run must send nothing; the mail stays in memory, so the
first run's time and RSS include rendering and holding 21,000 mails)."""

import sys
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


def main():
    branches = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    setup("reminders", fresh=True)
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import setup_test_environment

    from notifications.models import Notification
    from notifications.reminders import send_reminders

    setup_test_environment()  # gives mail.outbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = date.today()
    results: dict[str, float] = {}
    with timed("set-up", results):
        build(branches, today)
    print(f"set-up: {branches} chi đoàn, {results['set-up']:.1f} s, RSS {peak_rss_mb():.0f} MB", flush=True)
    for label, dry_run in (("dry run", True), ("first run", False), ("second run", False)):
        counter = Counter()
        with connection.execute_wrapper(counter), timed(label, results):
            made = send_reminders(today=today, dry_run=dry_run)
        print(
            f"{label}: {made} notifications, {len(mail.outbox)} mails so far, {counter.n} queries, "
            f"{results[label]:.1f} s, peak RSS {peak_rss_mb():.0f} MB",
            flush=True,
        )
    print(f"rows: {Notification.objects.count()} notifications")


if __name__ == "__main__":
    main()
