"""The reminder schedules are configuration, set by an administrator per period (the source key
names it: README "Scheduled work"); notifications themselves are read-only here, made only by
``notifications.services``."""

from django.contrib import admin

from organizations.admin_readonly import ReadOnlyAdmin

from .models import Notification, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ("source_key", "days_before", "overdue_every", "escalate_after")
    search_fields = ("source_key",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("event_key", "recipient__username")
