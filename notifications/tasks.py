from celery import shared_task
from django.utils import timezone


@shared_task(name="notifications.send_reminders")
def send_reminders() -> int:
    """Beat sends this once a day; ``manage.py send_reminders`` runs the same service."""
    from .reminders import send_reminders as run

    return run(today=timezone.localdate())
