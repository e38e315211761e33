"""What the imports' speed at national scale rests on in the schema (issue 13): the members table
carries no index that nothing reads, the person key has its own, and the units' pages keep room
for the summary counters' updates. A later migration that undid one would pass every other test."""

import pytest
from django.db import IntegrityError, connection, transaction

from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes and storage")


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@postgresql_only
def test_members_keep_the_lookup_indexes_and_no_pattern_ones():
    indexes = _indexes("members_member")
    assert not [name for name, definition in indexes.items() if "pattern_ops" in definition]
    assert "(branch_id, name_folded, birth_date)" in indexes["member_person"]
    assert {"members_member_citizen_id_key", "members_member_card_number_key"} <= set(indexes)


@postgresql_only
def test_units_pages_leave_room_for_counter_updates():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'organizations_organization'")
        assert "fillfactor=50" in cursor.fetchone()[0]


def test_a_cccd_and_a_card_number_stay_unique_in_the_database(tree):
    first = MemberFactory(branch=tree.branch)
    for taken in ({"citizen_id": first.citizen_id}, {"card_number": first.card_number}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Member.objects.bulk_create([MemberFactory.build(branch=tree.branch, **taken)])
