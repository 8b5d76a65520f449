"""Pages inside i18n_patterns: the open-data page and the CSV exports of the list pages."""

from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import csvexport, views

app_name = "opendata"

urlpatterns = [
    path("data/", cache_for_anonymous(views.DataPageView.as_view()), name="data"),
    path(
        "testbaddar/export.csv",
        cache_for_anonymous(views.CsvExportView.as_view(export=csvexport.TESTBEDS)),
        name="testbeds_csv",
    ),
    path(
        "resultat/export.csv",
        cache_for_anonymous(views.CsvExportView.as_view(export=csvexport.RESULTS)),
        name="results_csv",
    ),
]
