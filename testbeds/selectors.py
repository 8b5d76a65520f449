"""Reads of the testbed catalogue shared by its page, its GeoJSON, the CSV and the API."""

from .filters import TestbedFilter
from .models import Testbed


def catalogue_testbeds():
    """The published testbeds with what a card, a map point, a CSV row and the API show."""
    return Testbed.objects.published().with_relations()


def catalogue(data=None, *, request=None, queryset=None) -> TestbedFilter:
    """The catalogue filters (``data``: a query dict, or None when unfiltered) applied to the
    published testbeds, or to a narrower published ``queryset`` (e.g. one municipality's)."""
    if queryset is None:
        queryset = Testbed.objects.published()
    return TestbedFilter(data or None, queryset=queryset.with_relations(), request=request)
