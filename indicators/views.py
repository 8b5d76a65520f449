"""Public pages of the indicators app: thin views over the selectors and chart geometry."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from sodertorn.geo import feature_collection

from . import charts, exports, selectors
from .forms import AnalysisForm, IndicatorViewForm
from .models import Area, AreaKind, Direction, Gender, Indicator

DEFAULT_ANALYSIS = {"x": "forvarvsfrekvens", "y": "ekonomiskt-bistand", "size": "folkmangd"}


def real_values_note(series: selectors.Series, names: dict[int, str], limit: int = 10) -> list[str]:
    """'Tensta 2012'-style labels of the real (not example) values in a mostly invented series."""
    real = [
        f"{names[area_id]} {year}"
        for area_id, by_year in series.values.items()
        for year, (_value, is_example) in sorted(by_year.items())
        if not is_example and area_id in names
    ]
    return real if len(real) <= limit else []


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
        form.set_years(series.years)
        view = form.effective()
        year = view["year"]
        names = {area.pk: area.name for area in series.areas}

        small = charts.small_multiples(
            [
                (
                    area.code,
                    area.name,
                    area.get_absolute_url(),
                    [(y, v, ex) for y, (v, ex) in series.values.get(area.pk, {}).items()],
                )
                for area in series.areas
                if series.values.get(area.pk)
            ],
            decimals=indicator.decimals,
            unit=indicator.unit,
            target=indicator.target_value,
        )
        table_rows = [
            (area, [series.values.get(area.pk, {}).get(y) for y in series.years])
            for area in series.areas
            if series.values.get(area.pk)
        ]

        year_values = {
            area.pk: series.values.get(area.pk, {}).get(year, (None, False))[0]
            for area in series.areas
        }
        classes = charts.quantile_classes(
            [v for v in year_values.values() if v is not None], indicator.decimals
        )
        map_rows, features = [], []
        for area in series.areas:
            value = year_values[area.pk]
            colour_class = charts.class_of(value, classes)
            if colour_class is not None:
                colour_class.count += 1
            map_rows.append((area, value, colour_class))
            if area.boundary:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": area.boundary,
                        "properties": {
                            "name": area.name,
                            "url": area.get_absolute_url(),
                            "value": charts.format_value(value, indicator.decimals)
                            if value is not None
                            else _("no data"),
                            "unit": indicator.unit,
                            "className": colour_class.css if colour_class else "choropleth-none",
                            "classLabel": colour_class.label if colour_class else "",
                        },
                    }
                )
        missing_count = sum(1 for _a, value, _c in map_rows if value is None)

        gaps = []
        if indicator.has_target:
            for area, values in table_rows:
                latest = next(
                    (
                        (y, v)
                        for y, v in zip(reversed(series.years), reversed(values), strict=True)
                        if v
                    ),
                    None,
                )
                if latest is None:
                    continue
                latest_year, (value, _example) = latest
                gaps.append((area, latest_year, value, gap_status(indicator, value)))

        return super().get_context_data(
            form=form,
            view=view,
            level_label=dict(form.fields["level"].choices).get(level, ""),
            gender_label=Gender(gender).label,
            series=series,
            small=small,
            table_rows=table_rows,
            classes=classes,
            missing_count=missing_count,
            map_rows=map_rows,
            map_features=feature_collection(features),
            gaps=gaps,
            has_example=series.has_example,
            real_values=real_values_note(series, names) if series.has_example else [],
            **kwargs,
        )


def gap_status(indicator: Indicator, value: Decimal) -> dict:
    """The distance from a value to the indicator's target, and whether the target is met."""
    gap = value - indicator.target_value
    if indicator.direction == Direction.HIGHER_IS_BETTER:
        met = value >= indicator.target_value
    elif indicator.direction == Direction.LOWER_IS_BETTER:
        met = value <= indicator.target_value
    else:
        met = None
    return {
        "gap": gap,
        "gap_label": ("+" if gap > 0 else "") + charts.format_value(gap, indicator.decimals),
        "met": met,
    }


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
        area = self.object
        groups = selectors.area_rows(area)
        children = list(Area.objects.light().filter(parent=area).order_by("area_name"))
        features = []
        if area.boundary:
            features.append(
                {
                    "type": "Feature",
                    "geometry": area.boundary,
                    "properties": {"title": area.name, "kind": "area"},
                }
            )
        rows = [row for _d, _l, items in groups for row in items]
        has_example = any(row.has_example for row in rows)
        real = [
            f"{row.indicator.name} {year}"
            for row in rows
            for year, _value, is_example in row.points
            if not is_example
        ]
        return super().get_context_data(
            groups=groups,
            children=children,
            map_features=feature_collection(features),
            has_example=has_example,
            real_values=real if has_example and len(real) <= 10 else [],
            has_data=any(row.points for row in rows),
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

        # Gender: an indicator without the chosen split uses its total, and the page says so.
        def gender_for(indicator, gender):
            if gender in data.genders.get(indicator.pk, set()):
                return gender
            return Gender.TOTAL

        fallback = [
            indicator
            for indicator in dict.fromkeys(chosen)
            if gender_choice != Gender.TOTAL
            and not set(genders) <= data.genders.get(indicator.pk, set())
        ]

        colour = form.peek("colour")
        items = []
        groups: dict[str, int] = {}
        for area in data.areas:
            for gender in genders:
                xs = data.values.get((x.pk, area.pk, gender_for(x, gender)), {})
                ys = data.values.get((y.pk, area.pk, gender_for(y, gender)), {})
                sizes = (
                    data.values.get((size.pk, area.pk, gender_for(size, gender)), {})
                    if size
                    else {}
                )
                values = {}
                for year_ in xs.keys() & ys.keys():
                    size_value = sizes.get(year_)
                    if size and size_value is None:
                        continue
                    example = xs[year_][1] or ys[year_][1] or bool(size_value and size_value[1])
                    values[year_] = (
                        xs[year_][0],
                        ys[year_][0],
                        size_value[0] if size_value else None,
                        example,
                    )
                if not values:
                    continue
                group_label = self.group_label(area, colour, gender if split else None)
                group = groups.setdefault(group_label, len(groups) % charts.GROUP_CLASSES)
                label = area.name
                if split:
                    label = f"{area.name}, {Gender(gender).label.lower()}"
                items.append(
                    {
                        "key": f"{area.code}-{gender}",
                        "label": label,
                        "group": group,
                        "group_label": group_label,
                        "url": area.get_absolute_url(),
                        "values": values,
                    }
                )
        years = sorted({year_ for item in items for year_ in item["values"]})
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
        # Playing through the years shows every year's values: any invented one is flagged.
        any_example = any(entry[3] for item in items for entry in item["values"].values())
        context.update(
            form=form,
            view=view,
            x=x,
            y=y,
            size=size,
            year=year,
            years=years,
            chart=chart,
            legend=list(groups.items()),
            fallback=fallback,
            split=split,
            has_example=any_example,
            gender_label=(_("women and men") if split else Gender(gender_choice).label.lower()),
        )
        return context

    @staticmethod
    def group_label(area: Area, colour: str, gender: str | None) -> str:
        if gender is not None:
            return str(Gender(gender).label)
        if colour == AnalysisForm.COLOUR_KIND:
            return str(AreaKind(area.kind).label)
        if colour == AnalysisForm.COLOUR_PARENT:
            return area.parent.name if area.parent_id else _("No parent area")
        if colour == AnalysisForm.COLOUR_PROGRAMME:
            return _("Södertörn") if area.in_programme else _("Outside Södertörn")
        return _("All areas")
