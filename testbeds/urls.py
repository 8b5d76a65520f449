from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import feeds, sections, views

app_name = "testbeds"


def _sections(request) -> str:
    """The testbed page also depends on the sections other apps register."""
    return ",".join(section.template for section in sections.registered())


# The catalogue's own pages show only this app's content (a change elsewhere leaves them
# fresh); the home, testbed and municipality pages and their fact sheets show other apps'
# sections too, so depend on every change.
TESTBEDS = ("testbeds",)

# Every public page is cached whole for anonymous visitors (sodertorn/cache.py).
urlpatterns = [
    path("", cache_for_anonymous(views.HomeView.as_view()), name="home"),
    path(
        "testbaddar/",
        cache_for_anonymous(views.TestbedListView.as_view(), areas=TESTBEDS),
        name="list",
    ),
    path(
        "testbaddar.geojson",
        cache_for_anonymous(views.TestbedGeoJSONView.as_view(), areas=TESTBEDS),
        name="geojson",
    ),
    path(
        "testbaddar/<slug:slug>/",
        cache_for_anonymous(views.TestbedDetailView.as_view(), vary=_sections),
        name="detail",
    ),
    path(
        "testbaddar/<slug:slug>/flode/",
        feeds.TestbedTimelineFeed(),  # like the results' feed: uncached, a few small queries
        name="timeline_feed",
    ),
    path(
        "testbaddar/<slug:slug>/faktablad/",
        cache_for_anonymous(views.TestbedFactsheetView.as_view()),
        name="factsheet",
    ),
    path(
        "kommuner/",
        cache_for_anonymous(views.MunicipalityListView.as_view(), areas=TESTBEDS),
        name="municipalities",
    ),
    path(
        "kommuner/<slug:slug>/",
        cache_for_anonymous(views.MunicipalityDetailView.as_view()),
        name="municipality",
    ),
    path(
        "kommuner/<slug:slug>/faktablad/",
        cache_for_anonymous(views.MunicipalityFactsheetView.as_view()),
        name="municipality_factsheet",
    ),
]
