"""Fast member writes for demo data and large imports, through organizations.services.copy_rows
(COPY on PostgreSQL, an executemany INSERT elsewhere)."""

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from organizations.services import copy_rows
from organizations.text import fold

from . import history
from .models import ON_ROLL, Member

# Columns written by COPY; every other column takes its model default below.
COPY_FIELDS = [
    "branch_id",
    "full_name",
    "name_folded",
    "birth_date",
    "gender",
    "ethnicity",
    "religion",
    "citizen_id",
    "card_number",
    "admitted_on",
    "admitted_at",
    "phone",
    "email",
    "address",
    "education_level",
    "qualification",
    "political_theory",
    "occupation",
    "is_party_member",
    "party_joined_on",
    "status",
    "status_changed_on",
    "joined_branch_on",
    "updated_by_id",
    "created_at",
    "updated_at",
]


DEFAULTS = {f.attname: f.get_default() for f in Member._meta.concrete_fields if f.attname in COPY_FIELDS}


def _row(member: dict, now) -> list:
    """One row of COPY_FIELDS: model defaults, then the given values, with the search key folded here."""
    values = []
    for field in COPY_FIELDS:
        if field == "name_folded":
            value = fold(member["full_name"])
        elif field in ("created_at", "updated_at"):
            value = now
        else:
            value = member.get(field, DEFAULTS[field])
        values.append(value)
    return values


def insert_members(members: Iterable[dict], batch_size: int = 20000) -> int:
    """Insert members given as dicts of field values (``branch_id``, ``full_name``, …); returns the
    number written. Dicts, not model instances: building 10⁶ instances costs more than the COPY.
    Callers run it in a transaction."""
    now = timezone.now()
    return insert_rows((_row(member, now) for member in members), batch_size)


def insert_rows(rows: Iterable[list], batch_size: int = 20000) -> int:
    """Insert members given as whole rows of COPY_FIELDS (the importer builds its own)."""
    return copy_rows(Member._meta.db_table, COPY_FIELDS, rows, batch_size)


def update_members(members: Iterable[dict], fields: list[str], batch_size: int = 20000) -> int:
    """Write ``fields`` of existing members given as dicts with their ``id`` (re-imports): on
    PostgreSQL, COPY into a temporary table and one UPDATE … FROM; elsewhere bulk_update.
    The dicts are consumed as they come (a generator keeps 10⁵ rows out of memory).
    Callers run it in a transaction."""
    names = [Member._meta.get_field(f).attname for f in fields if f != "id"]
    names = list(dict.fromkeys([*names, "name_folded", "updated_at"]))
    now = timezone.now()
    rows = ({**m, "name_folded": fold(m["full_name"]), "updated_at": now} for m in members)
    if connection.vendor != "postgresql":
        objs = [Member(**{k: v for k, v in row.items() if k in names or k == "id"}) for row in rows]
        if "branch_id" in names:  # a member re-imported into another chi đoàn keeps the old one (issue 18)
            history.record_rewritten({o.pk: o.branch_id for o in objs}, timezone.localdate())
        Member.objects.bulk_update(objs, [Member._meta.get_field(n).name for n in names], batch_size=1000)
        return len(objs)
    columns = [Member._meta.get_field(n).column for n in names]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS member_update")
        cursor.execute(
            f"CREATE TEMP TABLE member_update AS SELECT id, {', '.join(columns)} FROM members_member WITH NO DATA"
        )
        values = ([row["id"], *(row.get(n) for n in names)] for row in rows)
        count = copy_rows("member_update", ["id", *columns], values, batch_size)
        if "branch_id" in names:
            history.record_rewritten_from("member_update", timezone.localdate())
        assignments = ", ".join(f"{c} = u.{c}" for c in columns)
        cursor.execute(f"UPDATE members_member m SET {assignments} FROM member_update u WHERE m.id = u.id")
        cursor.execute("DROP TABLE member_update")
    return count


def branch_member_counts() -> dict[int, int]:
    """Members on each chi đoàn's roll (those counted in the tree's summary totals)."""
    from django.db.models import Count

    rows = (
        Member.objects.filter(status__in=ON_ROLL)
        .values("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    return dict(rows)
