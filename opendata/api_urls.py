"""Language-neutral endpoints (outside i18n_patterns): the JSON API and the DCAT catalogue."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from sodertorn.cache import cache_for_anonymous

from . import views
from .resources import resources

app_name = "api"


def endpoint(view):
    # Read-only and cookie-free: no CSRF token to check, so other methods get a clean 405.
    # The language first: the page cache keeps one answer per language.
    return csrf_exempt(views.in_response_language(cache_for_anonymous(view)))


urlpatterns = [
    path("api/v1/", endpoint(views.IndexView.as_view()), name="index"),
    path("api/v1/openapi.json", endpoint(views.OpenAPIView.as_view()), name="openapi"),
    path("data/catalog.jsonld", endpoint(views.CatalogView.as_view()), name="catalog"),
]
for resource in resources():
    urlpatterns.append(
        path(
            f"api/v1/{resource.name}/",
            endpoint(views.ResourceListView.as_view(resource_name=resource.name)),
            name=f"{resource.name}-list",
        )
    )
    if resource.lookup:
        # Any key (even with a newline or a slash) reaches the view, which answers 404 in JSON;
        # a URL that matched no pattern would get the HTML error page.
        urlpatterns.append(
            re_path(
                rf"^api/v1/{resource.name}/(?P<{resource.lookup}>[\s\S]+)/$",
                endpoint(views.ResourceDetailView.as_view(resource_name=resource.name)),
                name=f"{resource.name}-detail",
            )
        )
