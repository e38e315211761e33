"""README "First run": an empty database after migrate, a first administrator, then the real tree
from `import_xlsx organizations` (no demo data), and the tree is there on the pages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from organizations.models import Level, Organization, UnitKind

TREE = [
    ["TW", "Trung ương Đoàn", "Trung ương Đoàn", "", ""],
    ["T01", "Tỉnh đoàn Bình Minh", "tinh", "TW", ""],
    ["T01-X1", "Đoàn xã An Phú", "co-so", "T01", "Địa bàn dân cư"],
    ["T01-X1-C1", "Chi đoàn ấp 1", "chi-doan", "T01-X1", "Địa bàn dân cư"],
]


@pytest.fixture
def tree_file(tmp_path):
    from members.importers import UNIT_HEADERS

    workbook = Workbook()
    workbook.active.append(UNIT_HEADERS)
    for row in TREE:
        workbook.active.append(row)
    path = tmp_path / "cay-to-chuc.xlsx"
    workbook.save(path)
    return path


def test_migrate_leaves_the_levels_and_kinds_an_import_needs(db):
    assert not Organization.objects.exists()
    assert set(Level.objects.values_list("code", flat=True)) >= {"tw", "tinh", "huyen", "co-so", "chi-doan"}
    assert UnitKind.objects.filter(name="Địa bàn dân cư").exists()


def test_an_empty_database_takes_the_real_tree(db, tree_file, monkeypatch, client, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Mật-khẩu-đủ-dài-2026")
    call_command("createsuperuser", "--noinput", username="quantri", email="quantri@example.vn")
    call_command("import_xlsx", "organizations", str(tree_file))
    assert "4" in capsys.readouterr().out
    branch = Organization.objects.get(code="T01-X1-C1")
    ancestors = Organization.objects.filter(path__in=branch.ancestor_paths()).order_by("path")
    assert [a.code for a in ancestors] == ["TW", "T01", "T01-X1"]
    assert branch.level.is_branch and branch.kind.name == "Địa bàn dân cư"
    client.force_login(get_user_model().objects.get(username="quantri"))
    assert "Chi đoàn ấp 1" in client.get(reverse("organizations:detail", args=["T01-X1"])).content.decode()
