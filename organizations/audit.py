"""The one way every app writes and reads the audit trail."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(*, target, action: str, by=None, organization=None, from_state="", to_state="", reason="") -> AuditEntry:
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        action=action,
        by=by,
        organization=organization,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
    )


def history(target):
    """Audit entries of one object, newest first, with the acting user loaded."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("by")


def erase_everything_for_demo_reset() -> None:
    """``seed_demo --reset`` only: demo data leaves with its trail. The one path past
    ``AuditTrailIsPermanent`` (a raw delete, no model or queryset method)."""
    from django.db import router

    AuditEntry.objects.all()._raw_delete(router.db_for_write(AuditEntry))
