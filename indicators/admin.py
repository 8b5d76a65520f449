"""The curators' admin for areas, indicators and observations, with the data import page.

Imported by sodertorn.apps.SodertornConfig (SimpleAdminConfig: no autodiscovery).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from sodertorn.geo import GeoJSONAreaField, MapWidget
from sodertorn.history_admin import HistoryAdmin
from sodertorn.translation_admin import TranslatedAdmin

from . import pending_imports
from .forms import ImportForm
from .models import Area, Body, Goal, GoalArea, Indicator, Observation, Programme, Responsibility
from .services import import_observations


class AreaAdminForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = (
            "kind",
            "municipality",
            "own_code",
            "own_name",
            "own_boundary",
            "approximate_boundary",
            "parent",
            "prioritised",
        )
        field_classes = {"own_boundary": GeoJSONAreaField}
        widgets = {"own_boundary": MapWidget()}


@admin.register(Area)
class AreaAdmin(HistoryAdmin):
    form = AreaAdminForm
    list_display = (
        "display_name",
        "display_code",
        "kind",
        "parent",
        "prioritised",
        "observation_count",
    )
    list_filter = ("kind", "prioritised", "approximate_boundary")
    search_fields = ("own_name", "own_code", "municipality__name", "municipality__code")
    autocomplete_fields = ("municipality", "parent")
    fieldsets = (
        (None, {"fields": ("kind", "parent", "municipality", "prioritised")}),
        (
            _("Areas without a programme municipality"),
            {
                "fields": ("own_code", "own_name", "own_boundary", "approximate_boundary"),
                "description": _(
                    "A programme municipality's name, code and boundary are edited on the "
                    "municipality itself; leave these empty for it."
                ),
            },
        ),
    )

    # Programme municipalities by their name, then the areas with names of their own.
    ordering = ("kind", "municipality__name", "own_name")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_identity()
            .defer("own_boundary", "municipality__boundary", "parent__own_boundary")
            .defer("parent__municipality__boundary")
            .annotate(observation_count=Count("observations"))
        )

    @admin.display(description=_("name"), ordering="area_name")
    def display_name(self, obj):
        return obj.name

    @admin.display(description=_("code"), ordering="area_code")
    def display_code(self, obj):
        return obj.code

    @admin.display(description=_("observations"), ordering="observation_count")
    def observation_count(self, obj):
        return obj.observation_count


@admin.register(Indicator)
class IndicatorAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("name", "code", "dimension", "unit", "direction", "kolada_kpi", "observations")
    list_filter = ("dimension", "direction", "used_for_similarity")
    search_fields = ("name", "code", "kolada_kpi", "description")
    prepopulated_fields = {"code": ("name",)}
    autocomplete_fields = ("themes", "testbeds", "area_scope")
    fieldsets = (
        (None, {"fields": ("name", "code", "description", "dimension", "unit", "decimals")}),
        (
            _("Interpretation"),
            {
                "fields": (
                    "direction",
                    ("target_value", "target_year"),
                    ("min_value", "max_value"),
                ),
                "description": _(
                    "The valid range: imports and the observation form refuse values outside it "
                    "(e.g. 0 and 100 for a share in per cent, 0 and empty for a count)."
                ),
            },
        ),
        (
            _("Source and method"),
            {"fields": ("source", "method", "responsible_body", "kolada_kpi", "area_scope")},
        ),
        (_("Related"), {"fields": ("themes", "testbeds", "used_for_similarity")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(observation_count=Count("observations"))

    @admin.display(description=_("observations"), ordering="observation_count")
    def observations(self, obj):
        return obj.observation_count


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "area_name", "year", "gender", "value", "is_example", "note")
    list_filter = ("indicator", "gender", "is_example", "area__kind", "year")
    search_fields = (
        "indicator__name",
        "indicator__code",
        "area__own_name",
        "area__own_code",
        "area__municipality__name",
        "area__municipality__code",
    )
    autocomplete_fields = ("indicator", "area")
    list_per_page = 100
    change_list_template = "admin/indicators/observation/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("indicator", "area__municipality")
            .defer("area__own_boundary", "area__municipality__boundary")
        )

    @admin.display(description=_("area"), ordering="area__own_name")
    def area_name(self, obj):
        return obj.area.name

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        """Check a file (a dry run) and import it, or import it at once. After a clean dry run
        the file is kept (pending_imports) and "Import the checked file" imports it without
        choosing it again. The report is on the page, once (no admin message beside it)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = pending = None
        form = ImportForm()
        if request.method == "POST" and "pending" in request.POST:
            token = request.POST["pending"]
            stored = pending_imports.peek(request, token)
            if stored is None:
                self.message_user(
                    request,
                    _("The checked file is no longer kept: choose it again."),
                    messages.ERROR,
                )
            else:
                report = import_observations(
                    stored.data, name=stored.name, file_format=stored.file_format
                )
                # Discarded only once imported: a failed import can be confirmed again.
                if report.ok:
                    pending_imports.discard(request)
                else:
                    pending = token
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data = upload.read()
                file_format = form.cleaned_data["file_format"] or None
                report = import_observations(
                    data,
                    name=upload.name,
                    file_format=file_format,
                    dry_run=form.cleaned_data["dry_run"],
                )
                if report.dry_run and report.ok:
                    pending = pending_imports.keep(
                        request, data, name=upload.name, file_format=report.format
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import indicator data"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "pending": pending,
            "changelist_url": reverse("admin:indicators_observation_changelist"),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/indicators/observation/import.html", context)


# The goal tracker --------------------------------------------------------------------------


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "prioritised")
    list_filter = ("kind", "prioritised")
    search_fields = ("name",)
    autocomplete_fields = ("areas",)


class GoalAreaInline(admin.TabularInline):
    model = GoalArea
    extra = 0
    fields = ("position", "name", "description")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "period_start", "period_end", "area", "follow_up")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("area", "follow_up")
    inlines = [GoalAreaInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("area__municipality", "follow_up")
            .defer("area__own_boundary", "area__municipality__boundary")
        )


@admin.register(GoalArea)
class GoalAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "position")
    list_filter = ("programme",)
    search_fields = ("name",)
    list_select_related = ("programme",)


class ResponsibilityInline(admin.TabularInline):
    """The bodies responsible for a goal, in the programme's order: the first leads."""

    model = Responsibility
    extra = 1
    fields = ("position", "body")
    autocomplete_fields = ("body",)
    ordering = ("position", "id")
    verbose_name = _("responsible body")
    verbose_name_plural = _("responsible bodies (the lowest position leads)")


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("__str__", "goal_area", "direction", "lead_body", "follow_up", "is_example")
    list_filter = ("goal_area__programme", "goal_area", "direction", "is_example")
    search_fields = ("number", "text", "heading")
    autocomplete_fields = ("goal_area", "indicators", "follow_up")
    inlines = [ResponsibilityInline]
    fieldsets = (
        (None, {"fields": ("goal_area", "position", "heading", "number", "text", "is_example")}),
        (
            _("Direction and judgement"),
            {
                "fields": ("direction", ("target_value", "target_year"), "baseline_year"),
                "description": _(
                    "Each area's latest value is compared with its value in the baseline year. "
                    "A target value and year go with “target: at least” or “target: at most”."
                ),
            },
        ),
        (_("Indicators and follow-up"), {"fields": ("indicators", "follow_up")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("goal_area__programme", "follow_up")
            .prefetch_related(
                Prefetch(
                    "responsibilities",
                    queryset=Responsibility.objects.select_related("body").order_by(
                        "position", "id"
                    ),
                    to_attr="ordered_responsibilities",
                )
            )
        )

    @admin.display(description=_("leads"))
    def lead_body(self, obj):
        first = obj.ordered_responsibilities[:1]
        return first[0].body.name if first else "–"
