"""Member rows change only through members.services (the pages and import_xlsx), which keep the
tree's summary counts and write the history and the audit: here they are read-only. The cadre age
table is policy data and stays editable (every applicable row is checked, so a row can only
tighten the limit for its subtree)."""

from django.contrib import admin

from organizations.admin_readonly import ReadOnlyAdmin

from .models import CadreAgeLimit, ImportJob, Member, MemberEvent, MemberPosition, Transfer


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "birth_date", "gender", "branch", "status")
    search_fields = ("name_folded", "citizen_id", "card_number")
    list_filter = ("status", "gender")
    list_select_related = ("branch",)


@admin.register(CadreAgeLimit)
class CadreAgeLimitAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "organization", "max_age_first", "max_age_holding", "source")
    list_filter = ("level", "title")
    raw_id_fields = ("organization",)


@admin.register(MemberEvent)
class MemberEventAdmin(ReadOnlyAdmin):
    list_display = ("member", "kind", "date", "by")
    list_filter = ("kind",)
    list_select_related = ("member", "by")


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("member", "from_branch", "to_branch", "status", "requested_at")
    list_filter = ("status",)
    list_select_related = ("member", "from_branch", "to_branch")


@admin.register(MemberPosition)
class MemberPositionAdmin(ReadOnlyAdmin):
    list_display = ("member", "title", "unit", "since", "until")
    list_filter = ("title",)
    list_select_related = ("member", "unit")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """For operators following a stuck or failed import; the steps themselves go through the page."""

    list_display = ("pk", "kind", "file_name", "requested_by", "status", "rows_total", "error_count", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("file_name", "requested_by__username")
    exclude = ("errors",)  # up to 10,000 rows of JSON: the job page lists them
