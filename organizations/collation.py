"""Natural Vietnamese order in the database (issue 15): a ă â b c d đ e …, "số 2" before "số 10",
the same on both databases under one name, so one ``order_by`` serves pages and workbooks.

PostgreSQL: the ICU collation ``vn_natural`` (locale ``vi-u-kn-true``: Vietnamese letters,
numbers by value) and the function ``vn_given_name``, created by
organizations/migrations/0006_natural_order.py. SQLite: the same names registered on every new
connection, in Python, from ``organizations.text.vn_sort_key`` (which the tests hold equal to ICU).

People sort as a Vietnamese list does: by tên (the given name, the last word), then họ đệm
(family and middle names): "Trần Văn An" before "Nguyễn Thị Bình"."""

from functools import lru_cache

from django.db.backends.signals import connection_created
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Collate, Concat
from django.db.models.lookups import Exact, GreaterThan

from .text import vn_sort_key

COLLATION = "vn_natural"
GIVEN_NAME = "vn_given_name"
ICU_LOCALE = "vi-u-kn-true"


def given_name(full_name: str | None) -> str:
    """The tên of a full name: its last word ("Nguyễn Thị Bình" → "Bình")."""
    words = (full_name or "").split()
    return words[-1] if words else ""


def person_sort_key(full_name: str | None) -> tuple:
    """``person_order`` in Python, for lists sorted in memory (workbooks)."""
    return vn_sort_key(given_name(full_name)), vn_sort_key(full_name)


def vn_order(field: str) -> Collate:
    """``field`` in natural Vietnamese order: ``order_by(vn_order("name"), "pk")``."""
    return Collate(F(field), COLLATION)


def given_name_of(field: str) -> Func:
    return Func(F(field), function=GIVEN_NAME, output_field=TextField())


def person_order(field: str = "full_name", *, unindexed: bool = False) -> tuple[Collate, Collate]:
    """The keys of a list of people: tên, then the whole name (họ đệm breaking ties of tên).
    ``unindexed`` gives the same order through expressions no index matches, so that under a
    search the planner sorts the few matches rather than walking an index hoping to meet them
    (members.selectors.name_order says when)."""
    given, full = given_name_of(field), F(field)
    if unindexed:
        given, full = Concat(given, Value("")), Concat(full, Value(""))
    return Collate(given, COLLATION), Collate(full, COLLATION)


def after_person(full_name: str, pk: int, field: str = "full_name") -> Q:
    """The rows after (``full_name``, ``pk``) in ``person_order`` then pk: a keyset page's filter,
    comparing under the same collation as the ORDER BY (else a page would skip or repeat rows)."""
    given_key, full_key = person_order(field)
    given = Value(given_name(full_name))
    name = Value(full_name)
    return (
        Q(GreaterThan(given_key, given))
        | Q(Exact(given_key, given), GreaterThan(full_key, name))
        | Q(Exact(given_key, given), Exact(full_key, name), pk__gt=pk)
    )


@lru_cache(maxsize=65536)
def _key(text: str) -> tuple:
    return vn_sort_key(text)


def _compare(a: str, b: str) -> int:
    ka, kb = _key(a), _key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection the collation and function PostgreSQL has from the migration."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_collation(COLLATION, _compare)
    raw.create_function(GIVEN_NAME, 1, given_name, deterministic=True)


connection_created.connect(register_sqlite, dispatch_uid="organizations.collation")
