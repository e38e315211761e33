from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change state through reports.services only."""

    list_display = ["pk", "kind", "root", "year", "status", "progress", "requested_by", "created_at", "duration"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["root__code", "root__name", "requested_by__username"]
    raw_id_fields = ["root", "requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
