"""reports 0004 applied to jobs built before it: the day each one counted at moves from its built
figures to the column the lists read (run through MigrationExecutor, as `migrate` runs it)."""

from datetime import date

import pytest

from tests.migrating import migrate_to

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = [("reports", "0003_as_of")], [("reports", "0004_reportjob_pdf_error_counted_as_of")]


@pytest.fixture
def before(tree, restore_schema):
    return migrate_to(BEFORE)


def test_a_built_job_keeps_its_counted_day_and_the_others_have_none(before, tree):
    ReportJob = before.get_model("reports", "ReportJob")
    built = ReportJob.objects.create(
        kind="ratings", root_id=tree.province.pk, year=2025, result={"as_of": "2025-12-15"}
    )
    queued = ReportJob.objects.create(kind="ratings", root_id=tree.province.pk, year=2025)
    old = ReportJob.objects.create(kind="ratings", root_id=tree.province.pk, year=2024, result={"tables": []})
    after = migrate_to(AFTER).get_model("reports", "ReportJob")
    days = dict(after.objects.values_list("pk", "counted_as_of"))
    assert days == {built.pk: date(2025, 12, 15), queued.pk: None, old.pk: None}
    assert set(after.objects.values_list("pdf_error", flat=True)) == {""}
