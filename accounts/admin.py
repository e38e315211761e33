"""The admin shows sign-in records and second-factor devices; it changes none of them.

A device is reset through the users page (``second_factor.reset``: an administrator above,
audited), never deleted here, and its key is never shown. A lockout is lifted by deleting its
access attempt (django-axes' own way; ``manage.py axes_reset_username NAME`` does the same)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.admin_readonly import ReadOnlyAdmin, ReadOnlyMixin

for model in (TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TOTPDevice)
class DeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class LoginLogAdmin(ReadOnlyMixin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedLoginLogAdmin(ReadOnlyMixin, AccessFailureLogAdmin):
    pass
