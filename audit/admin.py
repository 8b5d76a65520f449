"""The audit log in the admin: superusers only, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "username", "content_type", "object_repr", "address")
    list_filter = ("action", "content_type", "at")
    search_fields = ("username", "object_repr", "object_id", "address")
    date_hierarchy = "at"
    list_select_related = ("content_type",)
    readonly_fields = (
        "at",
        "action",
        "user",
        "username",
        "content_type",
        "object_id",
        "object_repr",
        "address",
        "details",
    )
    fieldsets = (
        (None, {"fields": ("at", "action", "user", "username", "address")}),
        (_("Object"), {"fields": ("content_type", "object_id", "object_repr", "details")}),
    )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
