import pytest
from django.core.management import call_command

from evaluations.recognition.models import Campaign, Decision, Registration


def test_it_builds_two_years_for_the_demo_province_once(tree, users):
    call_command("demo_recognition")
    assert Campaign.objects.count() == 2
    assert Decision.objects.count() == 1
    assert Registration.objects.filter(status=Registration.Status.RECOGNISED).count() == 1
    call_command("demo_recognition")  # idempotent
    assert Campaign.objects.count() == 2 and Decision.objects.count() == 1


# PostgreSQL's reset TRUNCATEs, which needs a transaction with no pending foreign-key checks.
@pytest.mark.django_db(transaction=True)
def test_the_demo_reset_clears_it(tree, users):
    from members import demo

    call_command("demo_recognition")
    demo.reset_demo_data()
    assert not Campaign.objects.exists() and not Registration.objects.exists()
