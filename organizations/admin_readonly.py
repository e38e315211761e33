"""The admin's read-only classes, one copy for every app.

Workflow rows change only through services, which check permissions, keep the tree's summary
counts and write the audit entry (DESIGN.md); an admin form would do none of that. So the admin
shows these rows and changes none of them: no add, no change, no delete (and so no bulk delete
action)."""

from django.contrib import admin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
