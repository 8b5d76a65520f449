"""Curators see how many follow what (the change list and its filters count them); the
addresses are not shown, and nothing is added or edited here: a subscription is its owner's."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("target_name", "frequency", "confirmed", "created_at")
    list_filter = ("frequency", ("confirmed_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("testbed", "municipality", "indicator", "round")
    fields = ("target_name", "frequency", "confirmed", "created_at", "last_digest_at")
    readonly_fields = fields

    @admin.display(description=_("followed"))
    def target_name(self, obj):
        return str(obj.target)

    @admin.display(description=_("confirmed"), boolean=True)
    def confirmed(self, obj):
        return obj.is_confirmed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
