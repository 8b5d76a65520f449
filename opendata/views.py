"""The read-only JSON API, its OpenAPI description, the CSV exports, the DCAT catalogue and the
human page about all of them. Plain Django views: the filters are the pages' own FilterSets."""

from __future__ import annotations

import functools
import re

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from sodertorn import csvwriter

from . import csvexport, dcat, openapi
from .datasets import CONTACT_EMAIL, DATASETS, LICENSE_NAME, LICENSE_URL
from .resources import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Links, by_name, resources

JSON = "application/json"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what slugs and indicator codes are made of


class PageForm(forms.Form):
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET)


def json_response(data, status: int = 200, content_type: str = JSON) -> JsonResponse:
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = f"{content_type}; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    """An error in JSON; ``message`` (and the field ``errors``) in the active language, the
    visitor's (ApiView.dispatch), never one language beside the other."""
    body = {"detail": message}
    if errors is not None:
        body["errors"] = errors
    return json_response(body, status=status)


def form_errors(*forms_) -> dict[str, list[str]]:
    errors = {}
    for form in forms_:
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(str(m) for m in messages)
    return errors


def default_language():
    """The catalogue's addresses are in Swedish, the default language."""
    return translation.override(settings.LANGUAGE_CODE)


def api_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def header_language(request) -> str:
    """The language Accept-Language asks for among the site's (default Swedish)."""
    return translation.get_language_from_request(request)


def response_language(request) -> str | None:
    """The language of an API answer: ``?lang=`` wins over Accept-Language; None when
    ``lang`` names a language the API does not speak."""
    asked = request.GET.get("lang")
    if asked is None:
        return header_language(request)
    asked = asked.strip().lower()
    return asked if asked in api_languages() else None


def in_response_language(view):
    """Wrap an API view (outside its page cache, whose key names the active language): the
    whole answer (content, choice labels, links to the HTML pages, messages) is in one
    language, ``?lang=sv|en`` or else that of Accept-Language (default Swedish). An unknown
    ``lang`` is a 400 in the language of Accept-Language."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        language = response_language(request)
        if language is None:
            with translation.override(header_language(request)):
                message = gettext("Unknown language: choose one of %(languages)s.") % {
                    "languages": ", ".join(api_languages())
                }
                return error_response(
                    400, gettext("Invalid query parameters."), {"lang": [message]}
                )
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


class ApiView(View):
    """GET (and HEAD, OPTIONS) only: anything else is 405 with an Allow header. The API is
    outside i18n_patterns; its URLs wrap every view in ``in_response_language``."""

    http_method_names = ["get", "head", "options"]


class ResourceListView(ApiView):
    resource_name = ""

    @property
    def resource(self):
        return by_name(self.resource_name)

    def get_queryset(self):
        return self.resource.queryset()

    def get(self, request):
        resource = self.resource
        page = PageForm(request.GET)
        queryset = self.get_queryset()
        checked = [page]
        if resource.filterset_class is not None:
            filterset = resource.filterset(request.GET, request)
            if filterset.is_bound:
                checked.append(filterset.form)
            queryset = filterset.qs
        if not all(form.is_valid() for form in checked):
            return error_response(400, gettext("Invalid query parameters."), form_errors(*checked))
        limit = page.cleaned_data["limit"] or DEFAULT_LIMIT
        offset = page.cleaned_data["offset"] or 0
        count = queryset.count()
        rows = resource.rows(queryset[offset : offset + limit]) if offset < count else []
        links = Links(request)
        results = [resource.serialize(row, links) for row in rows]
        return json_response(
            {
                "count": count,
                "limit": limit,
                "offset": offset,
                "next": (
                    self._page_url(request, limit, offset + limit)
                    if offset + limit < count
                    else None
                ),
                "previous": (
                    self._page_url(request, limit, max(offset - limit, 0)) if offset > 0 else None
                ),
                "results": results,
            }
        )

    @staticmethod
    def _page_url(request, limit: int, offset: int) -> str:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(limit), str(offset)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class ResourceDetailView(SingleObjectMixin, ApiView):
    resource_name = ""

    @property
    def resource(self):
        return by_name(self.resource_name)

    def get_slug_field(self):
        return self.resource.lookup

    @property
    def slug_url_kwarg(self):
        return self.resource.lookup

    def get_queryset(self):
        return self.resource.get_detail_queryset()

    def get(self, request, **kwargs):
        if not SLUG.fullmatch(kwargs[self.resource.lookup]):
            return error_response(404, gettext("Not found."))
        try:
            obj = self.get_object()
        except Http404:
            return error_response(404, gettext("Not found."))
        return json_response(self.resource.serialize(obj, Links(request), detail=True))


class IndexView(ApiView):
    """Where to start: every resource's address, the description and the catalogue."""

    def get(self, request):
        links = Links(request)
        documentation = links.absolute(reverse("opendata:data"))
        return json_response(
            {
                "title": "Södertörnsmodellen open data API",
                "version": openapi.API_VERSION,
                "license": LICENSE_URL,
                "openapi": links.api("openapi"),
                "catalog": links.api("catalog"),
                "documentation": documentation,
                "resources": {
                    resource.name: links.api(f"{resource.name}-list") for resource in resources()
                },
            }
        )


class OpenAPIView(ApiView):
    def get(self, request):
        return json_response(openapi.build(request))


class CatalogView(ApiView):
    """The datasets as DCAT-AP-SE metadata in JSON-LD."""

    def get(self, request):
        with default_language():  # both languages in one graph; addresses in the default one
            body = dcat.catalog(Links(request))
        return json_response(body, content_type="application/ld+json")


class CsvExportView(View):
    """A list page's rows as CSV, with the page's own filters (bad values: 400)."""

    http_method_names = ["get", "head", "options"]
    export: csvexport.Export | None = None

    def get(self, request):
        export = self.export
        filterset = export.filterset(request.GET, request)
        if filterset.is_bound and not filterset.is_valid():
            lines = [
                f"{name}: {message}"
                for name, messages in form_errors(filterset.form).items()
                for message in messages
            ]
            return HttpResponse(
                "\n".join([str(_("The filters are not valid:")), *lines]) + "\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        # In the page's language (csvexport.py): text, choice labels and links.
        body = export.render(filterset.qs, Links(request))
        response = HttpResponse(body, content_type=csvwriter.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Access-Control-Allow-Origin"] = "*"
        return response


class DataPageView(TemplateView):
    template_name = "opendata/data.html"

    def get_context_data(self, **kwargs):
        language = translation.get_language() or settings.LANGUAGE_CODE
        lang = "en" if language.startswith("en") else "sv"
        datasets = [
            {
                "key": dataset.key,
                "title": dataset.title[lang],
                "description": dataset.description[lang],
                "keywords": dataset.keywords[lang],
                "distributions": [
                    {"title": d.title[lang], "url": d.url(), "format": d.format_label}
                    for d in dataset.distributions
                ],
            }
            for dataset in DATASETS
        ]
        example = reverse("api:testbeds-list")
        return super().get_context_data(
            datasets=datasets,
            resources=[
                {
                    "name": resource.name,
                    "list_url": reverse(f"api:{resource.name}-list"),
                    "detail_url": (
                        reverse(f"api:{resource.name}-list") + "{" + resource.lookup + "}/"
                        if resource.lookup
                        else ""
                    ),
                    "filters": list(resource.filterset_class.base_filters)
                    if resource.filterset_class
                    else [],
                }
                for resource in resources()
            ],
            api_index=reverse("api:index"),
            openapi_url=reverse("api:openapi"),
            catalog_url=reverse("api:catalog"),
            example_url=f"{example}?municipality=huddinge&municipality=botkyrka&limit=5",
            testbeds_csv=reverse("opendata:testbeds_csv"),
            results_csv=reverse("opendata:results_csv"),
            license_name=LICENSE_NAME,
            license_url=LICENSE_URL,
            contact_email=CONTACT_EMAIL,
            max_limit=MAX_LIMIT,
            default_limit=DEFAULT_LIMIT,
            **kwargs,
        )
