"""Every kind the registry can import runs as a job and renders on the page and in Excel."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import kinds
from reports.excel import check_totals, sheet_groups
from reports.serialize import from_json
from reports.services import request_job, run_job


@pytest.mark.parametrize("kind", [k for k, _ in kinds.available()])
def test_each_available_kind_runs_as_a_job(ratings, users, login, kind):
    job = run_job(job_id=request_job(kind=kind, root=ratings.province, year=2025, by=users.province_admin).pk)
    assert job.status == "done", job.error
    data = from_json(job.result)
    for table in data.tables:
        check_totals(table)
    assert len(load_workbook(job.file.path).worksheets) == len(sheet_groups(data.tables)) + 1  # + the cover
    assert login(users.province_admin).get(reverse("reports:job", args=[job.pk])).status_code == 200
