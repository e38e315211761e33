"""Which saved member each row of a members file updates, found in the database by the file's keys.

The file's keys (CCCD, card number, folded name + birth date + chi đoàn) go into a temporary
table, joined there with the members table; only the members a row names come back. A file of
100,000 rows naming every chi đoàn of the country used to load every member of those chi đoàn
into Python (at 1,000,000 members, most of an import's memory); now what is read is at most
three members a row, whatever the database's size. The same SQL runs on PostgreSQL and SQLite (the table
filled by organizations.services.copy_rows)."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from organizations.services import copy_rows

from .models import Member

KEYS = "members_import_keys"
KEY_COLUMNS = ("row_number", "citizen_id", "card_number", "name_folded", "birth_date", "branch_id")
SAVED = "m.id, m.branch_id, m.citizen_id, m.card_number"
JOINS = {
    "citizen_id": "m.citizen_id = k.citizen_id",
    "card_number": "m.card_number = k.card_number",
    "person": "m.name_folded = k.name_folded AND m.birth_date = k.birth_date AND m.branch_id = k.branch_id",
}


@dataclass(frozen=True, slots=True)
class Saved:
    """What matching needs of a saved member (no model instance: 10⁵ of them)."""

    pk: int
    branch_id: int
    citizen_id: str | None
    card_number: str | None


def _fill(cursor, keys: dict[int, tuple]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {KEYS}")
    cursor.execute(
        f"CREATE TEMP TABLE {KEYS} (row_number integer PRIMARY KEY, citizen_id varchar(12), "
        "card_number varchar(30), name_folded varchar(120), birth_date date, branch_id integer)"
    )
    rows = ((n, cid, card, *(person or (None, None, None))) for n, (cid, card, person) in keys.items())
    copy_rows(KEYS, KEY_COLUMNS, rows)
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {KEYS}")  # the planner's row estimate for a fresh table is a guess


def _found(cursor, join: str) -> dict[int, Saved]:
    """Row number -> the saved member ``join`` finds for it (the oldest, should several)."""
    table = Member._meta.db_table
    cursor.execute(f"SELECT k.row_number, {SAVED} FROM {KEYS} k JOIN {table} m ON {join} ORDER BY m.id DESC")
    # row by row from the cursor: a list of 10⁵ result tuples beside the dict was a re-import's peak
    return {number: Saved(pk, branch_id, cid, card) for number, pk, branch_id, cid, card in cursor}


def saved_members(keys: dict[int, tuple]) -> tuple[dict[int, Saved], dict[int, Saved], dict[int, Saved]]:
    """For each way of matching (CCCD, card number, person), row number -> the saved member it
    finds. ``keys``: row number -> (CCCD, card number, (folded name, birth date, chi đoàn id) or None)."""
    if not keys:
        return {}, {}, {}
    with transaction.atomic(), connection.cursor() as cursor:
        _fill(cursor, keys)
        with _index_lookups(cursor):
            found = tuple(_found(cursor, JOINS[way]) for way in ("citizen_id", "card_number", "person"))
        cursor.execute(f"DROP TABLE {KEYS}")
    return found


@contextmanager
def _index_lookups(cursor):
    """Each key looked up in the members' indexes (a nested loop), not the members table read
    whole to hash it: PostgreSQL's costs pick the hash join once a file has a few 10⁴ rows, and
    at 6·10⁶ members that read 1.2 GB per way of matching (2.3 s each, 6.5 s a file) where the
    lookups take 0.1-0.5 s. Their cost is the file's, whatever the database's size. For this
    transaction only, and set back before the import writes."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
    try:
        yield
    finally:
        cursor.execute("SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT")


def match_rows(keys: dict[int, tuple]) -> tuple[dict[int, Saved], dict[int, str]]:
    """Row number -> the saved member it updates, and row number -> why its identifiers conflict.

    By CCCD, else card number, else name + birth date + chi đoàn — the last only for a saved member
    who lacks the identifiers the row gives (a CCCD filled in later must not create a second
    record; a different CCCD on file means a different person). A card number already held by a
    member with another CCCD is a conflict, never an overwrite."""
    by_cid, by_card, by_person = saved_members(keys)
    matches, conflicts = {}, {}
    for number, (cid, card, _) in keys.items():
        by_id, by_number = by_cid.get(number), by_card.get(number)
        if by_id and by_number and by_id.pk != by_number.pk:
            conflicts[number] = "Số thẻ đoàn này thuộc về một đoàn viên khác với số CCCD của dòng."
        elif by_number and not by_id and cid and by_number.citizen_id:
            conflicts[number] = "Số thẻ đoàn này đang thuộc về một đoàn viên có số CCCD khác."
        elif by_id or by_number:
            matches[number] = by_id or by_number
        elif (saved := by_person.get(number)) is not None:
            if not (cid and saved.citizen_id) and not (card and saved.card_number):
                matches[number] = saved
    return matches, conflicts
