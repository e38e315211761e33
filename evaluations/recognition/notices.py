""" "3 chủ động" events told to the đoàn cơ sở (notifications.notify after the service's commit):
its registration returned with the reason, and the decision on it."""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import event_key, notify_on_commit


def registration_returned(registration, reason: str) -> None:
    notify_on_commit(
        kind=Kind.RETURNED,
        event_key=event_key("recognition:return", registration.pk, at=registration.updated_at),
        title=f"Đăng ký “3 chủ động” của {registration.organization.name} bị trả lại để bổ sung",
        body=f"Lý do: {reason}",
        link=reverse("recognition:registration", args=[registration.pk]),
        unit=registration.organization,
    )


def registration_decided(registration, decision) -> None:
    outcome = "được công nhận" if registration.status == registration.Status.RECOGNISED else "không được công nhận"
    notify_on_commit(
        kind=Kind.DECIDED,
        event_key=f"recognition:decided:{registration.pk}:{decision.pk}",
        title=f"{registration.organization.name} {outcome} “3 chủ động” ({decision})",
        body=f"Lý do: {registration.decision_reason}" if registration.decision_reason else "",
        link=reverse("recognition:registration", args=[registration.pk]),
        unit=registration.organization,
    )
