"""The import engine: django-import-export underneath every kind, one transaction, no query a row."""

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.resources import ModelResource

from members.importers import MEMBER_REQUIRED, MemberImporter, OrganizationImporter
from members.importing import get_importer
from members.models import Member
from members.resources import MemberResource
from members.xlsxreader import ROW

from .conftest import member_row

pytestmark = pytest.mark.django_db


def _rows(n, start=0, branch="T1-H1-CS1-CD1"):
    return [member_row(name=f"Đoàn Viên {i}", cccd=f"0792{i:08d}", branch=branch) for i in range(start, start + n)]


@pytest.mark.parametrize("kind", ["members", "organizations", "ratings"])
def test_every_kind_is_a_django_import_export_model_resource(kind):
    assert issubclass(get_importer(kind).resource_class, ModelResource)


def test_the_resource_answers_import_export_s_own_api(tree):
    """Code that speaks import-export (the admin, a script with a Dataset) gets the same rules."""
    dataset = tablib.Dataset(headers=[*MEMBER_REQUIRED, ROW])
    dataset.append([*member_row(cccd="079200000101"), 2])
    dataset.append([*member_row(name="Sai Ngày", birth="31/02/2001", cccd="079200000102"), 3])
    result = MemberResource(user=None).import_data(dataset, dry_run=True)
    assert result.totals["new"] == 1
    (invalid,) = result.invalid_rows
    assert list(invalid.field_specific_errors) == ["birth_date"]
    assert "không phải là ngày" in invalid.field_specific_errors["birth_date"][0]
    assert not Member.objects.filter(citizen_id="079200000101").exists()


def test_queries_do_not_grow_with_the_number_of_rows(tree, members_xlsx):
    def queries_for(n, start):
        path = members_xlsx(_rows(n, start))
        with CaptureQueriesContext(connection) as seen:
            result = MemberImporter(user=None).run(str(path))
        assert result.ok and result.created == n, result.errors
        return len(seen.captured_queries)

    queries_for(1, 900)  # warm the caches a first import fills (content types)
    assert queries_for(3, 0) == queries_for(30, 100)


def test_a_reimport_costs_the_same_queries_whatever_its_size(tree, members_xlsx):
    small, large = members_xlsx(_rows(3)), members_xlsx(_rows(30, 100))
    MemberImporter(user=None).run(str(small))
    MemberImporter(user=None).run(str(large))
    counts = []
    for path, n in ((small, 3), (large, 30)):
        with CaptureQueriesContext(connection) as seen:
            result = MemberImporter(user=None).run(str(path))
        assert (result.created, result.updated) == (0, n)
        counts.append(len(seen.captured_queries))
    assert counts[0] == counts[1]


def test_progress_is_reported_while_rows_are_checked(tree, members_xlsx, monkeypatch):
    monkeypatch.setattr(MemberResource, "PROGRESS_EVERY", 2)
    seen = []
    result = MemberImporter(user=None, progress=lambda done, total: seen.append((done, total))).run(
        str(members_xlsx(_rows(5))), dry_run=True
    )
    assert result.ok
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_an_unexpected_failure_on_one_row_names_the_row_and_writes_nothing(tree, members_xlsx, monkeypatch, caplog):
    original = MemberResource.errors_of

    def failing(self, given, before, broken):
        if self.number == 3:
            raise RuntimeError("disk on fire")
        return original(self, given, before, broken)

    monkeypatch.setattr(MemberResource, "errors_of", failing)
    before = Member.objects.count()
    result = MemberImporter(user=None).run(str(members_xlsx(_rows(3))))
    assert [(e.row, e.column) for e in result.errors] == [(3, "")]
    assert "disk on fire" not in str(result.errors[0])  # the user sees no internals; the log does
    assert "disk on fire" in caplog.text
    assert Member.objects.count() == before


def test_a_unit_import_and_a_member_import_share_one_engine(tree, units_xlsx, members_xlsx):
    units = OrganizationImporter(user=None).run(
        str(units_xlsx([["T1-H1-CS1-CD9", "Chi đoàn thôn Mới", "chi-doan", "T1-H1-CS1", ""]]))
    )
    assert units.ok and units.created == 1
    members = MemberImporter(user=None).run(str(members_xlsx(_rows(2, branch="T1-H1-CS1-CD9"))))
    assert members.ok and members.created == 2
    assert Member.objects.filter(branch__code="T1-H1-CS1-CD9").count() == 2


def test_a_failure_loading_the_file_s_references_writes_nothing(tree, members_xlsx, monkeypatch, caplog):
    def broken(self, dataset):
        raise RuntimeError("database gone")

    monkeypatch.setattr(MemberResource, "prepare", broken)
    result = MemberImporter(user=None).run(str(members_xlsx(_rows(2))))
    assert not result.ok and result.errors[0].row == 0
    assert "database gone" not in str(result.errors[0]) and "database gone" in caplog.text
    assert not Member.objects.filter(full_name__startswith="Đoàn Viên").exists()
