"""Reads of the testbed catalogue shared by its page, its GeoJSON, the CSV and the API."""

from collections import defaultdict

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse

from sodertorn.content_language import (
    active_language,
    content_language,
    localized,
    localized_values_list,
)

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


CARD_FIELDS = ("id", "title", "slug", "status", "is_demo", "published", "place_name", "summary")


def cards(queryset):
    """A testbed queryset narrowed to what a card (testbeds/_testbed_cards.html) shows: not the
    body, the question, the area or the pictures, and no prefetched relations (``card_list``
    adds the names). For pages only: the CSV and the API keep ``catalogue_testbeds()``'s full
    rows."""
    return queryset.only(*CARD_FIELDS).prefetch_related(None)


def names_by_testbed(relation, name: str, testbed_ids) -> dict[int, list[str]]:
    """Each testbed's related names (``name``, e.g. "municipality__name") in name order, read
    from the many-to-many ``relation``'s through table with one values query; ``testbed_ids``
    is a list of ids (none: no query) or a subquery of pks."""
    names = defaultdict(list)
    if isinstance(testbed_ids, list) and not testbed_ids:
        return names
    links = relation.through.objects.filter(testbed_id__in=testbed_ids).order_by(name)
    for testbed_id, value in links.values_list("testbed_id", name):
        names[testbed_id].append(value)
    return names


def card_names(
    testbed_ids: list[int], languages: dict | None = None
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Each listed testbed's municipality names and theme names (in the active language,
    Swedish where a theme has no English name), each in name order, read from both through
    tables with one ``UNION ALL`` values query (none for no ids). ``languages``, when given,
    gets each testbed's set of the languages its theme names are shown in."""
    municipalities, themes = defaultdict(list), defaultdict(list)
    if not testbed_ids:
        return municipalities, themes
    language = active_language()
    own = f"theme__name_{language}"
    theme_shown = Case(
        When(Q(**{f"{own}__isnull": False}) & ~Q(**{own: ""}), then=Value(language)),
        default=Value(content_language()),
    )
    parts = [
        relation.through.objects.filter(testbed_id__in=testbed_ids)
        .annotate(kind=Value(kind, output_field=IntegerField()), name=name, shown=shown)
        .values_list("kind", "testbed_id", "name", "shown")
        for kind, relation, name, shown in (
            (0, Testbed.municipalities, F("municipality__name"), Value(content_language())),
            (1, Testbed.themes, localized("theme__name"), theme_shown),
        )
    ]
    rows = parts[0].union(parts[1], all=True).order_by("kind", "name")
    for kind, testbed_id, name, shown in rows:
        (themes if kind else municipalities)[testbed_id].append(name)
        if kind and languages is not None:
            languages.setdefault(testbed_id, set()).add(shown)
    return municipalities, themes


SLUG_MARK = "slug-mark"


def detail_url_maker():
    """``slug -> the testbed page's URL`` in the active language: ``reverse()`` once, not once
    per row (a slug needs no quoting: ``[-a-zA-Z0-9_]``)."""
    head, _mark, tail = reverse("testbeds:detail", kwargs={"slug": SLUG_MARK}).rpartition(SLUG_MARK)
    return lambda slug: f"{head}{slug}{tail}"


def card_list(testbeds) -> list[Testbed]:
    """The testbeds of a card list (an evaluated or lazy, sliced ``cards()`` queryset) as a
    list, each with ``card_municipalities`` and ``card_themes``: its municipality and theme
    names in name order (``card_names``: one values query, no model instances; none when
    the list is empty); and with ``card_url`` and ``card_status_label``,
    its ``get_absolute_url()`` and ``get_status_display()`` made once for the whole list."""
    testbeds = list(testbeds)
    ids = [t.pk for t in testbeds]
    theme_languages = {}
    municipalities, themes = card_names(ids, theme_languages)
    url = detail_url_maker()
    labels = {value: str(label) for value, label in Testbed.Status.choices}
    for testbed in testbeds:
        testbed.card_municipalities = municipalities.get(testbed.pk, [])
        testbed.card_themes = themes.get(testbed.pk, [])
        # One lang for the list of names (shown_language): English only if all are.
        shown = theme_languages.get(testbed.pk, set())
        testbed.themes_language = shown.pop() if len(shown) == 1 else content_language()
        testbed.card_url = url(testbed.slug)
        testbed.card_status_label = labels.get(testbed.status, testbed.status)
    return testbeds


MAP_FIELDS = ("pk", "title", "slug", "status", "place_name", "latitude", "longitude")


def map_rows(queryset) -> tuple[list[tuple], dict[int, list[str]]]:
    """A testbed queryset as plain rows of ``MAP_FIELDS`` (in the queryset's order), and each
    listed testbed's municipality names in name order: two queries, no model instances."""
    queryset = queryset.prefetch_related(None)
    rows = list(localized_values_list(queryset, *MAP_FIELDS))
    names = names_by_testbed(Testbed.municipalities, "municipality__name", queryset.values("pk"))
    return rows, names
