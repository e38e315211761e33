import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from members.models import Member
from organizations.models import Organization, Post


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    units = list(Organization.objects.order_by("path").values_list("code", "name", "level__code", "path"))
    people = list(
        Member.objects.order_by("citizen_id", "card_number", "full_name", "birth_date").values_list(
            "full_name", "birth_date", "gender", "citizen_id", "branch__code"
        )
    )
    return units, people


def test_it_builds_a_realistic_tree_with_logins(db):
    out = _seed("--members", "1500", "--seed", "7")
    assert Member.objects.count() == 1500
    assert "DKTW" in out and "bithu.chidoan" in out and "DoanHub@2026" in out
    root = Organization.objects.get(depth=1)
    assert root.members_total == 1500
    # each chi đoàn holds 3–60 members (the last one may be trimmed to fit the total)
    sizes = [b.members_total for b in Organization.objects.filter(level__is_branch=True)]
    assert max(sizes) <= 60 and sum(1 for s in sizes if s < 3) <= 1
    # a cơ sở hangs directly under a province, and the Đoàn Khối has cơ sở trực thuộc
    assert Organization.objects.filter(level__code="co-so", depth=3).exists()
    assert any(
        "ễ" in n or "ư" in n or "đ" in n.lower() for n in Member.objects.values_list("full_name", flat=True)[:200]
    )
    assert set(Post.objects.values_list("role", flat=True)) == {"admin", "approver", "staff", "secretary"}
    # every chi đoàn has a bí thư, and a few of them are past the cadre statute's age
    from members.models import MemberPosition
    from members.selectors import over_age_cadres

    branches = Organization.objects.filter(level__is_branch=True).count()
    assert MemberPosition.objects.filter(title="bi_thu").count() == branches
    assert over_age_cadres(root).exists()


def test_every_demo_member_passes_the_member_rules(db):
    """Demo rosters are exported and re-imported by people trying the app: they must be valid."""
    from members.validation import field_errors

    _seed("--members", "3000", "--seed", "11")
    fields = ["full_name", "birth_date", "gender", "citizen_id", "admitted_on", "phone"]
    fields += ["is_party_member", "party_joined_on", "joined_branch_on"]
    broken = {}
    for values in Member.objects.values(*fields):
        broken.update(field_errors(values))
    assert broken == {}


@pytest.mark.django_db(transaction=True)  # --reset truncates, which PostgreSQL refuses mid-transaction
def test_it_is_deterministic_for_a_seed():
    _seed("--members", "400", "--seed", "3")
    first = _snapshot()
    _seed("--members", "400", "--seed", "3", "--reset")
    assert _snapshot() == first
    _seed("--members", "400", "--seed", "4", "--reset")
    assert _snapshot() != first


def test_it_refuses_to_seed_over_data_without_reset(db):
    _seed("--members", "50")
    with pytest.raises(CommandError, match="--reset"):
        _seed("--members", "50")
    assert "bỏ qua" in _seed("--members", "50", "--if-empty")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60 + "production-secret-key-for-the-check",
        "DJANGO_ALLOWED_HOSTS": "doanhub.example.vn",
        "DOANHUB_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
