"""Factories shared by every app's tests: units, users with posts, members."""

import re
import zipfile
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from members.bulk import branch_member_counts
from members.models import Member
from organizations.models import Level, Organization, Post
from organizations.services import rebuild_counts

PASSWORD = "matkhau-Test-123"


def level(code: str) -> Level:
    return Level.objects.get(code=code)


def make_unit(
    parent: Organization | None, code: str, name: str | None = None, level_code: str = "chi-doan", **extra
) -> Organization:
    """A unit placed directly with treebeard (no permission check: test set-up only)."""
    fields = {"code": code, "name": name or f"Đơn vị {code}", "level": level(level_code), **extra}
    if parent is None:
        return Organization.objects.add_root(fields)
    return Organization.objects.add_child(Organization.objects.get(pk=parent.pk), fields)


def refresh_counts() -> None:
    rebuild_counts(branch_member_counts())


def make_user(username: str, role: str | None = None, org: Organization | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role and org:
        Post.objects.create(user=user, organization=org, role=role)
    return user


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Iterator(["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Đặng Minh Đức"])
    birth_date = factory.Sequence(lambda n: date(1998 + n % 8, 1 + n % 12, 1 + n % 28))
    gender = factory.Iterator(["nam", "nu"])
    citizen_id = factory.Sequence(lambda n: f"{n + 1:012d}")
    card_number = factory.Sequence(lambda n: f"DV{n + 1:08d}")
    # admitted a little after turning 16, so every factory member passes the 16–30 rule
    admitted_on = factory.LazyAttribute(
        lambda m: date(m.birth_date.year + 16, m.birth_date.month, 1) + timedelta(days=62)
    )
    joined_branch_on = factory.LazyAttribute(lambda m: m.admitted_on)
    status = Member.Status.ACTIVE


def patched(path, cells: dict[str, str], *, after: dict[str, str] | None = None):
    """The workbook with some cells' XML replaced (``cells``) or added at the end of a row
    (``after``: row number → XML): what Excel or a crafted file writes and openpyxl will not."""
    out = path.with_name(f"patched-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, xml in cells.items():
                    text, found = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, text)
                    assert found == 1, ref
                for row, xml in (after or {}).items():
                    text, found = re.subn(rf'(<row r="{row}"[^>]*>.*?)</row>', rf"\1{xml}</row>", text)
                    assert found == 1, row
                data = text.encode()
            target.writestr(item, data)
    return out


def wait_until(job, finished, timeout: float = 60):
    """Poll a job row a real worker is running until ``finished(job)``; its last state if so."""
    import time

    from django.db import OperationalError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            job.refresh_from_db()
        except OperationalError as exc:
            # SQLite's in-memory test database (shared cache) locks a table the worker thread is
            # writing instead of waiting: look again (a file database, as in production, waits)
            if "locked" not in str(exc):
                raise
        else:
            if finished(job):
                return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {timeout} s")
