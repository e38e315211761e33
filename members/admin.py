from django.contrib import admin

from .models import CadreAgeLimit, ImportJob, Member, MemberEvent, MemberPosition, Transfer


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "birth_date", "gender", "branch", "status")
    search_fields = ("name_folded", "citizen_id", "card_number")
    list_filter = ("status", "gender")
    raw_id_fields = ("branch", "updated_by")


@admin.register(CadreAgeLimit)
class CadreAgeLimitAdmin(admin.ModelAdmin):
    """The cadre statute's age table is policy data, edited here (lower levels may only tighten)."""

    list_display = ("title", "level", "organization", "max_age_first", "max_age_holding", "source")
    list_filter = ("level", "title")
    raw_id_fields = ("organization",)


@admin.register(MemberEvent)
class MemberEventAdmin(admin.ModelAdmin):
    list_display = ("member", "kind", "date", "by")
    list_filter = ("kind",)
    raw_id_fields = ("member", "from_branch", "to_branch", "by")


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the pages (services), which keep the counts right."""

    list_display = ("member", "from_branch", "to_branch", "status", "requested_at")
    list_filter = ("status",)
    raw_id_fields = ("member", "from_branch", "to_branch", "requested_by", "accepted_by")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MemberPosition)
class MemberPositionAdmin(admin.ModelAdmin):
    list_display = ("member", "title", "unit", "since", "until")
    list_filter = ("title",)
    raw_id_fields = ("member", "unit")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """For operators following a stuck or failed import; the steps themselves go through the page."""

    list_display = ("pk", "kind", "file_name", "requested_by", "status", "rows_total", "error_count", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("file_name", "requested_by__username")
    raw_id_fields = ("requested_by",)
    exclude = ("errors",)  # up to 10,000 rows of JSON: the job page lists them

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
