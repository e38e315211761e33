from django.contrib import admin

from organizations.admin_readonly import ReadOnlyAdmin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    """Jobs change state through reports.services only; the admin lists them for operators."""

    list_display = ["pk", "kind", "root", "year", "status", "progress", "requested_by", "created_at", "duration"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["root__code", "root__name", "requested_by__username"]
    list_select_related = ["root", "requested_by"]
