"""Chi đoàn cơ sở is a grassroots organisation (issue 15; Điều lệ Đoàn: "tổ chức cơ sở Đoàn gồm
đoàn cơ sở và chi đoàn cơ sở"): a level of its own, grassroots and holding members, hanging where
a đoàn cơ sở may hang (a district, a province). The intermediate level (0002's "Chi đoàn cơ sở,
Đoàn bộ phận" under a đoàn cơ sở) becomes "Đoàn bộ phận, Liên chi đoàn", the layers between a đoàn
cơ sở and its chi đoàn (DOMAIN.md), and the officers' word "Chi đoàn cơ sở" (0004) moves along.

Existing units: an intermediate unit named "Chi đoàn cơ sở …" is moved to the new level only when
it is one by DOMAIN.md's definition, directly under a level a chi đoàn cơ sở may hang under, and
with no units of its own (it will hold members itself). One under a đoàn cơ sở is a layer between
it and its chi đoàn whatever its name says, so it stays (moving it would put a grassroots unit
inside another, its chi đoàn under a chi đoàn). Backwards: undone while no chi đoàn cơ sở holds
members (they would sit in a level without members); otherwise it refuses, naming them."""

from django.db import migrations, models, transaction
from django.db.migrations.exceptions import IrreversibleError
from django.db.models import F

CODE = "chi-doan-co-so"
WORD = "Chi đoàn cơ sở"
INTERMEDIATE = "trung-gian"
GRASSROOTS = "co-so"
NAMES = ("Chi đoàn cơ sở, Đoàn bộ phận", "Đoàn bộ phận, Liên chi đoàn")  # the intermediate level: before, after
INTERMEDIATE_WORDS = ["Đoàn bộ phận", "Liên chi đoàn"]
FALLBACK_PARENTS = ["tinh", "huyen"]  # 0002's parents of a đoàn cơ sở, should its row be gone


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _without(words: list, word: str) -> list:
    return [w for w in words if not (isinstance(w, str) and _same(w, word))]


def _with(words: list, *more: str) -> list:
    return list(words) + [w for w in more if not any(isinstance(x, str) and _same(x, w) for x in words)]


def forwards(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    intermediate = Level.objects.filter(code=INTERMEDIATE).first()
    if intermediate is not None:
        if intermediate.name == NAMES[0]:  # an administrator's own name is kept
            intermediate.name = NAMES[1]
        intermediate.aliases = _with(_without(intermediate.aliases, WORD), *INTERMEDIATE_WORDS)
        intermediate.save(update_fields=["name", "aliases"])
    level, _ = Level.objects.update_or_create(
        code=CODE,
        defaults={"name": WORD, "rank": 3, "is_branch": True, "is_grassroots": True, "aliases": [WORD]},
    )
    grassroots = Level.objects.filter(code=GRASSROOTS).first()
    parents = grassroots.allowed_parents.all() if grassroots else Level.objects.filter(code__in=FALLBACK_PARENTS)
    level.allowed_parents.set(list(parents))
    if intermediate is not None:
        _move_units(apps, intermediate, level)


def _move_units(apps, intermediate, level) -> None:
    """Intermediate units that are chi đoàn cơ sở by DOMAIN.md's definition take the new level;
    as it holds members, each counts as a chi đoàn of its ancestors from now on."""
    Organization = apps.get_model("organizations", "Organization")
    parent_levels = set(level.allowed_parents.values_list("pk", flat=True))
    steplen = 4  # organizations.fields / treebeard MP_Node: four characters a level
    for unit in Organization.objects.filter(level=intermediate, numchild=0).order_by("path"):
        if not unit.name.casefold().startswith(WORD.casefold()) or unit.depth <= 1:
            continue
        parent = Organization.objects.filter(path=unit.path[:-steplen]).first()
        if parent is None or parent.level_id not in parent_levels:
            continue
        Organization.objects.filter(pk=unit.pk).update(level=level)
        if unit.status == "active":
            paths = [unit.path[: i * steplen] for i in range(1, unit.depth + 1)]
            Organization.objects.filter(path__in=paths).update(branches_total=F("branches_total") + 1)


def backwards(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    Organization = apps.get_model("organizations", "Organization")
    level = Level.objects.filter(code=CODE).first()
    intermediate = Level.objects.filter(code=INTERMEDIATE).first()
    if level is None:
        return
    units = list(Organization.objects.filter(level=level).order_by("path"))
    holding = [u for u in units if u.members_total]
    if holding or intermediate is None:
        names = ", ".join(f"{u.code} ({u.members_total} đoàn viên)" for u in holding[:10])
        raise IrreversibleError(
            f"Không hoàn tác được: chi đoàn cơ sở còn đoàn viên: {names or 'thiếu cấp trung gian'}."
        )
    steplen = 4
    for unit in units:
        Organization.objects.filter(pk=unit.pk).update(level=intermediate)
        if unit.status == "active":
            paths = [unit.path[: i * steplen] for i in range(1, unit.depth + 1)]
            Organization.objects.filter(path__in=paths).update(branches_total=F("branches_total") - 1)
    try:
        with transaction.atomic():  # a rating deadline or "1+2" split naming the level protects it
            level.allowed_parents.clear()
            level.delete()
    except Exception as exc:  # ProtectedError, IntegrityError: the level is in use elsewhere
        raise IrreversibleError(f"Không hoàn tác được: cấp “{WORD}” đang được dùng ({exc}).") from exc
    if intermediate.name == NAMES[1]:
        intermediate.name = NAMES[0]
    intermediate.aliases = [WORD, *_without(intermediate.aliases, WORD)]  # 0004's words, in 0004's order
    intermediate.save(update_fields=["name", "aliases"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_level_kind_aliases")]

    operations = [
        migrations.AlterField(
            model_name="level",
            name="is_branch",
            field=models.BooleanField(default=False, verbose_name="có đoàn viên (chi đoàn, chi đoàn cơ sở)"),
        ),
        migrations.AlterField(
            model_name="level",
            name="is_grassroots",
            field=models.BooleanField(
                default=False,
                verbose_name="là tổ chức cơ sở Đoàn (đoàn cơ sở, chi đoàn cơ sở: công nhận xếp loại đoàn viên)",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
