from urllib.parse import urlencode

import orjson
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView, View

from sodertorn import hooks
from sodertorn.geo import area_feature, feature_collection, point_feature

from . import factsheet, sections, selectors, timeline
from .filters import TestbedFilter
from .models import Municipality, Testbed, Theme


def filtered_testbeds(request, queryset=None):
    """The catalogue filters of this request (page and GeoJSON): see selectors.catalogue."""
    return selectors.catalogue(request.GET, request=request, queryset=queryset)


def valid_filter_query(filterset) -> str:
    """The query string of the filters that validated (bad values are left out), each value
    of a field taking several (``municipality=botkyrka&municipality=haninge``)."""
    if not filterset.is_bound:
        return ""
    filterset.is_valid()
    params = []
    for name in filterset.form.fields:
        if name in filterset.form.errors or name == "sort":
            continue
        data = filterset.form.data
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        params += [(name, value) for value in values if value not in (None, "")]
    return urlencode(params)


def testbed_point(latitude, longitude, *, title, url, slug, status, status_label, place, names):
    """One testbed on the map: the properties the map's script reads (static/js/maps.js)."""
    return point_feature(
        latitude,
        longitude,
        {
            "title": title,
            "url": url,
            "slug": slug,
            "status": status,
            "status_label": status_label,
            "place": place,
            "municipalities": names,
        },
    )


class HomeView(TemplateView):
    """The intro, the map and the first testbeds in the catalogue's default order (the real
    ones first, TestbedFilter.DEFAULT_SORT)."""

    template_name = "testbeds/home.html"
    featured_count = 6

    def get_context_data(self, **kwargs):
        published = Testbed.objects.published()
        order = TestbedFilter.SORT_ORDER[TestbedFilter.DEFAULT_SORT]
        return super().get_context_data(
            featured=selectors.card_list(
                selectors.cards(published).order_by(*order)[: self.featured_count]
            ),
            testbed_count=published.count(),
            municipalities=Municipality.objects.only("name", "slug"),
            geojson_url=reverse("testbeds:geojson"),
            **kwargs,
        )


class TestbedListView(ListView):
    template_name = "testbeds/testbed_list.html"
    paginate_by = 12

    def get_queryset(self):
        self.filterset = filtered_testbeds(self.request)
        return selectors.cards(self.filterset.qs)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = selectors.card_list(object_list)
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        query = valid_filter_query(self.filterset)
        return super().get_context_data(
            filter=self.filterset,
            filter_errors=self.filterset.form.errors if self.filterset.is_bound else {},
            geojson_url=reverse("testbeds:geojson") + (f"?{query}" if query else ""),
            **kwargs,
        )


SLUG_MARK = "slug-mark"


def catalogue_features(queryset) -> dict:
    """The catalogue queryset's FeatureCollection, built from plain rows (no model
    instances): the detail URL reversed once (in the active language, with its /en/ prefix)
    and the status labels translated once per request."""
    rows, municipalities = selectors.map_rows(queryset)
    head, _mark, tail = reverse("testbeds:detail", kwargs={"slug": SLUG_MARK}).rpartition(SLUG_MARK)
    labels = {value: str(label) for value, label in Testbed.Status.choices}
    return feature_collection(
        [
            testbed_point(
                latitude,
                longitude,
                title=title,
                url=f"{head}{slug}{tail}",
                slug=slug,
                status=status,
                status_label=labels.get(status, status),
                place=place_name,
                names=municipalities.get(pk, []),
            )
            for pk, title, slug, status, place_name, latitude, longitude in rows
        ]
    )


class TestbedGeoJSONView(View):
    """The published testbeds as a GeoJSON FeatureCollection, honouring the catalogue filters."""

    def get(self, request):
        filterset = filtered_testbeds(request)
        if filterset.is_bound and not filterset.is_valid():
            errors = {field: [str(e) for e in errs] for field, errs in filterset.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        # orjson: the full catalogue's 1.3 MB in a fifth of the json module's time, compact
        # UTF-8 (bench/geojson.py).
        response = HttpResponse(
            orjson.dumps(catalogue_features(filterset.qs)), content_type="application/geo+json"
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response


class TestbedDetailView(DetailView):
    template_name = "testbeds/testbed_detail.html"

    def get_queryset(self):
        return (
            Testbed.objects.visible_to(self.request.user)
            .with_relations()
            .prefetch_related(*sections.prefetches())
        )

    def get_context_data(self, **kwargs):
        testbed = self.object
        features = [
            testbed_point(
                testbed.latitude,
                testbed.longitude,
                title=testbed.title,
                url=testbed.get_absolute_url(),
                slug=testbed.slug,
                status=testbed.status,
                status_label=testbed.get_status_display(),
                place=testbed.place_name,
                names=[m.name for m in testbed.municipalities.all()],
            )
        ]
        if testbed.area:
            features.append(area_feature(testbed.area, testbed.title))
        newest_first = self.request.GET.get("tidslinje") == timeline.NEWEST_FIRST
        return super().get_context_data(
            map_features=feature_collection(features),
            testbed_sections=sections.registered(),
            timeline=timeline.events(testbed, newest_first=newest_first),
            timeline_newest_first=newest_first,
            **kwargs,
        )


class MunicipalityListView(ListView):
    template_name = "testbeds/municipality_list.html"

    def get_queryset(self):
        return Municipality.objects.defer("boundary").annotate(
            testbed_count=Count("testbeds", filter=Q(testbeds__published=True))
        )


class MunicipalityDetailView(DetailView):
    """A municipality's overview: its boundary and testbeds on the map, its newest testbeds as
    cards and a link to the catalogue filtered by it, where all of them can be paged, filtered
    and exported (one list to maintain, the page stays the same size at any catalogue size)."""

    template_name = "testbeds/municipality_detail.html"
    model = Municipality
    newest_count = TestbedListView.paginate_by

    def get_context_data(self, **kwargs):
        published = self.object.testbeds.published()
        testbeds = selectors.cards(published).order_by(*TestbedFilter.SORT_ORDER["newest"])
        query = urlencode({"municipality": self.object.slug})
        boundary = (
            [area_feature(self.object.boundary, self.object.name)] if self.object.boundary else []
        )
        return super().get_context_data(
            testbeds=selectors.card_list(testbeds[: self.newest_count]),
            testbed_count=published.count(),
            boundary_features=feature_collection(boundary),
            geojson_url=f"{reverse('testbeds:geojson')}?{query}",
            catalogue_url=f"{reverse('testbeds:list')}?{query}",
            **hooks.page_sections("municipality_sections", self.object),
            **kwargs,
        )


class TestbedFactsheetView(DetailView):
    """The testbed's one-page fact sheet, for meeting papers and exhibitions (issue 18): its
    area drawn as a static SVG, the question, status and period, and what the other apps add
    through the ``testbed_factsheet`` hook (indicators against their targets, contacts,
    grants with their reference numbers, idea groups), with a QR code to the testbed's page.
    A fixed number of queries: every part reads a bounded list (tests/test_factsheet.py).
    """

    template_name = "testbeds/testbed_factsheet.html"

    def get_queryset(self):
        return Testbed.objects.visible_to(self.request.user).prefetch_related(
            "municipalities", Prefetch("themes", queryset=Theme.objects.only("name", "slug"))
        )

    def get_context_data(self, **kwargs):
        testbed = self.object
        municipalities = list(testbed.municipalities.all())
        url = factsheet.canonical_url(self.request, testbed.get_absolute_url())
        return super().get_context_data(
            municipalities=municipalities,
            drawing=factsheet.testbed_drawing(testbed, municipalities),
            page_url=url,
            qr_code=factsheet.qr_svg(url, _("QR code: the address of this page on the web")),
            **hooks.page_sections("testbed_factsheet", testbed),
            **kwargs,
        )


class MunicipalityFactsheetView(DetailView):
    """The municipality's one-page fact sheet: its boundary with its first testbeds (the real
    ones first, ``factsheet.MUNICIPALITY_TESTBEDS`` of them and a count of the rest) and what
    the ``municipality_factsheet`` hooks add (key indicators), with a QR code to its page."""

    template_name = "testbeds/municipality_factsheet.html"
    model = Municipality

    def get_context_data(self, **kwargs):
        municipality = self.object
        published = municipality.testbeds.published()
        testbeds = list(
            published.only(
                "id",
                "title",
                "slug",
                "status",
                "is_demo",
                "start_date",
                "end_date",
                "latitude",
                "longitude",
            )
            .prefetch_related(None)
            .order_by(*TestbedFilter.SORT_ORDER["real"])[: factsheet.MUNICIPALITY_TESTBEDS]
        )
        count = published.count()  # always: the same queries with few testbeds as with many
        query = urlencode({"municipality": municipality.slug})
        url = factsheet.canonical_url(self.request, municipality.get_absolute_url())
        return super().get_context_data(
            testbeds=testbeds,
            testbed_count=count,
            more_testbeds=count - len(testbeds),
            catalogue_url=f"{reverse('testbeds:list')}?{query}",
            drawing=factsheet.municipality_drawing(municipality, testbeds),
            page_url=url,
            qr_code=factsheet.qr_svg(url, _("QR code: the address of this page on the web")),
            **hooks.page_sections("municipality_factsheet", municipality),
            **kwargs,
        )
