from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import AuditEntry, Level, Organization, Post, UnitKind


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rank", "is_branch", "is_grassroots")
    filter_horizontal = ("allowed_parents",)


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization, exclude=("members_total", "units_total", "branches_total"))
    list_display = ("name", "code", "level", "status")
    search_fields = ("code", "name_folded")
    list_filter = ("level", "status")
    list_select_related = ("level",)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization", "started_on", "ended_on")
    list_filter = ("role",)
    raw_id_fields = ("user", "organization")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "by", "action", "content_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "content_type")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
