"""Accessibility feedback in the admin: curators read it and mark it handled; the sender's
fields are read-only, and only a superuser deletes."""

from django.contrib import admin

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("__str__", "page", "created_at", "handled")
    list_filter = ("handled", "created_at")
    search_fields = ("message", "page", "name", "email", "note")
    date_hierarchy = "created_at"
    fields = ("message", "page", "name", "email", "created_at", "handled", "handled_by", "note")
    readonly_fields = ("message", "page", "name", "email", "created_at", "handled_by")

    def has_add_permission(self, request):
        return False  # feedback comes from visitors, through the public form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if "handled" in form.changed_data:
            obj.handled_by = request.user if obj.handled else None
        super().save_model(request, obj, form, change)
