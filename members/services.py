"""Member workflows: every change to a member's status or chi đoàn, atomic and audited."""

from django.db import transaction
from django.dispatch import receiver

from organizations.models import Organization
from organizations.services import adjust_counts
from organizations.signals import unit_merged

from .models import Member

ON_ROLL = (Member.Status.ACTIVE, Member.Status.TRANSFERRING)


@receiver(unit_merged, dispatch_uid="members.move_members_on_merge")
def move_members_on_merge(*, source: Organization, target: Organization, by, on_date, reason, **kwargs) -> int:
    """Hợp nhất chi đoàn: the merged chi đoàn's members continue in the target chi đoàn."""
    if not source.level.is_branch:
        return 0
    with transaction.atomic():
        moved = Member.objects.filter(branch=source, status__in=ON_ROLL).update(branch=target, updated_by=by)
        adjust_counts(source, members=-moved)
        adjust_counts(target, members=moved)
    return moved
