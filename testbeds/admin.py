"""The curators' admin for testbeds, municipalities and themes.

Imported by sodertorn.apps.SodertornConfig (the admin runs as SimpleAdminConfig, with no
autodiscovery, so that django-leaflet's GDAL-bound admin module is never imported).
"""

from django.contrib import admin, messages
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sodertorn.history_admin import HistoryAdmin
from sodertorn.publishing import set_published
from sodertorn.translation_admin import TranslatedAdmin

from .forms import MunicipalityAdminForm, TestbedAdminForm
from .models import Municipality, Testbed, Theme


@admin.register(Municipality)
class MunicipalityAdmin(HistoryAdmin):
    form = MunicipalityAdminForm
    list_display = ("name", "code", "testbed_count")
    search_fields = ("name", "code")
    ordering = ("name",)  # the count's GROUP BY drops Meta.ordering; autocomplete paginates
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "code")}),
        (
            _("Place"),
            {"fields": (("center_latitude", "center_longitude"), "boundary")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(testbed_count=Count("testbeds"))

    @admin.display(description=_("testbeds"), ordering="testbed_count")
    def testbed_count(self, obj):
        return obj.testbed_count


@admin.register(Theme)
class ThemeAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Testbed)
class TestbedAdmin(TranslatedAdmin, HistoryAdmin):
    form = TestbedAdminForm
    list_display = (
        "title",
        "status",
        "plan_stage",
        "municipality_names",
        "start_date",
        "published",
        "is_demo",
        "updated_at",
    )
    list_filter = ("status", "plan_stage", "municipalities", "themes", "published")
    search_fields = ("title", "question", "summary", "place_name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("municipalities", "themes")
    readonly_fields = ("created_at", "updated_at")
    list_select_related = False  # no foreign keys; the many-to-many is prefetched below
    actions = ("publish", "unpublish")
    fieldsets = (
        (
            _("Content"),
            {
                "fields": (
                    "title",
                    "slug",
                    "question",
                    "summary",
                    "body",
                    "status",
                    "plan_stage",
                    "municipalities",
                    "themes",
                )
            },
        ),
        (_("Time"), {"fields": ("start_date", "end_date")}),
        (
            _("Place"),
            {
                "fields": ("place_name", ("latitude", "longitude"), "area"),
                "description": _(
                    "The point marks the testbed on the public map; the area is optional."
                ),
            },
        ),
        (_("Image"), {"fields": ("cover_image", "cover_alt")}),
        (
            _("Publishing"),
            {"fields": ("published", "is_demo", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("municipalities", queryset=Municipality.objects.only("id", "name"))
            )
        )

    @admin.display(description=_("municipalities"))
    def municipality_names(self, obj):
        return ", ".join(municipality.name for municipality in obj.municipalities.all())

    @admin.action(description=_("Publish selected testbeds"), permissions=["change"])
    def publish(self, request, queryset):
        count = set_published(queryset, True, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d testbed was published.",
                "%(count)d testbeds were published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected testbeds"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = set_published(queryset, False, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d testbed was unpublished.",
                "%(count)d testbeds were unpublished.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
