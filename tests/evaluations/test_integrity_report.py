"""The province report's integrity table and the approval queue read the same flags (issue 13:
the report counts in the database for a whole nation, the queue for its page of batches), and
the database cuts a band into quarters exactly as ``band_quarters`` does."""

from decimal import Decimal

import pytest
from django.db.models import Q

from evaluations import integrity
from evaluations.models import Status, Submission
from reports.builders import ratings as ratings_builder
from tests.factories import make_unit, make_user

from .conftest import fill_and_submit
from .test_integrity import (
    MIXED,
    _decided_year,
    _enter_through_the_page,
    new_branch,
    reported,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged_province(login, tree, period, users):
    """Batches of every kind of flag (and an honest one) in one province, two flags dismissed."""
    big = new_branch(tree.grassroots, "T1-H1-CS1-CD9", 12)  # the cơ sở's roll: 17, as in test_integrity
    _decided_year(tree, big, 2024, 2)
    _decided_year(tree, big, 2025, 2)
    capped = reported(period, big, ["HTXSNV"] * 3 + MIXED[1:])
    other = make_unit(tree.district, "T1-H1-CS9", "Đoàn xã Phú Thịnh", "co-so")
    approver = make_user("duyet.cs9", "approver", other)
    one = reported(period, new_branch(other, "T1-H1-CS9-CD1", 12), ["HTTNV"] * 12)
    reported(period, new_branch(other, "T1-H1-CS9-CD2", 12), MIXED, points=[Decimal(80)] * 12)
    band = [Decimal(70 + (i * 15) // 31) for i in range(32)]
    reported(period, new_branch(other, "T1-H1-CS9-CD3", 32), (MIXED * 3)[:32], points=band)
    levels = ["HTTNV"] * 8 + ["KHTNV"] * 4
    reported(period, new_branch(other, "T1-H1-CS9-CD4", 12), levels, own_level="HTXSNV", status=Status.APPROVED)
    reported(period, new_branch(other, "T1-H1-CS9-CD5", 12), MIXED)  # honest: no flag
    fast = new_branch(other, "T1-H1-CS9-CD6", 12)
    secretary = make_user("bithu.cs9cd6", "secretary", fast)
    _enter_through_the_page(login(secretary), period, fast, MIXED)
    fill_and_submit(period, fast, secretary, [])
    integrity.dismiss_flag(submission=one, code="one_level", by=approver, reason="Đã họp kiểm tra")
    integrity.dismiss_flag(submission=capped, code="cap_every_year", by=users.grassroots_approver, reason="Đúng thật")
    return tree


def _rows(flags_by_unit: dict) -> set[tuple]:
    return {(unit, f.code, f.message, f.status_text) for unit, flags in flags_by_unit.items() for f in flags}


def test_the_report_table_lists_exactly_the_queues_flags(flagged_province, period):
    # This year's batches only: the earlier years' batches of the same unit would share its key
    # (the unit's code) and, in whatever order the database returns them, replace its flags.
    sent = list(Submission.objects.filter(period=period).exclude(status=Status.DRAFT).select_related("unit"))
    queue = _rows({s.unit.code: flags for s in sent for flags in [integrity.batch_flags([s]).get(s.pk, [])]})
    data = ratings_builder.build(root=flagged_province.province, year=2026)
    [table] = [t for t in data.tables if t.title == "Dấu hiệu cần xem lại, năm 2026"]
    labels = {label: code for code, label in integrity.LABELS.items()}
    report = {(code, labels[label], message, status) for code, _, label, message, status in table.rows}
    assert report == queue
    assert {code for _, code, _, _ in queue} == set(integrity.LABELS)  # every kind of flag is in it
    dismissed = {(unit, code) for unit, code, _, status in report if status.startswith("Đã bỏ qua bởi ")}
    assert dismissed == {("T1-H1-CS9-CD1", "one_level"), ("T1-H1-CS1-CD9", "cap_every_year")}
    assert "T1-H1-CS9-CD5" not in {unit for unit, *_ in report}


def test_the_queue_reads_all_its_batches_at_once_as_one_by_one(flagged_province, period):
    sent = list(Submission.objects.exclude(status=Status.DRAFT))
    together = integrity.batch_flags(sent)
    alone = {s.pk: integrity.batch_flags([s]).get(s.pk) for s in sent}
    assert _rows(together) == _rows({pk: flags for pk, flags in alone.items() if flags}) and len(together) == 6


def test_the_database_cuts_the_band_into_quarters_as_band_quarters_does(tree, period):
    # a band 70,10–80,10 (10 points) with scores on every quarter's edge and a hundredth below it
    edges = ["70.10", "72.59", "72.60", "75.09", "75.10", "77.59", "77.60", "80.10"]
    scores = [Decimal(s) for s in edges * 4]
    branch = new_branch(tree.grassroots, "T1-H1-CS1-CD8", len(scores))
    batch = reported(period, branch, (MIXED * 3)[: len(scores)], points=scores)
    [facts] = integrity._facts(Q(period=period, unit=branch)).values()
    assert facts.quarters == integrity.band_quarters(scores) == (8, 8, 8, 8)
    assert (facts.low, facts.high, facts.scored) == (Decimal("70.10"), Decimal("80.10"), 32)
    [flag] = integrity.batch_flags([batch])[batch.pk]
    assert flag.code == "uniform_band" and "mỗi đoạn có 8, 8, 8, 8 điểm" in flag.message
