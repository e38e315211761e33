"""Helpers for the members tests: spreadsheets written on the fly."""

from datetime import date

import pytest
from openpyxl import Workbook

from members.importers import MEMBER_REQUIRED, UNIT_HEADERS


def write_xlsx(path, headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def member_row(
    name="Nguyễn Văn Mới",
    birth="15/05/2000",
    gender="Nam",
    cccd="079200000001",
    branch="T1-H1-CS1-CD1",
    admitted="26/06/2016",
    card="",
    ethnicity="Kinh",
    phone="0912345678",
):
    return [name, birth, gender, cccd, branch, admitted, card, ethnicity, phone]


@pytest.fixture
def members_xlsx(tmp_path):
    """``members_xlsx(rows, headers=None)`` -> path of a members workbook."""
    counter = iter(range(1000))

    def _make(rows, headers=None):
        return write_xlsx(
            tmp_path / f"members-{next(counter)}.xlsx", MEMBER_REQUIRED if headers is None else headers, rows
        )

    return _make


@pytest.fixture
def units_xlsx(tmp_path):
    def _make(rows, headers=None):
        return write_xlsx(tmp_path / "units.xlsx", UNIT_HEADERS if headers is None else headers, rows)

    return _make


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def birth_for_age(age: int, today: date | None = None) -> date:
    today = today or date.today()
    return date(today.year - age, 1, 1) if (today.month, today.day) >= (1, 1) else date(today.year - age - 1, 1, 1)


@pytest.fixture(autouse=True)
def _memory_broker(celery_app):
    """Every test here runs with Celery on the in-memory broker (tests/conftest.py)."""
    return celery_app


def start_job(user, path, kind="members", **options):
    """An import job as the upload page creates it (checked by nobody yet)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.import_jobs import start_import

    file = SimpleUploadedFile(path.name, path.read_bytes())
    return start_import(file=file, kind=kind, by=user, options=options)


def checked_job(user, path, **options):
    """An import job whose check a worker has run (here: the task body, in this process)."""
    from members import tasks

    job = start_job(user, path, **options)
    tasks.check_import(job.pk)
    job.refresh_from_db()
    return job


def slow_importer(writes: list, seconds: float, created: int):
    """An importer class whose write takes ``seconds`` and notes the thread that ran it."""
    import threading
    import time

    from members.importing import ImportResult

    class Slow:
        def __init__(self, *, user, progress=None, **options):
            pass

        def run(self, file, *, dry_run=False):
            writes.append(threading.get_ident())
            time.sleep(seconds)
            return ImportResult(created=created)

    return Slow


def write_in_thread(job_id: int, outcomes: list):
    """A worker's write of the job, started in a thread with its own connection."""
    import threading

    from django.db import connection

    from members import tasks

    def deliver():
        try:
            outcomes.append(tasks.write_import(job_id))
        finally:
            connection.close()

    thread = threading.Thread(target=deliver)
    thread.start()
    return thread
