"""Celery application. Tasks live in each app's tasks.py and are autodiscovered; the site-wide
housekeeping tasks are in doanhub/tasks.py, run on the static beat schedule below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanhub.settings")

app = Celery("doanhub", include=["doanhub.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# `celery -A doanhub beat` sends these; any worker runs them. One beat process per site (two
# would send each task twice: harmless, both tasks are idempotent, but wasteful).
app.conf.beat_schedule = {
    "expire-imports": {"task": "doanhub.expire_imports", "schedule": crontab(minute=7)},  # hourly
    "sweep-stuck-jobs": {"task": "doanhub.sweep_stuck_jobs", "schedule": crontab(minute="*/5")},
    "send-reminders": {"task": "notifications.send_reminders", "schedule": crontab(hour=6, minute=30)},  # daily
}

from . import task_log  # noqa: E402,F401  (connects the per-task log line to Celery's signals)
