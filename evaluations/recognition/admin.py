"""Read-only admin: campaigns, registrations, decisions, flags and reports change only through
recognition.services (the pages), which check the deadlines and roles and write the audit."""

from django.contrib import admin

from evaluations.admin import PDF_COLUMNS
from organizations.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Campaign, CampaignCriterion, Decision, Flag, Registration, RegistrationReport, RenderedDocument


class CriterionInline(ReadOnlyTabularInline):
    model = CampaignCriterion


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "province", "registration_deadline", "report_deadline")
    list_filter = ("year",)
    inlines = [CriterionInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("organization", "campaign", "status", "is_late", "submitted_at", "cadre")
    list_filter = ("status", "is_late", "campaign__year")
    list_select_related = ("organization", "campaign", "cadre")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("number", "signed_on", "issued_by", "signer", "campaign")
    list_select_related = ("issued_by", "campaign")


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("decision", "raised_at", "is_resolved")


@admin.register(RegistrationReport)
class RegistrationReportAdmin(ReadOnlyAdmin):
    list_display = ("unit", "campaign", "sent_at", "is_late", "registrant_count")
    list_select_related = ("unit", "campaign")


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(ReadOnlyAdmin):
    list_display = PDF_COLUMNS
    list_filter = ["status"]
