from django.core.management import call_command

from fieldwork.models import Department, PlannedVisit, StaffAssignment, StaffPlan
from fieldwork.selectors import yearly_tally

from .helpers import YEAR


def test_demo_fieldwork_builds_a_year_and_can_run_again(tree, users, capsys):
    call_command("demo_fieldwork", "--year", str(YEAR))
    assert "Tỉnh đoàn Thái Nguyên" in capsys.readouterr().out
    counts = (
        Department.objects.count(),
        StaffAssignment.objects.count(),
        StaffPlan.objects.count(),
        PlannedVisit.objects.count(),
    )
    assert counts[0] == 4 and counts[1] == 8
    assert StaffPlan.objects.filter(status=StaffPlan.Status.APPROVED).count() == counts[2] == 6 * 4
    assert yearly_tally(users.province_staff, YEAR).days > 0
    # plans are registered in the quarter's first days (dated then), most of them in time
    assert StaffPlan.objects.filter(is_late=False).count() > StaffPlan.objects.filter(is_late=True).count()
    call_command("demo_fieldwork", "--year", str(YEAR))
    assert counts == (
        Department.objects.count(),
        StaffAssignment.objects.count(),
        StaffPlan.objects.count(),
        PlannedVisit.objects.count(),
    )
