"""Public pages of the indicators app: thin views over the selectors and chart geometry."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from sodertorn import hooks
from testbeds.models import Testbed

from . import charts, effect, exports, goals, selectors
from .forms import AnalysisForm, IndicatorViewForm
from .models import Area, AreaKind, Gender, Indicator

DEFAULT_ANALYSIS = {"x": "forvarvsfrekvens", "y": "ekonomiskt-bistand", "size": "folkmangd"}


class IndicatorListView(TemplateView):
    template_name = "indicators/indicator_list.html"

    def get_context_data(self, **kwargs):
        groups = selectors.indicators_by_dimension()
        return super().get_context_data(
            groups=groups,
            has_example=any(i.latest_has_example for _d, _l, items in groups for i in items),
            **kwargs,
        )


class IndicatorDetailView(DetailView):
    template_name = "indicators/indicator_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "indicator"

    def get_queryset(self):
        return selectors.indicator_detail_queryset()

    def get_context_data(self, **kwargs):
        indicator = self.object
        kinds = selectors.indicator_kinds(indicator) or [AreaKind.MUNICIPALITY]
        genders = selectors.indicator_genders(indicator)
        form = IndicatorViewForm(
            self.request.GET,
            kinds=kinds,
            genders=genders,
            defaults={
                "level": AreaKind.MUNICIPALITY if AreaKind.MUNICIPALITY in kinds else kinds[0],
                "gender": Gender.TOTAL if Gender.TOTAL in genders else genders[0],
                "year": None,
            },
        )
        level, gender = form.peek("level"), form.peek("gender")
        series = selectors.indicator_series(indicator, kind=level, gender=gender)
        form.set_years(series.years, default=selectors.default_year(series))
        view = form.effective()
        year = view["year"]
        return super().get_context_data(
            form=form,
            view=view,
            level_label=dict(form.fields["level"].choices).get(level, ""),
            gender_label=Gender(gender).label,
            **selectors.indicator_overview(indicator, series, year),
            **kwargs,
        )


class IndicatorExportView(SingleObjectMixin, View):
    """One indicator's data as CSV or JSON (the `format` in the URLconf's kwargs)."""

    slug_field = "code"
    slug_url_kwarg = "code"
    file_format = "csv"

    def get_queryset(self):
        return Indicator.objects.all()

    def get(self, request, *args, **kwargs):
        indicator = self.get_object()
        if self.file_format == "json":
            return exports.json_response([indicator], single=True)
        return exports.csv_response([indicator], filename=f"{indicator.code}.csv")


class ExportAllView(View):
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        indicators = list(Indicator.objects.order_by("code"))
        if self.file_format == "json":
            return exports.json_response(indicators, single=False)
        return exports.csv_response(indicators, filename="indikatorer.csv")


class AreaListView(ListView):
    template_name = "indicators/area_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        return Area.objects.light().order_by("kind", "area_name", "pk")

    def get_context_data(self, **kwargs):
        groups = {}
        for area in self.object_list:
            groups.setdefault(area.kind, []).append(area)
        return super().get_context_data(
            groups=[
                (kind, AreaKind(kind).label, groups[kind])
                for kind in AreaKind.values
                if kind in groups
            ],
            has_approximate=any(area.approximate_boundary for area in self.object_list),
            **kwargs,
        )


class AreaDetailView(DetailView):
    template_name = "indicators/area_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "area"

    def get_queryset(self):
        return Area.objects.with_identity().defer(
            "parent__own_boundary", "parent__municipality__boundary"
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, area_code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.area_overview(self.object),
            **hooks.page_sections("area_sections", self.object),
            **kwargs,
        )


class AnalysisView(TemplateView):
    """Södertörnsanalysen: a bubble chart of areas on two indicators, sized by a third, for one
    year. Everything chosen is in the query string, so a view can be shared as a link."""

    template_name = "indicators/analysis.html"

    def get_context_data(self, **kwargs):
        indicators = list(Indicator.objects.order_by("name"))
        context = super().get_context_data(indicators=indicators, **kwargs)
        if len(indicators) < 1:
            return context
        by_code = {indicator.code: indicator for indicator in indicators}
        kinds = selectors.area_kinds()
        default_level = (
            AreaKind.MUNICIPALITY if AreaKind.MUNICIPALITY in kinds else AnalysisForm.LEVEL_ALL
        )
        codes = [indicator.code for indicator in indicators]
        defaults = {
            "x": DEFAULT_ANALYSIS["x"] if DEFAULT_ANALYSIS["x"] in by_code else codes[0],
            "y": DEFAULT_ANALYSIS["y"] if DEFAULT_ANALYSIS["y"] in by_code else codes[-1],
            "size": DEFAULT_ANALYSIS["size"] if DEFAULT_ANALYSIS["size"] in by_code else "",
            "colour": AnalysisForm.COLOUR_PROGRAMME,
            "level": default_level,
            "gender": Gender.TOTAL,
            "year": None,
        }
        form = AnalysisForm(
            self.request.GET, indicators=indicators, kinds=kinds, years=[], defaults=defaults
        )
        x = by_code[form.peek("x")]
        y = by_code[form.peek("y")]
        size_code = form.peek("size")
        size = by_code.get(size_code) if size_code else None
        level = form.peek("level")
        kind = None if level == AnalysisForm.LEVEL_ALL else level
        gender_choice = form.peek("gender")
        split = gender_choice == AnalysisForm.GENDER_SPLIT
        genders = [Gender.WOMEN, Gender.MEN] if split else [gender_choice]
        chosen = [x, y] + ([size] if size else [])
        data = selectors.analysis_data(chosen, kind=kind, genders=genders)
        bubbles = selectors.analysis_bubbles(
            data, x=x, y=y, size=size, gender_choice=gender_choice, colour=form.peek("colour")
        )
        items, years = bubbles["items"], bubbles["years"]
        form.fields["year"].choices = [(value, str(value)) for value in sorted(years, reverse=True)]
        form.defaults["year"] = years[-1] if years else None
        view = form.effective()
        year = view["year"]
        chart = charts.bubble_chart(
            items,
            year=year or 0,
            x_decimals=x.decimals,
            y_decimals=y.decimals,
            size_decimals=size.decimals if size else 0,
        )
        context.update(
            form=form,
            view=view,
            x=x,
            y=y,
            size=size,
            year=year,
            years=years,
            chart=chart,
            legend=bubbles["legend"],
            fallback=bubbles["fallback"],
            split=split,
            has_example=bubbles["has_example"],
            has_approximate=any(area.approximate_boundary for area in data.areas),
            gender_label=(_("women and men") if split else Gender(gender_choice).label.lower()),
        )
        return context


class GoalTrackerView(TemplateView):
    """Stockholm's programme for a cohesive city as a goal tracker: goal areas, goals, the
    indicators that follow them, the responsible bodies in order and the follow-up, each goal
    judged per area (indicators/goals.py)."""

    template_name = "indicators/goal_list.html"

    def get_context_data(self, **kwargs):
        programmes = goals.goal_tracker()
        return super().get_context_data(
            programmes=programmes,
            has_example=any(p.has_example for p in programmes),
            **kwargs,
        )


class TestbedEffectView(DetailView):
    """A testbed's effect against similar places (indicators/effect.py): its small areas
    before and after its start beside the areas most like them before it. A testbed in no
    small area has no such page (404). A fixed number of queries (tests/test_effect.py)."""

    template_name = "indicators/testbed_effect.html"
    context_object_name = "testbed"

    def get_queryset(self):
        return Testbed.objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        testbed = super().get_object(queryset)
        self.effect = effect.testbed_effect(testbed)
        if not self.effect.areas:
            raise Http404(_("The testbed lies in no small area."))
        return testbed

    def get_context_data(self, **kwargs):
        return super().get_context_data(effect=self.effect, k=effect.K, **kwargs)
