"""The curators' admin for actors, the collaboration group, contacts and grants."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sodertorn.history_admin import HistoryAdmin
from sodertorn.templatetags.pictures import picture
from sodertorn.translation_admin import TranslatedAdmin

from .forms import ActorAdminForm
from .models import (
    Actor,
    CollaborationGroup,
    ContactPerson,
    Grant,
    Meeting,
    Seat,
    SystemSolution,
)


@admin.register(Actor)
class ActorAdmin(TranslatedAdmin, HistoryAdmin):
    form = ActorAdminForm
    list_display = ("name", "sector", "municipality", "has_logo", "is_demo")
    list_filter = ("sector", "is_demo")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("municipality",)
    readonly_fields = ("logo_preview",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "sector", "municipality", "description", "website")}),
        (_("Logo"), {"fields": ("logo_preview", "logo_upload", "remove_logo", "logo_is_demo")}),
        (_("Publishing"), {"fields": ("is_demo",)}),
    )

    @admin.display(description=_("logo"), boolean=True)
    def has_logo(self, obj):
        return bool(obj.logo)

    @admin.display(description=_("current logo"))
    def logo_preview(self, obj):
        return picture(obj.logo_renditions, "", sizes="10rem", size="thumb", lazy=False) or "–"


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "representative", "representative_title", "is_demo")


@admin.register(CollaborationGroup)
class CollaborationGroupAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("name", "seat_count")
    inlines = (SeatInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(seat_count=Count("seats"))

    @admin.display(description=_("seats"), ordering="seat_count")
    def seat_count(self, obj):
        return obj.seat_count

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CollaborationGroup.objects.exists()


@admin.register(Meeting)
class MeetingAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("date", "title", "is_demo")
    date_hierarchy = "date"
    search_fields = ("title", "agenda", "minutes", "decisions")
    autocomplete_fields = ("actors_present", "testbeds_discussed")
    list_select_related = False


@admin.register(SystemSolution)
class SystemSolutionAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("title", "adopted_on", "is_demo")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("testbeds", "adopted_at")


@admin.register(ContactPerson)
class ContactPersonAdmin(HistoryAdmin):
    list_display = ("name", "role", "testbed", "actor", "email", "is_demo")
    list_filter = ("testbed",)
    search_fields = ("name", "role", "email", "testbed__title")
    autocomplete_fields = ("testbed", "actor")
    list_select_related = ("testbed", "actor")


@admin.register(Grant)
class GrantAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("title", "reference", "kind", "funder", "amount_sek", "start_date", "is_demo")
    list_filter = ("kind", "funder", "is_demo")
    search_fields = ("reference", "title", "call", "summary", "coordinator_name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("funder", "coordinator", "testbeds", "municipalities", "areas")
    list_select_related = ("funder",)
    fieldsets = (
        (None, {"fields": ("kind", "title", "slug", "reference", "funder", "call", "amount_sek")}),
        (_("Coordinator"), {"fields": ("coordinator", "coordinator_name")}),
        (_("Period"), {"fields": ("start_date", "end_date", "date_precision")}),
        (_("Summary and source"), {"fields": ("summary", "source_name", "source_url")}),
        (_("What it concerns"), {"fields": ("testbeds", "municipalities", "areas")}),
        (_("Publishing"), {"fields": ("is_demo",)}),
    )
