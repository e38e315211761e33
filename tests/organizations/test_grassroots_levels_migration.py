"""organizations 0005 and evaluations 0004 (issue 15) applied to a database holding the old rows:
the chi đoàn cơ sở level, the intermediate level renamed with its words, units moved only where
DOMAIN.md says they are chi đoàn cơ sở, their own ratings retyped; and undone, while no chi đoàn cơ
sở holds members. Run through Django's MigrationExecutor, as `migrate` runs them."""

from datetime import date

import pytest
from django.db.migrations.exceptions import IrreversibleError

from tests.migrating import migrate_to

BEFORE = [("organizations", "0004_level_kind_aliases"), ("evaluations", "0003_scale_indexes")]
AFTER = [("organizations", "0005_grassroots_levels"), ("evaluations", "0004_grassroots")]

pytestmark = pytest.mark.django_db(transaction=True)


def _old_rows(apps):
    """What a database migrated to 0004 holds: the standard levels (0002, 0004's words) and units
    named "Chi đoàn cơ sở …" at the intermediate level, one under a đoàn cơ sở with a chi đoàn
    below it, one that an administrator hung directly under a district (no units of its own)."""
    Level = apps.get_model("organizations", "Level")
    Organization = apps.get_model("organizations", "Organization")
    levels = {lv.code: lv for lv in Level.objects.all()}
    levels["trung-gian"].allowed_parents.add(levels["huyen"])

    def unit(path, code, name, level, **counts):
        return Organization.objects.create(
            path=path, depth=len(path) // 4, code=code, name=name, level=levels[level], **counts
        )

    units = {
        "province": unit("0001", "T1", "Tỉnh đoàn", "tinh", units_total=5, branches_total=1),
        "district": unit("00010001", "T1-H1", "Huyện đoàn", "huyen", units_total=4, branches_total=1),
        "grassroots": unit("000100010001", "T1-H1-CS1", "Đoàn trường", "co-so", units_total=2, branches_total=1),
        "layer": unit("0001000100010001", "T1-H1-CS1-BP1", "Chi đoàn cơ sở khoa Toán", "trung-gian", units_total=1),
        "branch": unit("00010001000100010001", "T1-H1-CS1-BP1-CD1", "Chi đoàn K20", "chi-doan", branches_total=1),
        "cdcs": unit("000100010002", "T1-H1-BV", "Chi đoàn cơ sở Bệnh viện huyện", "trung-gian"),
    }
    Organization.objects.filter(path__in=["0001", "00010001", "000100010001", "0001000100010001"]).update(numchild=1)
    Organization.objects.filter(path="00010001").update(numchild=2)
    period = apps.get_model("evaluations", "RatingPeriod").objects.create(
        year=2025, root=units["province"], opens_on=date(2025, 10, 1), locks_on=date(2025, 12, 31)
    )
    apps.get_model("evaluations", "Assessment").objects.create(
        period=period,
        subject_type="branch",
        organization=units["cdcs"],
        unit=units["cdcs"],
        approving_unit=units["district"],
        status="approved",
        final_level="HTTNV",
    )
    return units


def test_it_gives_chi_doan_co_so_its_level_and_moves_only_the_ones_domain_md_defines(restore_schema):
    old = migrate_to(BEFORE)
    _old_rows(old)
    new = migrate_to(AFTER)
    Level = new.get_model("organizations", "Level")
    Organization = new.get_model("organizations", "Organization")
    cdcs = Level.objects.get(code="chi-doan-co-so")
    assert (cdcs.name, cdcs.is_branch, cdcs.is_grassroots, cdcs.aliases) == (
        "Chi đoàn cơ sở",
        True,
        True,
        ["Chi đoàn cơ sở"],
    )
    assert set(cdcs.allowed_parents.values_list("code", flat=True)) == {"tinh", "huyen"}  # as a đoàn cơ sở
    layer = Level.objects.get(code="trung-gian")
    assert (layer.name, layer.aliases) == ("Đoàn bộ phận, Liên chi đoàn", ["Đoàn bộ phận", "Liên chi đoàn"])
    by_code = dict(Organization.objects.values_list("code", "level__code"))
    assert by_code["T1-H1-BV"] == "chi-doan-co-so"  # directly under the district, no units: one by definition
    assert by_code["T1-H1-CS1-BP1"] == "trung-gian"  # under a đoàn cơ sở, over a chi đoàn: a layer, whatever its name
    branches = dict(Organization.objects.values_list("code", "branches_total"))
    assert (branches["T1"], branches["T1-H1"], branches["T1-H1-BV"], branches["T1-H1-CS1"]) == (2, 2, 1, 1)
    own = new.get_model("evaluations", "Assessment").objects.get(organization__code="T1-H1-BV")
    assert own.subject_type == "grassroots"  # rated as the tổ chức cơ sở Đoàn it is

    back = migrate_to(BEFORE)
    Level = back.get_model("organizations", "Level")
    assert not Level.objects.filter(code="chi-doan-co-so").exists()
    layer = Level.objects.get(code="trung-gian")
    assert layer.name == "Chi đoàn cơ sở, Đoàn bộ phận"
    assert layer.aliases == ["Chi đoàn cơ sở", "Đoàn bộ phận", "Liên chi đoàn"]  # 0004's words
    Organization = back.get_model("organizations", "Organization")
    assert Organization.objects.get(code="T1-H1-BV").level.code == "trung-gian"
    assert Organization.objects.get(code="T1").branches_total == 1
    assert back.get_model("evaluations", "Assessment").objects.get().subject_type == "branch"


def test_it_refuses_to_undo_while_a_chi_doan_co_so_holds_members(restore_schema):
    new = migrate_to(AFTER)
    Level = new.get_model("organizations", "Level")
    Organization = new.get_model("organizations", "Organization")
    province = Organization.objects.create(
        path="0001", depth=1, code="T1", name="Tỉnh đoàn", level=Level.objects.get(code="tinh")
    )
    Organization.objects.filter(pk=province.pk).update(numchild=1)
    Organization.objects.create(
        path="00010001",
        depth=2,
        code="T1-BV",
        name="Chi đoàn cơ sở Bệnh viện tỉnh",
        level=Level.objects.get(code="chi-doan-co-so"),
        members_total=12,
    )
    with pytest.raises(IrreversibleError, match=r"chi đoàn cơ sở còn đoàn viên: T1-BV \(12 đoàn viên\)"):
        migrate_to(BEFORE)
