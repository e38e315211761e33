"""Three indexes of members_member that nothing reads, written on every insert (issue 13).

``unique=True`` on a CharField makes Django build, on PostgreSQL, a second index beside the
unique one: ``varchar_pattern_ops``, for LIKE 'prefix%'. A CCCD and a card number are only ever
looked up whole (the search, the import's matching, the admin's icontains cannot use it), so the
two pattern indexes (560 MB at 6·10⁶ members) were pure write cost. The uniqueness moves to
named constraints with the names unique=True gave them, so the database keeps its unique
indexes as they are; only the model's description changes. The chi đoàn's own index duplicated
the leading column of the (branch, status) index.

The folded name's index gives way to one on chi đoàn, folded name and birth date: the key the
import matches a member without a CCCD by (and the form's duplicate warning): by the name alone
a common name matched some 1,000 members at 6·10⁶, and 10⁵ such rows took 6 s.

On PostgreSQL the database step drops the three indexes (the state step describes what
remains); SQLite never had pattern indexes, and its branch index is harmless."""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = {  # name -> how it was built (for the way back)
    "members_member_citizen_id_125b8f9b_like": "(citizen_id varchar_pattern_ops)",
    "members_member_card_number_429e92e0_like": "(card_number varchar_pattern_ops)",
    "members_member_branch_id_7b3cf145": "(branch_id)",
}


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def drop(apps, schema_editor):
    if _postgresql(schema_editor):
        for name in DROPPED:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def rebuild(apps, schema_editor):
    if _postgresql(schema_editor):
        for name, columns in DROPPED.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON members_member USING btree {columns}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_phone_search"),
        ("organizations", "0009_counts_room_for_hot_updates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, rebuild)],
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="branch",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="organizations.organization",
                        verbose_name="chi đoàn",
                    ),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="card_number",
                    field=models.CharField(blank=True, max_length=30, null=True, verbose_name="số thẻ đoàn"),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="citizen_id",
                    field=models.CharField(blank=True, max_length=12, null=True, verbose_name="số CCCD"),
                ),
                migrations.AddConstraint(
                    model_name="member",
                    constraint=models.UniqueConstraint(fields=("citizen_id",), name="members_member_citizen_id_key"),
                ),
                migrations.AddConstraint(
                    model_name="member",
                    constraint=models.UniqueConstraint(fields=("card_number",), name="members_member_card_number_key"),
                ),
            ],
        ),
        migrations.RemoveIndex(model_name="member", name="members_mem_name_fo_cb3a1a_idx"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["branch", "name_folded", "birth_date"], name="member_person"),
        ),
    ]
