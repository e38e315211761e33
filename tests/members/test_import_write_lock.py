"""The write step against committed rows (PostgreSQL): progress is seen by the page while the
import's transaction is open, and two messages for one job write it once."""

import time

import pytest
from django.db import connection, connections

from members import import_jobs, tasks
from members.importing import ImportResult
from members.models import ImportJob

from .conftest import checked_job, member_row, slow_importer, write_in_thread

pytestmark = pytest.mark.django_db(transaction=True)
Status = ImportJob.Status


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the second connection and the advisory lock are PostgreSQL's (SQLite writes wait on one lock)")


def _read_elsewhere(job_id: int) -> tuple:
    """What the page would read now, on its own connection."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT status, rows_done, rows_total FROM {ImportJob._meta.db_table} WHERE id = %s", [job_id]
            )
            return cursor.fetchone()
    finally:
        other.close()


@pytest.fixture
def confirmed(users, members_xlsx):
    job = checked_job(users.secretary, members_xlsx([member_row()]))
    return import_jobs.confirm_import(job=job, by=users.secretary)


def test_progress_of_the_write_is_seen_while_its_transaction_is_open(confirmed, monkeypatch):
    seen = []

    class Writer:
        def __init__(self, *, user, progress=None, **options):
            self.progress = progress

        def run(self, file, *, dry_run=False):
            assert connection.in_atomic_block
            self.progress(1, 4)
            seen.append(_read_elsewhere(confirmed.pk))
            self.progress(4, 4)
            return ImportResult(created=4)

    monkeypatch.setattr(import_jobs, "get_importer", lambda kind: Writer)
    assert tasks.write_import(confirmed.pk) == Status.IMPORTED
    assert seen == [("writing", 1, 4)]
    confirmed.refresh_from_db()
    assert (confirmed.rows_done, confirmed.rows_total, confirmed.created_count) == (4, 4, 4)


def test_two_messages_for_one_job_write_it_once(confirmed, monkeypatch):
    writes = []

    # the twin message arrives while the first write runs, and waits for the lock
    monkeypatch.setattr(import_jobs, "get_importer", lambda kind: slow_importer(writes, 0.5, 1))
    outcomes = []
    threads = []
    for _ in range(2):
        threads.append(write_in_thread(confirmed.pk, outcomes))
        time.sleep(0.1)
    for thread in threads:
        thread.join(10)
    assert len(writes) == 1 and outcomes == [Status.IMPORTED, Status.IMPORTED]
