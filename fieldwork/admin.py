"""Read-only admin: every row changes through fieldwork.services (the pages, including
"Thiết lập" for policies, departments and staff lists), so the rules and the audit always apply."""

from django.contrib import admin

from organizations.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Department,
    DepartmentPlan,
    FieldworkPolicy,
    LevelQuota,
    PlannedVisit,
    StaffAssignment,
    StaffPlan,
    VisitReport,
)


class LevelQuotaInline(ReadOnlyTabularInline):
    model = LevelQuota


@admin.register(FieldworkPolicy)
class FieldworkPolicyAdmin(ReadOnlyAdmin):
    list_display = ("year", "organization", "minimum_days", "plan_deadline_days", "report_late_days")
    list_filter = ("year",)
    inlines = [LevelQuotaInline]
    raw_id_fields = ("organization",)


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "head", "is_organisation_department")
    raw_id_fields = ("organization", "head")


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "year", "department", "post_kind", "exemption")
    list_filter = ("year", "post_kind", "exemption")
    raw_id_fields = ("user", "department")


@admin.register(StaffPlan)
class StaffPlanAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "submitted_at", "is_late")
    list_filter = ("status", "quarter", "is_late")


@admin.register(DepartmentPlan)
class DepartmentPlanAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status")
    list_filter = ("status", "year", "quarter")


@admin.register(PlannedVisit)
class PlannedVisitAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status")
    list_filter = ("status", "content")


@admin.register(VisitReport)
class VisitReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "days_spent", "reported_on", "is_late")
    list_filter = ("is_late",)
