"""Admin building blocks for records that change only through services.

Orders, payments and their events are written by the services (which lock,
validate and record history); the admin shows them and never edits them.
"""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    fields = ["created_at", "type", "user", "parameters"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows every field; no add, no delete."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventAdmin(ReadOnlyAdmin):
    """History is never rewritten: events cannot even be saved again."""

    def has_change_permission(self, request, obj=None):
        return False
