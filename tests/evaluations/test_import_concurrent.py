"""An import and a page approval at the same moment share the quota: only one takes its last place."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluations import services
from evaluations.importers import RatingImporter
from evaluations.models import Assessment, Status
from tests.factories import make_user

from .conftest import fill_and_submit
from .test_import import xlsx

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_an_import_and_an_approval_cannot_both_take_the_last_place(tree, users, period, tmp_path):
    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    path = xlsx(tmp_path, [[2026, "Đoàn viên", tree.members2[0].citizen_id, "HTXSNV", ""]])
    importer = make_user("duyet.coso.2", "approver", tree.grassroots)
    barrier, outcomes = threading.Barrier(2), []

    def approve():
        try:
            barrier.wait()
            services.submission_approve(submission=batch, by=users.grassroots_approver)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    def run_import():
        try:
            barrier.wait()
            result = RatingImporter(user=importer, year=2026).run(path)
            outcomes.append("ok" if result.ok else result.errors[0].message)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=run_import)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert "sẽ có 2 HTXSNV trên 5 (40,0%)" in next(o for o in outcomes if o != "ok")
    assert Assessment.objects.filter(final_level="HTXSNV", status=Status.APPROVED).count() == 1
