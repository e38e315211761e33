"""Django admin for inspection only: periods, policies, frames, assessments and submissions
change through the app's pages (services), which check the rules and write the audit."""

from django.contrib import admin

from organizations.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Assessment,
    CriteriaFrame,
    Criterion,
    RatingDeadline,
    RatingPeriod,
    RatingPolicy,
    ReviewMinutes,
    Submission,
)


class DeadlineInline(ReadOnlyTabularInline):
    model = RatingDeadline


@admin.register(RatingPeriod)
class RatingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "year", "root", "opens_on", "locks_on", "is_locked"]
    list_filter = ["year", "is_locked"]
    inlines = [DeadlineInline]


class CriterionInline(ReadOnlyTabularInline):
    model = Criterion


@admin.register(CriteriaFrame)
class CriteriaFrameAdmin(ReadOnlyAdmin):
    list_display = ["name", "policy"]
    inlines = [CriterionInline]


@admin.register(RatingPolicy)
class RatingPolicyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "subject_type", "quota_percent", "quota_basis", "min_months_in_branch"]
    list_filter = ["period__year", "subject_type"]
    raw_id_fields = ["organization"]


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


# What an operator looks at when a worker's PDF is late or failed: its state, error and size.
PDF_COLUMNS = ["__str__", "status", "pages", "requested_by", "requested_at", "finished_at"]


@admin.register(ReviewMinutes)
class ReviewMinutesAdmin(ReadOnlyAdmin):
    list_display = PDF_COLUMNS
    list_filter = ["status"]
    list_select_related = ["submission__unit", "submission__period", "requested_by"]
