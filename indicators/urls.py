from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import views

app_name = "indicators"

# What the indicator pages show (sodertorn/cache.py): the app's own content, and the names and
# boundaries of the programme's municipalities and themes. A change to a testbed leaves them
# fresh, except the indicator page, which lists its related testbeds, and the area page, which
# lists the testbeds that lie in the area.
INDICATORS = ("indicators", "testbeds.municipality", "testbeds.theme")

urlpatterns = [
    path(
        "indikatorer/",
        cache_for_anonymous(views.IndicatorListView.as_view(), areas=INDICATORS),
        name="indicator_list",
    ),
    path(
        "indikatorer/data.csv",
        views.ExportAllView.as_view(file_format="csv"),
        name="export_all_csv",
    ),
    path(
        "indikatorer/data.json",
        cache_for_anonymous(views.ExportAllView.as_view(file_format="json"), areas=INDICATORS),
        name="export_all_json",
    ),
    path(
        "indikatorer/<slug:code>.csv",
        views.IndicatorExportView.as_view(file_format="csv"),
        name="indicator_csv",
    ),
    path(
        "indikatorer/<slug:code>.json",
        cache_for_anonymous(
            views.IndicatorExportView.as_view(file_format="json"), areas=INDICATORS
        ),
        name="indicator_json",
    ),
    path(
        "indikatorer/<slug:code>/",
        cache_for_anonymous(
            views.IndicatorDetailView.as_view(), areas=(*INDICATORS, "testbeds.testbed")
        ),
        name="indicator_detail",
    ),
    path(
        "omraden/",
        cache_for_anonymous(views.AreaListView.as_view(), areas=INDICATORS),
        name="area_list",
    ),
    path(
        "omraden/<slug:code>/",
        # also the testbeds in it and the grants that concern it (collaboration's area_sections)
        cache_for_anonymous(
            views.AreaDetailView.as_view(),
            areas=(*INDICATORS, "testbeds.testbed", "collaboration.grant"),
        ),
        name="area_detail",
    ),
    path(
        "mal/",
        cache_for_anonymous(views.GoalTrackerView.as_view(), areas=INDICATORS),
        name="goal_list",
    ),
    path(
        # A testbed's effect against similar places (indicators/effect.py), beside the
        # testbed's own pages under /testbaddar/<slug>/; it shows the testbed's title and dates.
        "testbaddar/<slug:slug>/effekt/",
        cache_for_anonymous(
            views.TestbedEffectView.as_view(), areas=(*INDICATORS, "testbeds.testbed")
        ),
        name="testbed_effect",
    ),
    path(
        "analys/",
        cache_for_anonymous(views.AnalysisView.as_view(), areas=INDICATORS),
        name="analysis",
    ),
]
