"""Fast member inserts for demo data and large imports: COPY on PostgreSQL, bulk_create elsewhere."""

import csv
import io
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from organizations.text import fold

from .models import Member

# Columns written by COPY; every other column takes its model default below.
COPY_FIELDS = [
    "branch_id", "full_name", "name_folded", "birth_date", "gender", "ethnicity", "religion", "citizen_id",
    "card_number", "admitted_on", "admitted_at", "phone", "email", "address", "education_level", "qualification",
    "political_theory", "occupation", "is_party_member", "party_joined_on", "status", "status_changed_on",
    "joined_branch_on", "created_at", "updated_at",
]


def _row(member: Member, now) -> list:
    values = []
    for field in COPY_FIELDS:
        if field == "name_folded":
            value = fold(member.full_name)
        elif field in ("created_at", "updated_at"):
            value = now
        else:
            value = getattr(member, field)
        values.append("\\N" if value is None else value)
    return values


def insert_members(members: Iterable[Member], batch_size: int = 20000) -> int:
    """Insert unsaved Member objects; returns the number written. Callers run it in a transaction."""
    if connection.vendor != "postgresql":
        batch, count = [], 0
        for member in members:
            member.name_folded = fold(member.full_name)
            batch.append(member)
            if len(batch) >= batch_size:
                Member.objects.bulk_create(batch)
                count, batch = count + len(batch), []
        Member.objects.bulk_create(batch)
        return count + len(batch)
    return _copy_members(members, batch_size)


def _copy_members(members: Iterable[Member], batch_size: int) -> int:
    now = timezone.now().isoformat()
    columns = ", ".join(COPY_FIELDS)
    sql = f"COPY members_member ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for member in members:
            writer.writerow(_row(member, now))
            count += 1
            if count % batch_size == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer)
        if buffer.tell():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return count


def branch_member_counts() -> dict[int, int]:
    """Members on each chi đoàn's roll (those counted in the tree's summary totals)."""
    from django.db.models import Count

    rows = (
        Member.objects.filter(status__in=[Member.Status.ACTIVE, Member.Status.TRANSFERRING])
        .values("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    return dict(rows)
