"""Which chi đoàn a member was in on a past day, and whether they were on the roll (issue 18).

A member's past chi đoàn spells are ``PastBranch`` rows, written by ``record_leaving`` on every
path that changes ``Member.branch`` (accepting a transfer, a merge, a re-import); a member who
never moved has none, so the rollup's join over them stays small. Being on the roll on a day is
read from the record the lifecycle services keep: admitted by then, and still on the roll or
left (matured, removed, deceased: ``status_changed_on``) after it."""

from datetime import date

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from organizations.history import valid_on

from .models import ON_ROLL, Member, PastBranch


def record_leaving(members: QuerySet, on_date: date) -> int:
    """Before ``members`` change chi đoàn on ``on_date``: each keeps the one they leave as a past
    spell, from the end of their previous one. One INSERT … SELECT whatever their number."""
    try:
        ids_sql, params = members.values("pk").query.sql_with_params()
    except EmptyResultSet:  # nobody to move (an empty chi đoàn merged)
        return 0
    _refuse_before_last_move(members, on_date)
    table, members_table = PastBranch._meta.db_table, Member._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (member_id, branch_id, valid_from, valid_to)
                SELECT m.id, m.branch_id, (SELECT MAX(p.valid_to) FROM {table} p WHERE p.member_id = m.id), %s
                FROM {members_table} m WHERE m.id IN ({ids_sql})""",
            [on_date, *params],
        )
        return cursor.rowcount


def _refuse_before_last_move(members: QuerySet, on_date: date) -> None:
    """A move dated before a member's last recorded one would give a spell ending before it began,
    overlapping the later one: refused, naming the member and the day to choose from."""
    later = (
        PastBranch.objects.filter(member__in=members.values("pk"), valid_to__gt=on_date)
        .select_related("member", "branch")
        .order_by("-valid_to")
        .first()
    )
    if later is not None:
        raise ValidationError(
            f"Không thể ghi đoàn viên {later.member.full_name} chuyển chi đoàn từ ngày {on_date:%d/%m/%Y}: hồ sơ "
            f"đã ghi đoàn viên rời {later.branch.name} ngày {later.valid_to:%d/%m/%Y}, sau ngày đó. "
            f"Chọn ngày từ {later.valid_to:%d/%m/%Y} trở đi."
        )


def record_rewritten(new_branches: dict[int, int], on_date: date) -> int:
    """Before a bulk rewrite (re-import) sets {member id: chi đoàn id}: those whose chi đoàn
    changes keep the old one (``record_leaving``)."""
    current = Member.objects.filter(pk__in=list(new_branches)).values_list("pk", "branch_id")
    moved = [pk for pk, branch_id in current if new_branches[pk] != branch_id]
    return record_leaving(Member.objects.filter(pk__in=moved), on_date) if moved else 0


def record_rewritten_from(table: str, on_date: date) -> int:
    """``record_rewritten`` for rows (id, branch_id) waiting in ``table`` (PostgreSQL's COPY path)."""
    moved = RawSQL(
        f"SELECT u.id FROM {table} u JOIN {Member._meta.db_table} c ON c.id = u.id WHERE u.branch_id <> c.branch_id", ()
    )
    return record_leaving(Member.objects.filter(pk__in=moved), on_date)


def on_roll_on(day: date) -> Q:
    """On a chi đoàn's roll on ``day``: admitted by then, and still on it or left after it."""
    admitted = Q(admitted_on__isnull=True) | Q(admitted_on__lte=day)
    return admitted & (Q(status__in=ON_ROLL) | Q(status_changed_on__gt=day))


def with_branch_on(qs: QuerySet, day: date, name: str) -> QuerySet:
    """Members annotated with the id of their chi đoàn on ``day`` as ``name``."""
    alias = f"{name}_row"
    return qs.annotate(**{alias: FilteredRelation("past_branches", condition=valid_on("past_branches", day))}).annotate(
        **{name: Coalesce(F(f"{alias}__branch_id"), F("branch_id"))}
    )
