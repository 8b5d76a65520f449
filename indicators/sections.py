"""The testbed page's indicator section (a ``testbed_sections`` hook, indicators/hooks.py)."""

from django.db.models import Prefetch

TEMPLATE = "indicators/_testbed_section.html"


def testbed_prefetches() -> list[Prefetch]:
    """The testbed's indicators with their total (T) series in programme municipalities:
    two queries for the whole section, whatever the number of indicators or years."""
    from .models import Gender, Indicator, Observation

    observations = (
        Observation.objects.filter(gender=Gender.TOTAL, area__municipality__isnull=False)
        .select_related("area__municipality")
        .only(
            "id",
            "indicator_id",
            "year",
            "value",
            "is_example",
            "area__id",
            "area__municipality__id",
            "area__municipality__code",
            "area__municipality__name",
        )
        .order_by("year")
    )
    return [
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("dimension", "name").prefetch_related(
                Prefetch("observations", queryset=observations, to_attr="municipal_series")
            ),
        )
    ]
