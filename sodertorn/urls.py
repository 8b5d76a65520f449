from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from . import sitemaps
from .cache import cache_for_anonymous
from .geo import basemap
from .views import base_map, favicon

# A database that cannot be reached answers 503 with Retry-After, anything else 500.
handler500 = "sodertorn.views.server_error"

SITEMAPS = sitemaps.collect()

urlpatterns = [
    path("admin/", admin.site.urls),
    # A sitemap index naming one sitemap per section, each paginated at PublicSitemap.limit
    # addresses (?p=2…), so no sitemap file grows with the catalogue.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", cache_for_anonymous(favicon, areas=()), name="favicon"),
    # The maps' base layer (sodertorn/geo/basemap.py), one URL for every page and language.
    path(
        "kommungranser.geojson",
        cache_for_anonymous(base_map, areas=basemap.cache_areas()),
        name="base_map",
    ),
    path("", include("ideagroups.attachment_urls")),
    path("", include("opendata.api_urls")),  # /api/v1/… and /data/catalog.jsonld
]

urlpatterns += i18n_patterns(
    path("", include("testbeds.urls")),
    path("", include("collaboration.urls")),
    path("", include("ideagroups.urls")),
    path("", include("indicators.urls")),
    path("", include("competences.urls")),
    path("resultat/", include("results.urls")),
    path("filmer/", include("results.film_urls")),
    path("konto/", include("sodertorn.accounts.urls")),  # log-in and passwords
    path("sok/", include("search.urls")),
    path("", include("opendata.urls")),
    path("dialog/", include("dialogue.urls")),
    path("folj/", include("follow.urls")),  # following by e-mail, and the feeds
    path("", include("about.urls")),  # accessibility statement, personal data
    prefix_default_language=False,
)

if settings.BENCH_CEILING:  # bench/run.sh only
    from .views import bench_ceiling, bench_sleep

    urlpatterns += [path("bench/ceiling", bench_ceiling), path("bench/sleep", bench_sleep)]

if settings.DEBUG:
    # Uploaded media in development; private/ (work attachments) only through /bilagor/<id>/.
    urlpatterns += [
        re_path(r"^media/(?!private/)(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
