"""Django admin for inspection. Workflow changes go through the app's pages (services); the
assessment and submission admins are read-only so nobody sets a status by hand."""

from django.contrib import admin

from .models import Assessment, CriteriaFrame, Criterion, RatingDeadline, RatingPeriod, RatingPolicy, Submission


class DeadlineInline(admin.TabularInline):
    model = RatingDeadline
    extra = 0


@admin.register(RatingPeriod)
class RatingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "root", "opens_on", "locks_on", "is_locked"]
    list_filter = ["year", "is_locked"]
    readonly_fields = ["is_locked"]
    inlines = [DeadlineInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaFrame)
class CriteriaFrameAdmin(admin.ModelAdmin):
    list_display = ["name", "policy"]
    inlines = [CriterionInline]


@admin.register(RatingPolicy)
class RatingPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "subject_type", "quota_percent", "quota_basis", "min_months_in_branch"]
    list_filter = ["period__year", "subject_type"]
    raw_id_fields = ["organization"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "subject_type", "unit", "proposed_level", "final_level", "status"]
    list_filter = ["period__year", "subject_type", "status", "final_level"]
    list_select_related = ["member", "organization", "unit", "period"]
    search_fields = ["member__full_name", "organization__name", "unit__code"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "approving_unit", "status", "submitted_at"]
    list_filter = ["period__year", "status"]
    list_select_related = ["unit", "approving_unit", "period"]
