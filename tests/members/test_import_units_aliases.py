"""The officers' words in a units import: "Cấp" and "Loại hình" as officers type them (the
aliases on the level and kind rows, matched folded), an unknown word answered with the accepted
ones, aliases edited in the admin and one word naming one row only."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.importers import OrganizationImporter
from organizations.models import Level, Organization, UnitKind

# The parent each level may hang under in the test tree (tests/conftest.py).
PARENT = {
    "tinh": "TW",
    "huyen": "T1",
    "co-so": "T1-H1",
    "chi-doan-co-so": "T1-H1",  # a grassroots unit directly under a district (issue 15)
    "trung-gian": "T1-CS2",
    "chi-doan": "T1-H1-CS1",
}
LEVEL_WORDS = [
    ("Tỉnh đoàn", "tinh"),
    ("Thành đoàn", "tinh"),
    ("Đoàn Khối", "tinh"),
    ("Huyện đoàn", "huyen"),
    ("Quận đoàn", "huyen"),
    ("Đoàn cấp trên cơ sở", "huyen"),
    ("Đoàn cơ sở", "co-so"),
    ("Chi đoàn cơ sở", "chi-doan-co-so"),
    ("Đoàn bộ phận", "trung-gian"),
    ("Liên chi đoàn", "trung-gian"),
    ("Chi đoàn", "chi-doan"),
    # folded: case, diacritics, spaces
    ("TỈNH ĐOÀN", "tinh"),
    ("huyen doan", "huyen"),
    ("  quận   đoàn ", "huyen"),
    ("chi doan co so", "chi-doan-co-so"),
    ("CHI DOAN", "chi-doan"),
    ("doan khoi", "tinh"),
]
KIND_WORDS = [
    ("Cơ quan", "co-quan"),
    ("Trường học", "truong-hoc"),
    ("Địa bàn dân cư", "dia-ban-dan-cu"),
    ("Doanh nghiệp", "doanh-nghiep"),
    ("Lực lượng vũ trang", "luc-luong-vu-trang"),
    ("Đơn vị sự nghiệp", "don-vi-su-nghiep"),
    ("co quan", "co-quan"),
    ("TRUONG HOC", "truong-hoc"),
]


@pytest.fixture(autouse=True)
def _aliases(db):
    """A transactional test elsewhere flushes the seeded rows; conftest puts back 0002's only."""
    if not Level.objects.exclude(aliases=[]).exists():
        for name in ("0004_level_kind_aliases", "0005_grassroots_levels"):  # 0005 moves "Chi đoàn cơ sở"
            import_module(f"organizations.migrations.{name}").forwards(apps, None)


def run(path):
    return OrganizationImporter(user=None).run(str(path))


def unit_row(code, level_word, parent, kind=""):
    return [code, f"Đơn vị {code}", level_word, parent, kind]


def test_each_officer_word_for_a_level_imports_to_that_level(tree, units_xlsx):
    rows = [unit_row(f"N{i}", word, PARENT[code]) for i, (word, code) in enumerate(LEVEL_WORDS)]
    result = run(units_xlsx(rows))
    assert result.ok, result.errors
    saved = dict(Organization.objects.filter(code__startswith="N").values_list("code", "level__code"))
    assert saved == {f"N{i}": code for i, (_, code) in enumerate(LEVEL_WORDS)}


def test_each_officer_word_for_a_kind_imports_to_that_kind(tree, units_xlsx):
    rows = [unit_row(f"K{i}", "Chi đoàn", "T1-H1-CS1", word) for i, (word, _) in enumerate(KIND_WORDS)]
    result = run(units_xlsx(rows))
    assert result.ok, result.errors
    saved = dict(Organization.objects.filter(code__startswith="K").values_list("code", "kind__code"))
    assert saved == {f"K{i}": code for i, (_, code) in enumerate(KIND_WORDS)}


def test_codes_and_full_names_still_import(tree, units_xlsx):
    rows = [
        unit_row("C1", "huyen", "T1", "co-quan"),
        unit_row("C2", "Huyện, quận, thị, thành đoàn và tương đương", "T1", "Cơ quan, đơn vị hành chính"),
    ]
    assert run(units_xlsx(rows)).ok
    assert set(Organization.objects.filter(code__in=["C1", "C2"]).values_list("level__code", "kind__code")) == {
        ("huyen", "co-quan")
    }


def test_an_unknown_word_lists_the_accepted_ones(tree, units_xlsx):
    # ("Huyen" is no unknown word: it folds to the district level's code, which exports write)
    result = run(units_xlsx([unit_row("U1", "Xã đoàn", "T1", "Bệnh viện")]))
    messages = {e.column: e.message for e in result.errors}
    assert messages["Cấp"] == (
        "Cấp “Xã đoàn” không rõ: dùng một trong Trung ương Đoàn, Tỉnh đoàn, Thành đoàn, Đoàn Khối, "
        "Đoàn trực thuộc Trung ương, Huyện đoàn, Quận đoàn, Thị đoàn, Đoàn cấp trên cơ sở, Chi đoàn cơ sở, "
        "Đoàn cơ sở, Đoàn bộ phận, Liên chi đoàn, Chi đoàn."
    )
    assert messages["Loại hình"].startswith("Loại hình “Bệnh viện” không rõ: dùng một trong ")
    assert "Cơ quan, Đơn vị hành chính" in messages["Loại hình"] and "Trường học" in messages["Loại hình"]
    assert not Organization.objects.filter(code="U1").exists()


def test_the_command_prints_the_unknown_word_at_its_row(tree, units_xlsx, capsys):
    with pytest.raises(CommandError):
        call_command("import_xlsx", "organizations", str(units_xlsx([unit_row("U1", "Xã đoàn", "T1")])))
    assert "Dòng 2, cột “Cấp”: Cấp “Xã đoàn” không rõ: dùng một trong Trung ương Đoàn, Tỉnh đoàn" in (
        capsys.readouterr().err
    )
    call_command("import_xlsx", "organizations", str(units_xlsx([unit_row("U1", "Huyện đoàn", "T1")])))
    assert Organization.objects.get(code="U1").level.code == "huyen"


def _level_form(level, aliases: str) -> dict:
    return {
        "name": level.name,
        "aliases": aliases,
        "rank": level.rank,
        "allowed_parents": [p.pk for p in level.allowed_parents.all()],
    }


def test_an_alias_added_in_the_admin_takes_effect(tree, users, login, units_xlsx):
    assert not run(units_xlsx([unit_row("A1", "Đoàn huyện", "T1")])).ok
    huyen = Level.objects.get(code="huyen")
    url = reverse("admin:organizations_level_change", args=[huyen.pk])
    page = login(users.superuser).get(url).content.decode()
    assert "Huyện đoàn\nQuận đoàn" in page  # one a line, not JSON
    response = login(users.superuser).post(url, _level_form(huyen, "Huyện đoàn\nQuận đoàn\n  Đoàn   huyện \n\n"))
    assert response.status_code == 302
    assert Level.objects.get(code="huyen").aliases == ["Huyện đoàn", "Quận đoàn", "Đoàn huyện"]
    assert run(units_xlsx([unit_row("A1", "doan huyen", "T1")])).ok
    assert Organization.objects.get(code="A1").level.code == "huyen"
    assert not run(units_xlsx([unit_row("A2", "Đoàn cấp trên cơ sở", "T1")])).ok  # removed by the edit


def test_an_alias_of_another_level_is_refused_in_the_admin(tree, users, login):
    huyen = Level.objects.get(code="huyen")
    url = reverse("admin:organizations_level_change", args=[huyen.pk])
    response = login(users.superuser).post(url, _level_form(huyen, "Huyện đoàn\nthanh doan"))
    assert response.status_code == 200
    assert "“thanh doan” đã là tên của “Tỉnh đoàn, Thành đoàn, Đoàn Khối" in response.content.decode()
    assert "thanh doan" not in Level.objects.get(code="huyen").aliases


def test_one_word_names_one_level_or_kind_only(db):
    huyen = Level.objects.get(code="huyen")
    huyen.aliases = ["Chi Đoàn"]  # the chi đoàn level's alias, folded
    with pytest.raises(ValidationError) as exc:
        huyen.full_clean()
    assert exc.value.message_dict["aliases"] == [
        "Mỗi tên chỉ gọi một cấp tổ chức: “Chi Đoàn” đã là tên của “Chi đoàn”."
    ]
    huyen.aliases = ["tinh"]  # another level's code
    with pytest.raises(ValidationError):
        huyen.full_clean()
    kind = UnitKind.objects.get(code="truong-hoc")
    kind.aliases = ["Trường", "Cơ quan"]
    with pytest.raises(ValidationError, match="“Cơ quan” đã là tên của “Cơ quan, đơn vị hành chính”"):
        kind.full_clean()
    kind.aliases = ["Trường", "trường", "Nhà trường"]  # its own repeats are folded away, not refused
    kind.full_clean()
    assert kind.aliases == ["Trường", "Nhà trường"]
