import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fieldwork import services
from fieldwork.selectors import effective_policy
from organizations import audit
from tests.factories import level

from .helpers import YEAR


def test_it_defaults_to_60_days_and_10_days_to_report(tree):
    policy = effective_policy(tree.province, YEAR)
    assert (policy.minimum_days, policy.report_late_days, policy.quotas) == (60, 10, {})


def test_it_saves_a_split_by_level_and_audits_it(tree, users):
    quotas = {level("chi-doan"): 30, level("co-so"): 20, level("huyen"): 10}
    policy = services.policy_save(
        organization=tree.province,
        year=YEAR,
        minimum_days=60,
        report_late_days=10,
        quotas=quotas,
        by=users.province_approver,
    )
    effective = effective_policy(tree.province, YEAR)
    assert {lv.code: days for lv, days in effective.quotas.values()} == {"chi-doan": 30, "co-so": 20, "huyen": 10}
    assert "Chi đoàn 30" in audit.history(policy).first().to_state


def test_a_lower_level_may_tighten(tree, users):
    services.policy_save(organization=tree.root, year=YEAR, minimum_days=30, report_late_days=10, by=users.superuser)
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=60, report_late_days=7, by=users.province_approver
    )
    policy = effective_policy(tree.province, YEAR)
    assert (policy.minimum_days, policy.report_late_days) == (60, 7)
    assert effective_policy(tree.province2, YEAR).minimum_days == 30


@pytest.mark.parametrize("minimum, late", [(20, 10), (30, 15)])
def test_a_lower_level_may_not_loosen(tree, users, minimum, late):
    services.policy_save(organization=tree.root, year=YEAR, minimum_days=30, report_late_days=10, by=users.superuser)
    with pytest.raises(ValidationError):
        services.policy_save(
            organization=tree.province,
            year=YEAR,
            minimum_days=minimum,
            report_late_days=late,
            by=users.province_approver,
        )


def test_a_lower_level_may_not_drop_a_level_quota(tree, users):
    services.policy_save(
        organization=tree.root,
        year=YEAR,
        minimum_days=60,
        report_late_days=10,
        quotas={level("chi-doan"): 30},
        by=users.superuser,
    )
    with pytest.raises(ValidationError, match="Chi đoàn"):
        services.policy_save(
            organization=tree.province,
            year=YEAR,
            minimum_days=60,
            report_late_days=10,
            quotas={level("chi-doan"): 20},
            by=users.province_approver,
        )


def test_the_split_may_not_exceed_the_minimum(tree, users):
    with pytest.raises(ValidationError, match="vượt quá"):
        services.policy_save(
            organization=tree.province,
            year=YEAR,
            minimum_days=30,
            report_late_days=10,
            quotas={level("chi-doan"): 40},
            by=users.province_approver,
        )


@pytest.mark.parametrize("who", ["province_staff", "district_approver", "outsider"])
def test_only_the_province_managers_set_the_policy(tree, users, who):
    with pytest.raises(PermissionDenied):
        services.policy_save(
            organization=tree.province, year=YEAR, minimum_days=60, report_late_days=10, by=getattr(users, who)
        )
