"""The API's resources, as the content apps declare them (``<app>/api.py``, registered with the
``api_resources`` hook; the vocabulary is sodertorn/apischema.py). The views (views.py), the
OpenAPI description (openapi.py), the CSV exports and the data page all read this one
registry, so an endpoint cannot exist without being described, and a field is written once.

Every queryset carries its own select_related/prefetch_related: a list answers with a fixed
number of SQL queries whatever the number of rows.
"""

from __future__ import annotations

from sodertorn import hooks
from sodertorn.apischema import Links, Resource

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "MAX_OFFSET", "Links", "Resource", "by_name", "resources"]

# Paging of every list: served by the views, described by the OpenAPI document.
DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 50, 500, 1_000_000


def resources() -> list[Resource]:
    """Every app's resources, in hook order (testbeds, results, films, idea groups, actors,
    indicators, observations)."""
    return hooks.collect("api_resources")


def by_name(name: str) -> Resource:
    for resource in resources():
        if resource.name == name:
            return resource
    raise KeyError(name)
