"""The tree, posts, users and the audit trail are read-only here: they change through
organizations.services (the pages), which check the level rules, keep the summary counts and
write the audit. Levels and kinds are lookup data an operator may add and rename."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from treebeard.admin import TreeAdmin

from .admin_readonly import ReadOnlyAdmin, ReadOnlyMixin
from .levels import level_order
from .models import AuditEntry, Level, Organization, Post, UnitKind


class AliasesField(forms.CharField):
    """A level's or kind's aliases, one a line, as an operator types a list (not JSON)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):  # JSONField's, unused for lines
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line for line in (super().to_python(value) or "").splitlines() if line.strip()]


class LookupAdmin(admin.ModelAdmin):
    """Add and edit, never delete: units, policies and cadre limits point at these rows. Aliases
    are checked by the model's ``clean`` (one word, one row)."""

    formfield_overrides = {models.JSONField: {"form_class": AliasesField}}

    @admin.display(description="tên gọi khác")
    def alias_list(self, obj) -> str:
        return ", ".join(obj.aliases)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Level)
class LevelAdmin(LookupAdmin):
    list_display = ("code", "name", "alias_list", "rank", "is_branch", "is_grassroots")
    ordering = (*level_order(), "code")
    filter_horizontal = ("allowed_parents",)

    def get_readonly_fields(self, request, obj=None):
        # A saved level's flags decide the tree's branch counts and who approves member ratings:
        # flipping one would leave the counts and the open ratings wrong, so only a new level sets them.
        return ("code", "is_branch", "is_grassroots") if obj else ()


@admin.register(UnitKind)
class UnitKindAdmin(LookupAdmin):
    list_display = ("code", "name", "alias_list")


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyMixin, TreeAdmin):
    list_display = ("name", "code", "level", "status", "members_total")
    search_fields = ("code", "name_folded")
    list_filter = ("level", "status")
    list_select_related = ("level",)


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "organization", "started_on", "ended_on")
    list_filter = ("role",)
    list_select_related = ("user", "organization")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "by", "action", "content_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "content_type")
    list_select_related = ("by", "content_type")


# Accounts are created with their first post and locked through the users page (audited);
# operators use `createsuperuser` / `changepassword` for the first administrator.
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ReadOnlyUserAdmin(ReadOnlyMixin, UserAdmin):
    pass
