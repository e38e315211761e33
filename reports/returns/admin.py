from django.contrib import admin

from organizations.admin_readonly import ReadOnlyAdmin

from .models import Return, ReturnDeadline


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdmin):
    """Returns are frozen when sent and change state through returns.services only (which write
    the audit entry and tell the sender); the admin lists them for operators."""

    list_display = ["pk", "kind", "root", "year", "version", "receiver", "status", "submitted_by", "submitted_at"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["root__code", "root__name"]
    list_select_related = ["root", "receiver", "submitted_by"]
    exclude = ["data"]


@admin.register(ReturnDeadline)
class ReturnDeadlineAdmin(ReadOnlyAdmin):
    """Set on the received-returns page by the receiving unit's officers (returns.services)."""

    list_display = ["kind", "year", "organization", "due_on"]
    list_filter = ["kind", "year"]
