from django.contrib import admin

from .models import Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "birth_date", "gender", "branch", "status")
    search_fields = ("name_folded", "citizen_id", "card_number")
    list_filter = ("status", "gender")
    raw_id_fields = ("branch", "updated_by")
