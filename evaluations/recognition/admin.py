"""Read-mostly admin: workflow states change only through services (DESIGN.md), so status
fields are read-only here."""

from django.contrib import admin

from .models import Campaign, CampaignCriterion, Decision, Flag, Registration, RegistrationReport


class CriterionInline(admin.TabularInline):
    model = CampaignCriterion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "province", "registration_deadline", "report_deadline")
    list_filter = ("year",)
    raw_id_fields = ("province", "created_by")
    inlines = [CriterionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("organization", "campaign", "status", "is_late", "submitted_at", "cadre")
    list_filter = ("status", "is_late", "campaign__year")
    list_select_related = ("organization", "campaign", "cadre")
    readonly_fields = ("status", "submitted_at", "is_late", "decision", "decision_reason")
    raw_id_fields = ("organization", "receiving_unit", "cadre", "campaign")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "signed_on", "issued_by", "signer", "campaign")
    raw_id_fields = ("issued_by", "created_by", "campaign")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("decision", "raised_at", "is_resolved")
    readonly_fields = ("is_resolved", "resolved_by", "resolved_at")
    raw_id_fields = ("decision", "raised_by")


@admin.register(RegistrationReport)
class RegistrationReportAdmin(admin.ModelAdmin):
    list_display = ("unit", "campaign", "sent_at", "is_late", "registrant_count")
    raw_id_fields = ("unit", "campaign", "sent_by")
