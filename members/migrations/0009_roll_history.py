# Reserved for as-of-date denominators (issue 18) (parallel work, 03/12/2026): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
import django.db.models.deletion
from django.db import migrations, models

MOVES = ("transfer_in", "merged")  # the events that changed a member's chi đoàn


def backfill(apps, schema_editor):
    """Each past move event (accepted transfer, merge) becomes the spell in the chi đoàn it left,
    from the previous move (None: the first). One INSERT … SELECT, on PostgreSQL and SQLite."""
    PastBranch = apps.get_model("members", "PastBranch")
    MemberEvent = apps.get_model("members", "MemberEvent")
    spells, events = PastBranch._meta.db_table, MemberEvent._meta.db_table
    kinds = ", ".join(["%s"] * len(MOVES))
    schema_editor.execute(
        f"""INSERT INTO {spells} (member_id, branch_id, valid_from, valid_to)
            SELECT e.member_id, e.from_branch_id,
                   (SELECT MAX(p.date) FROM {events} p WHERE p.member_id = e.member_id AND p.kind IN ({kinds})
                    AND p.from_branch_id IS NOT NULL AND (p.date < e.date OR (p.date = e.date AND p.id < e.id))),
                   e.date
            FROM {events} e WHERE e.kind IN ({kinds}) AND e.from_branch_id IS NOT NULL""",
        [*MOVES, *MOVES],
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0008_scale_indexes"), ("organizations", "0007_unit_history")]

    operations = [
        migrations.CreateModel(
            name="PastBranch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="từ ngày")),
                ("valid_to", models.DateField(verbose_name="đến ngày")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organizations.organization"
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="past_branches", to="members.member"
                    ),
                ),
            ],
            options={
                "verbose_name": "chi đoàn cũ của đoàn viên",
                "verbose_name_plural": "chi đoàn cũ của đoàn viên",
                "indexes": [models.Index(fields=["member", "valid_to"], name="members_pas_member__2d6611_idx")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
