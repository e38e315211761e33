"""Every change to the tree and to posts: checked, atomic, audited."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import audit, history
from .models import Level, Organization, Post, UnitKind
from .scoping import can_manage_children, can_manage_users
from .signals import unit_merged
from .text import is_blank


def _require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_level_under(level: Level, parent: Organization | None) -> None:
    allowed = set(level.allowed_parents.values_list("pk", flat=True))
    if parent is None:
        if allowed:
            raise ValidationError(f"Cấp “{level.name}” phải có đơn vị cấp trên.")
        return
    if parent.level_id not in allowed:
        raise ValidationError(f"Không thể đặt {level.name} trực thuộc {parent.level.name} “{parent.name}”.")


def adjust_counts(org: Organization, *, members: int = 0, units: int = 0, branches: int = 0, include_self=True):
    """Apply count deltas to ``org``'s ancestors (and itself) in one UPDATE."""
    paths = org.ancestor_paths() + ([org.path] if include_self else [])
    if paths and (members or units or branches):
        Organization.objects.filter(path__in=paths).update(
            members_total=F("members_total") + members,
            units_total=F("units_total") + units,
            branches_total=F("branches_total") + branches,
        )


def rebuild_counts(member_counts: dict[int, int]) -> int:
    """Recompute every node's subtree totals from per-branch member counts (after bulk loads).

    One pass over the tree in path order: each node's figures are added to all its ancestors,
    which the path encodes, so no per-node query is made."""
    rows = list(Organization.objects.order_by("path").values_list("pk", "path", "status", "level__is_branch"))
    step = Organization.steplen
    totals = {path: [0, 0, 0] for _, path, _, _ in rows}
    for pk, path, status, is_branch in rows:
        active = status == Organization.Status.ACTIVE
        own = [member_counts.get(pk, 0), 0, 1 if (active and is_branch) else 0]
        for depth in range(1, len(path) // step + 1):
            prefix = path[: depth * step]
            t = totals[prefix]
            t[0] += own[0]
            t[2] += own[2]
            if prefix != path and active:
                t[1] += 1
    _write_totals([(pk, *totals[path]) for pk, path, _, _ in rows])
    return len(rows)


def add_to_counts(changes: Iterable[tuple[str, int, int, int]]) -> None:
    """Many count changes at once (bulk imports): each (path, members, units, branches) is added to
    the node at ``path`` and to all its ancestors, as ``adjust_counts`` does for one, in one UPDATE.
    Increments, not totals recomputed from a read: a change committed meanwhile is never lost."""
    step = Organization.steplen
    per_path: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path, members, units, branches in changes:  # 10⁵ changes of an import name a few 10⁴ units
        node = per_path[path]
        node[0], node[1], node[2] = node[0] + members, node[1] + units, node[2] + branches
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path, delta in per_path.items():
        for depth in range(1, len(path) // step + 1):
            node = totals[path[: depth * step]]
            for i, value in enumerate(delta):
                node[i] += value
    # in path order, so concurrent imports lock the rows they share in the same order
    _write_totals([(path, *t) for path, t in sorted(totals.items()) if any(t)], add=True)


def _write_totals(values: list[tuple], *, add: bool = False) -> None:
    """Write (pk, members, units, branches) rows, or with ``add`` add (path, members, units,
    branches) to them. bulk_update's CASE expressions took 6 s for 3,700 units; one UPDATE …
    FROM VALUES (PostgreSQL) or executemany (SQLite) takes a fraction."""
    from django.db import connection

    table = Organization._meta.db_table
    key = "path" if add else "id"
    names = ("members_total", "units_total", "branches_total")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            sets = ", ".join(f"{n} = {'o.' + n + ' + ' if add else ''}v.{n}" for n in names)
            execute_values(
                cursor.cursor,
                f"UPDATE {table} AS o SET {sets} FROM (VALUES %s) AS v(k, {', '.join(names)}) WHERE o.{key} = v.k",
                values,
                page_size=5000,
            )
        else:
            sets = ", ".join(f"{n} = {n + ' + ' if add else ''}%s" for n in names)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", [(*v[1:], v[0]) for v in values])


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], batch_size: int = 20000) -> int:
    """Write ``rows`` (values in ``columns``' order, a JSON field's as its text) into ``table``;
    returns how many. On
    PostgreSQL by COPY, ``batch_size`` rows to a buffer: building model instances for
    bulk_create cost more than the COPY itself at 10⁵ rows (members, demo ratings). Elsewhere
    (SQLite) an executemany INSERT of the same rows. The one bulk writer of the apps (import,
    re-import through a temporary table, the file's matching keys, demo data); rows are consumed
    as they come, so a generator keeps a whole file out of memory. Callers run it in a
    transaction."""
    from django.db import connection

    names = ", ".join(columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            plain = ([_plain(v, connection) for v in row] for row in rows)
            for batch in _batches(plain, batch_size):
                cursor.executemany(sql, batch)
                count += len(batch)
            return count
        sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        for batch in _batches(rows, batch_size):
            buffer = io.StringIO()
            csv.writer(buffer).writerows(["\\N" if v is None else v for v in row] for row in batch)
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            count += len(batch)
    return count


def _plain(value, connection):
    """A value as SQLite takes it in a raw row: an aware time as the ORM stores it (naive UTC)."""
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value


def _batches(rows: Iterable, size: int):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class PathAllocator:
    """Hands out tree paths for bulk inserts (seed_demo, Excel import) without treebeard's
    per-node queries: the next free step under each parent is read once, then counted in memory."""

    def __init__(self):
        self._next: dict[str, int] = {}

    def _first_free(self, parent_path: str) -> int:
        depth = len(parent_path) // Organization.steplen + 1
        last = (
            Organization.objects.filter(path__startswith=parent_path, depth=depth)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return Organization._str2int(last[-Organization.steplen :]) + 1 if last else 1

    def child_path(self, parent_path: str) -> str:
        if parent_path not in self._next:
            self._next[parent_path] = self._first_free(parent_path)
        step = self._next[parent_path]
        self._next[parent_path] = step + 1
        depth = len(parent_path) // Organization.steplen + 1
        return Organization._get_path(parent_path, depth, step)


@transaction.atomic
def create_unit(
    *,
    parent: Organization,
    code: str,
    name: str,
    level: Level,
    kind: UnitKind | None = None,
    founded_on: date | None = None,
    by,
) -> Organization:
    """Thành lập đơn vị: the level above creates a unit directly below it."""
    _require(can_manage_children(by, parent))
    if not parent.is_active:
        raise ValidationError("Không thể thành lập đơn vị dưới một đơn vị đã giải thể hoặc hợp nhất.")
    _check_level_under(level, parent)
    code = code.strip().upper()
    if Organization.objects.filter(code=code).exists():
        raise ValidationError(f"Mã đơn vị “{code}” đã được dùng.")
    parent = Organization.objects.get(pk=parent.pk)  # fresh numchild for treebeard
    unit = Organization.objects.add_child(
        parent, dict(code=code, name=name.strip(), level=level, kind=kind, founded_on=founded_on)
    )
    unit = history.keep_off_history(unit)
    adjust_counts(unit, units=1, branches=1 if level.is_branch else 0, include_self=False)
    if level.is_branch:
        Organization.objects.filter(pk=unit.pk).update(branches_total=1)
    audit.record(target=unit, action="create", by=by, organization=parent, to_state=unit.name)
    return unit


@transaction.atomic
def update_unit(*, unit: Organization, name: str, kind: UnitKind | None, founded_on: date | None, by) -> Organization:
    """Đổi tên / cập nhật đơn vị. The code is stable: every import and export keys on it."""
    parent = unit.parent()
    _require(parent is not None and can_manage_children(by, parent))
    old = unit.name
    unit.name, unit.kind, unit.founded_on = name.strip(), kind, founded_on
    unit.save()
    if old != unit.name:
        audit.record(target=unit, action="rename", by=by, organization=parent, from_state=old, to_state=unit.name)
    return unit


@transaction.atomic
def move_unit(
    *, unit: Organization, new_parent: Organization, by, reason: str = "", on_date: date | None = None
) -> Organization:
    """Chuyển đơn vị sang đơn vị cấp trên khác (e.g. after a district is abolished), from
    ``on_date`` (today): the subtree's old paths stay as its past placements (reports as of a date)."""
    old_parent = unit.parent()
    _require(old_parent is not None and can_manage_children(by, old_parent) and can_manage_children(by, new_parent))
    if new_parent.path.startswith(unit.path):
        raise ValidationError("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc nó.")
    if not new_parent.is_active:
        raise ValidationError("Đơn vị cấp trên mới đã giải thể hoặc hợp nhất.")
    if new_parent.pk == old_parent.pk:
        raise ValidationError("Đơn vị đã trực thuộc đơn vị này.")
    _check_level_under(unit.level, new_parent)
    unit = Organization.objects.get(pk=unit.pk)
    moved_units = unit.units_total + (1 if unit.is_active else 0)
    adjust_counts(old_parent, members=-unit.members_total, units=-moved_units, branches=-unit.branches_total)
    history.record_subtree_leaving(unit.path, on_date or timezone.localdate())
    Organization.objects.move(unit, Organization.objects.get(pk=new_parent.pk), "last-child")
    unit = history.keep_off_history(Organization.objects.get(pk=unit.pk))
    adjust_counts(unit, members=unit.members_total, units=moved_units, branches=unit.branches_total, include_self=False)
    audit.record(
        target=unit,
        action="move",
        by=by,
        organization=new_parent,
        from_state=old_parent.name,
        to_state=new_parent.name,
        reason=reason,
    )
    return unit


@transaction.atomic
def merge_unit(
    *, source: Organization, target: Organization, by, reason: str, on_date: date | None = None
) -> Organization:
    """Hợp nhất: ``source`` joins ``target`` (same level); its sub-units move under ``target`` and
    the apps above move its members (``unit_merged``). The merged unit keeps its history."""
    parent = source.parent()
    _require(
        parent is not None and can_manage_children(by, parent) and can_manage_children(by, target.parent() or target)
    )
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError("Không thể hợp nhất một đơn vị vào chính nó hoặc đơn vị trực thuộc nó.")
    if source.level_id != target.level_id:
        raise ValidationError("Chỉ hợp nhất được hai đơn vị cùng cấp.")
    if not (source.is_active and target.is_active):
        raise ValidationError("Cả hai đơn vị phải đang hoạt động.")
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do hợp nhất.")
    for child in list(source.direct_children().filter(status=Organization.Status.ACTIVE)):
        move_unit(
            unit=child, new_parent=target, by=by, reason=f"Hợp nhất {source.name} vào {target.name}", on_date=on_date
        )
    unit_merged.send(
        sender=Organization, source=source, target=target, by=by, on_date=on_date or timezone.localdate(), reason=reason
    )
    source = Organization.objects.get(pk=source.pk)
    _close(source, Organization.Status.MERGED, on_date, merged_into=target)
    audit.record(
        target=source,
        action="merge",
        by=by,
        organization=parent,
        from_state=source.name,
        to_state=target.name,
        reason=reason,
    )
    return source


@transaction.atomic
def dissolve_unit(*, unit: Organization, by, reason: str, on_date: date | None = None) -> Organization:
    """Giải thể: only an empty unit (no active sub-unit, no member); its records stay."""
    parent = unit.parent()
    _require(parent is not None and can_manage_children(by, parent))
    unit = Organization.objects.get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError("Đơn vị đã giải thể hoặc hợp nhất.")
    if unit.direct_children().filter(status=Organization.Status.ACTIVE).exists():
        raise ValidationError("Đơn vị còn đơn vị trực thuộc đang hoạt động: hãy chuyển hoặc giải thể chúng trước.")
    if unit.members_total:
        raise ValidationError(f"Đơn vị còn {unit.members_total} đoàn viên: hãy chuyển sinh hoạt cho họ trước.")
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do giải thể.")
    _close(unit, Organization.Status.DISSOLVED, on_date)
    audit.record(target=unit, action="dissolve", by=by, organization=parent, reason=reason)
    return unit


def _close(unit: Organization, status: str, on_date: date | None, merged_into=None) -> None:
    was_branch = unit.level.is_branch
    unit.status, unit.ended_on, unit.merged_into = status, on_date or timezone.localdate(), merged_into
    unit.save(update_fields=["status", "ended_on", "merged_into"])
    adjust_counts(unit, units=-1, include_self=False)
    if was_branch:
        adjust_counts(unit, branches=-1)


@transaction.atomic
def assign_post(*, user, organization: Organization, role: str, title: str = "", started_on=None, by) -> Post:
    """Giao chức vụ: administrators give posts inside their own scope."""
    _require(can_manage_users(by, organization))
    if Post.objects.filter(user=user, organization=organization, role=role, ended_on__isnull=True).exists():
        raise ValidationError("Người dùng đã giữ vai trò này tại đơn vị này.")
    post = Post.objects.create(user=user, organization=organization, role=role, title=title, started_on=started_on)
    audit.record(
        target=post,
        action="assign",
        by=by,
        organization=organization,
        to_state=f"{user.username}: {post.get_role_display()}",
    )
    return post


@transaction.atomic
def end_post(*, post: Post, by, on_date: date | None = None) -> Post:
    _require(can_manage_users(by, post.organization))
    post.ended_on = on_date or timezone.localdate()
    post.save(update_fields=["ended_on"])
    audit.record(
        target=post,
        action="end",
        by=by,
        organization=post.organization,
        from_state=f"{post.user.username}: {post.get_role_display()}",
    )
    return post


@transaction.atomic
def create_user(
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    organization: Organization,
    role: str,
    title: str = "",
    by,
):
    """Tạo tài khoản: a new user always starts with a post, so they never sit outside every scope."""
    from django.contrib.auth import get_user_model

    _require(can_manage_users(by, organization))
    first, _, last = full_name.strip().rpartition(" ")
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, first_name=first, last_name=last or full_name
    )
    assign_post(user=user, organization=organization, role=role, title=title, by=by)
    return user


@transaction.atomic
def set_user_active(*, user, active: bool, by):
    """Khóa / mở khóa tài khoản: only when every post of the user lies in the admin's scope."""
    _require(all(can_manage_users(by, p.organization) for p in user.posts.select_related("organization")))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(target=user, action="activate" if active else "deactivate", by=by)
    return user
