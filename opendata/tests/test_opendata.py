"""The open-data API: filters as on the pages, only published content, pagination, links,
GET only, and a fixed number of SQL queries per list."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from collaboration.models import Actor, Grant
from collaboration.tests.factories import ActorFactory, bulk_grants
from ideagroups.models import IdeaGroup
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory, WorkEntryFactory
from indicators.models import Indicator
from indicators.tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    bulk_areas,
    bulk_observations,
    municipality_area,
)
from opendata.resources import resources
from results.models import Film, Result
from results.tests.factories import FilmFactory, ResultFactory
from testbeds.models import Testbed
from testbeds.tests.factories import OpenTestbedFactory, PlaceFactory, ThemeFactory, bulk_testbeds

pytestmark = pytest.mark.django_db

AREA = {
    "type": "Polygon",
    "coordinates": [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.2]]],
}


@pytest.fixture
def world():
    huddinge = PlaceFactory(name="Huddinge", slug="huddinge", code="0126")
    tyreso = PlaceFactory(name="Tyresö", slug="tyreso", code="0138")
    green = ThemeFactory(name="Grönska", slug="gronska")
    housing = ThemeFactory(name="Bostäder", slug="bostader")
    a = OpenTestbedFactory(
        title="Flemingsbergs stationsområde",
        slug="flemingsberg",
        municipalities=[huddinge],
        themes=[green],
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2017, 12, 31),
        status=Testbed.Status.COMPLETED,
        area=AREA,
    )
    b = OpenTestbedFactory(
        title="Tyresö centrum",
        slug="tyreso-centrum",
        municipalities=[tyreso],
        themes=[housing],
        start_date=datetime.date(2018, 1, 1),
        latitude=None,
        longitude=None,
    )
    hidden = OpenTestbedFactory(title="Hemlig bädd", slug="hemlig", published=False)
    group = IdeaGroupFactory(name="Grönytegruppen", slug="gronytegruppen", testbeds=[a])
    hidden_group = IdeaGroupFactory(name="Dold grupp", slug="dold-grupp", published=False)
    results = {
        "a1": ResultFactory(testbed=a, slug="a-metod", kind="method", idea_group=group),
        "a2": ResultFactory(
            testbed=a, slug="a-rapport", kind="report", date=datetime.date(2019, 3, 1)
        ),
        "b1": ResultFactory(testbed=b, slug="b-metod", kind="method", idea_group=hidden_group),
        "draft": ResultFactory(testbed=a, slug="utkast", published=False),
        "of_hidden": ResultFactory(testbed=hidden, slug="dold-badds-resultat"),
    }
    films = {
        "a": FilmFactory(testbed=a, slug="film-a"),
        "b": FilmFactory(testbed=b, slug="film-b"),
        "via_result": FilmFactory(testbed=None, result=results["a2"], slug="film-via-resultat"),
        "draft": FilmFactory(testbed=a, slug="film-utkast", published=False),
        "of_hidden": FilmFactory(testbed=hidden, slug="film-dold-badd"),
    }
    return {
        "huddinge": huddinge,
        "tyreso": tyreso,
        "green": green,
        "a": a,
        "b": b,
        "hidden": hidden,
        "group": group,
        "hidden_group": hidden_group,
        "results": results,
        "films": films,
    }


def api(client, name, query="", status=200):
    response = client.get(reverse(f"api:{name}") + (f"?{query}" if query else ""))
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(data):
    return [row["slug"] for row in data["results"]]


def page_slugs(client, url, query=""):
    """The objects an HTML list page shows for a query, every page of them, in page order."""
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    return [obj.slug for obj in response.context["paginator"].object_list]


# Filters: the same as the pages ----------------------------------------------------------------

TESTBED_QUERIES = [
    "",
    "municipality=huddinge",
    "municipality=tyreso",
    "theme=bostader",
    "status=completed",
    "year=2016",
    "year=2019",
    "q=tyresö",
    "q=STATIONSOMRÅDE",
    "sort=title",
    "sort=start",
    "municipality=&theme=&status=",
]


@pytest.mark.parametrize("query", TESTBED_QUERIES)
def test_testbed_filters_agree_with_the_catalogue_page(client, world, query):
    data = api(client, "testbeds-list", query)
    assert slugs(data) == page_slugs(client, reverse("testbeds:list"), query)
    assert data["count"] == len(data["results"])


RESULT_QUERIES = [
    "",
    "kind=method",
    "municipality=huddinge",
    "theme=bostader",
    "testbed=flemingsberg",
    "year=2019",
    "kind=method&municipality=tyreso",
]


@pytest.mark.parametrize("query", RESULT_QUERIES)
def test_result_filters_agree_with_the_results_page(client, world, query):
    assert slugs(api(client, "results-list", query)) == page_slugs(
        client, reverse("results:list"), query
    )


@pytest.mark.parametrize("query", ["", "municipality=huddinge", "theme=bostader"])
def test_film_filters_agree_with_the_films_page(client, world, query):
    assert slugs(api(client, "films-list", query)) == page_slugs(
        client, reverse("films:list"), query
    )


@pytest.mark.parametrize("query", ["", "sector=business", "q=kommun", "sector=academia&q=kth"])
def test_actor_filters_agree_with_the_actors_page(client, db, query):
    ActorFactory(name="KTH", slug="kth", sector="academia")
    ActorFactory(name="Huddinge kommun", slug="huddinge-kommun", sector="public")
    ActorFactory(name="Byggbolaget", slug="byggbolaget", sector="business")
    response = client.get(f"{reverse('collaboration:actors')}?{query}")
    on_page = {actor.slug for actor in response.context["filter"].qs}
    assert set(slugs(api(client, "actors-list", query))) == on_page
    assert on_page


def test_filter_values_of_the_results_and_films_match_the_testbeds(client, world):
    assert slugs(api(client, "results-list", "municipality=huddinge")) == ["a-rapport", "a-metod"]
    assert set(slugs(api(client, "films-list", "municipality=huddinge"))) == {
        "film-a",
        "film-via-resultat",
    }


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        ("testbeds-list", "municipality=stockholm", "municipality"),
        ("testbeds-list", "status=paused", "status"),
        ("testbeds-list", "year=tjugohundra", "year"),
        ("testbeds-list", "year=1800", "year"),
        ("testbeds-list", "q=" + "x" * 201, "q"),
        ("testbeds-list", "q=a%00b", "q"),
        ("results-list", "testbed=hemlig", "testbed"),
        ("results-list", "kind=poem", "kind"),
        ("films-list", "theme=saknas", "theme"),
        ("actors-list", "sector=guild", "sector"),
        ("observations-list", "indicator=saknas", "indicator"),
        ("observations-list", "gender=X", "gender"),
        ("testbeds-list", "limit=0", "limit"),
        ("testbeds-list", "limit=501", "limit"),
        ("testbeds-list", "limit=ten", "limit"),
        ("testbeds-list", "offset=-1", "offset"),
        ("testbeds-list", "offset=1e309", "offset"),
    ],
)
def test_invalid_filter_values_give_400_with_a_json_message(client, world, name, query, field):
    data = api(client, name, query, status=400)
    assert data["detail"] and field in data["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("kind=poem", "kind"), ("limit=0", "limit"), ("kind=poem&offset=-1", "offset")],
)
def test_api_error_messages_are_in_one_language_the_visitors(
    client, world, swedish_messages, query, field
):
    """The summary ("detail") follows the visitor's language like the field messages do: not
    an English summary over Swedish field errors."""
    swedish_messages("Invalid query parameters.", "Ogiltiga parametrar i frågan.")
    swedish_messages("Not found.", "Hittades inte.")
    url = reverse("api:results-list") + "?" + query
    swedish = client.get(url).json()
    assert swedish["detail"] == "Ogiltiga parametrar i frågan."
    assert not any(
        word in message for message in swedish["errors"][field] for word in ("Ensure", "Unknown")
    )
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "Invalid query parameters."
    assert any(
        word in message for message in english["errors"][field] for word in ("Ensure", "Unknown")
    )
    missing = reverse("api:results-detail", kwargs={"slug": "finns-inte"})
    assert client.get(missing).json() == {"detail": "Hittades inte."}
    assert client.get(missing, HTTP_ACCEPT_LANGUAGE="en").json() == {"detail": "Not found."}


# Only published content ------------------------------------------------------------------------


def test_unpublished_content_is_never_listed(client, world):
    assert "hemlig" not in slugs(api(client, "testbeds-list", "limit=500"))
    assert set(slugs(api(client, "results-list"))) == {"a-metod", "a-rapport", "b-metod"}
    assert set(slugs(api(client, "films-list"))) == {"film-a", "film-b", "film-via-resultat"}
    assert slugs(api(client, "idea-groups-list")) == ["gronytegruppen"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("testbeds-detail", "hemlig"),
        ("results-detail", "utkast"),
        ("results-detail", "dold-badds-resultat"),
        ("films-detail", "film-utkast"),
        ("films-detail", "film-dold-badd"),
        ("idea-groups-detail", "dold-grupp"),
        ("testbeds-detail", "finns-inte"),
    ],
)
def test_unpublished_or_unknown_details_are_404_in_json(client, world, name, slug):
    response = client.get(reverse(f"api:{name}", kwargs={"slug": slug}), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_odd_keys_are_404_in_json_not_the_html_error_page(client, db):
    for key in ["a%0Ab", "a%2Fb", "%C3%A5%C3%A4", "a%00b", "..%2F..%2Fetc"]:
        response = client.get(f"/api/v1/testbeds/{key}/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


def test_staff_see_no_more_than_the_public(admin_client, world):
    assert "hemlig" not in slugs(api(admin_client, "testbeds-list"))
    response = admin_client.get(reverse("api:testbeds-detail", kwargs={"slug": "hemlig"}))
    assert response.status_code == 404


def test_a_link_to_an_unpublished_idea_group_is_left_out(client, world):
    by_slug = {row["slug"]: row for row in api(client, "results-list")["results"]}
    assert by_slug["a-metod"]["idea_group"]["slug"] == "gronytegruppen"
    assert by_slug["b-metod"]["idea_group"] is None


def test_idea_group_detail_lists_only_published_work(client, world):
    WorkEntryFactory(group=world["group"], title="Publicerad workshop", status="published")
    WorkEntryFactory(group=world["group"], title="Utkastet", status="draft")
    response = client.get(reverse("api:idea-groups-detail", kwargs={"slug": "gronytegruppen"}))
    data = response.json()
    assert [entry["title"] for entry in data["work"]] == ["Publicerad workshop"]
    assert client.get(data["work"][0]["html_url"]).status_code == 200


# Representation and links ----------------------------------------------------------------------


def test_testbed_has_geojson_point_and_area_and_absolute_links(client, world):
    data = client.get(reverse("api:testbeds-detail", kwargs={"slug": "flemingsberg"})).json()
    assert data["geometry"]["point"] == {"type": "Point", "coordinates": [17.94, 59.22]}
    assert data["geometry"]["area"] == AREA
    assert data["municipalities"] == [{"slug": "huddinge", "name": "Huddinge"}]
    assert data["url"] == "http://testserver/api/v1/testbeds/flemingsberg/"
    assert data["html_url"] == "http://testserver/testbaddar/flemingsberg/"
    assert data["id"] == world["a"].pk
    results = client.get(data["results_url"]).json()
    assert set(slugs(results)) == {"a-metod", "a-rapport"}
    other = client.get(reverse("api:testbeds-detail", kwargs={"slug": "tyreso-centrum"})).json()
    assert other["geometry"] == {"point": None, "area": None}


def test_links_between_resources_lead_to_the_related_resources(client, world):
    result = client.get(reverse("api:results-detail", kwargs={"slug": "a-metod"})).json()
    assert client.get(result["testbed"]["url"]).json()["slug"] == "flemingsberg"
    assert client.get(result["idea_group"]["url"]).json()["slug"] == "gronytegruppen"
    assert client.get(result["html_url"]).status_code == 200
    film = client.get(reverse("api:films-detail", kwargs={"slug": "film-via-resultat"})).json()
    assert film["testbed"] is None
    assert client.get(film["result"]["url"]).json()["slug"] == "a-rapport"


def test_html_links_are_in_the_answers_language(client, world):
    """The whole answer is in one language (opendata/tests/test_opendata_language.py): an
    English answer links to the English pages, a Swedish one (the default) to the Swedish."""
    data = client.get(reverse("api:testbeds-list"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["results"][0]["html_url"].startswith("http://testserver/en/testbaddar/")
    data = client.get(reverse("api:testbeds-list")).json()
    assert data["results"][0]["html_url"].startswith("http://testserver/testbaddar/")


def test_indicators_and_their_observations(client, db):
    area = municipality_area(PlaceFactory(name="Huddinge", slug="huddinge", code="0126"))
    district = bulk_areas(1)[0]
    indicator = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    other = IndicatorFactory(code="folkmangd")
    ObservationFactory(indicator=indicator, area=area, year=2016, value=Decimal("77.5"))
    ObservationFactory(indicator=indicator, area=area, year=2017, gender="K", value=Decimal("76"))
    ObservationFactory(indicator=indicator, area=district, year=2016, value=Decimal("60"))
    ObservationFactory(indicator=other, area=area, year=2016, value=Decimal("113000"))
    data = client.get(reverse("api:indicators-detail", kwargs={"code": "forvarvsfrekvens"})).json()
    observations = client.get(data["observations_url"]).json()
    assert observations["count"] == 3
    assert observations["results"][0] == {
        "indicator": "forvarvsfrekvens",
        "indicator_url": "http://testserver/api/v1/indicators/forvarvsfrekvens/",
        "area": {"code": "0126", "name": "Huddinge", "kind": "municipality"},
        "year": 2016,
        "gender": "T",
        "value": 77.5,
        "note": "",
        "is_example": False,
    }
    query = "indicator=forvarvsfrekvens&area=0126&gender=K"
    assert [row["year"] for row in api(client, "observations-list", query)["results"]] == [2017]
    assert api(client, "observations-list", "year=2016")["count"] == 3


# Pagination ------------------------------------------------------------------------------------


def test_pagination_with_count_next_and_previous_keeping_the_filters(client, db):
    huddinge = PlaceFactory(slug="huddinge")
    bulk_testbeds(7, huddinge)
    OpenTestbedFactory()  # another municipality
    first = api(client, "testbeds-list", "municipality=huddinge&limit=3")
    assert first["count"] == 7 and len(first["results"]) == 3 and first["previous"] is None
    assert "municipality=huddinge" in first["next"] and first["next"].startswith("http://")
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert third["next"] is None and len(third["results"]) == 1
    assert client.get(third["previous"]).json() == second
    seen = slugs(first) + slugs(second) + slugs(third)
    assert sorted(seen) == sorted(slugs(api(client, "testbeds-list", "municipality=huddinge")))
    assert api(client, "testbeds-list", "offset=100")["results"] == []


# GET only --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_allowed(client, world, method):
    for url in [
        reverse("api:testbeds-list"),
        reverse("api:testbeds-detail", kwargs={"slug": "flemingsberg"}),
        reverse("api:openapi"),
        reverse("api:catalog"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert "GET" in response["Allow"]
    assert Testbed.objects.filter(slug="flemingsberg").exists()


# The description covers every endpoint ---------------------------------------------------------


def test_the_openapi_description_names_every_api_route_and_filter(client, db):
    description = client.get(reverse("api:openapi")).json()
    assert description["openapi"].startswith("3.")
    assert description["info"]["license"]["url"] == "http://creativecommons.org/licenses/by/4.0/"
    paths = description["paths"]
    api_urls = get_resolver().namespace_dict["api"][1]
    for name in api_urls.reverse_dict:
        if not isinstance(name, str):
            continue
        for resource in resources():
            if name == f"{resource.name}-detail":
                assert f"/api/v1/{resource.name}/{{{resource.lookup}}}/" in paths
        if not name.endswith("-detail"):
            assert reverse(f"api:{name}") in paths, name
    for resource in resources():
        operation = paths[reverse(f"api:{resource.name}-list")]["get"]
        documented = {p["name"] for p in operation["parameters"]}
        filters = set(resource.filterset_class.base_filters) if resource.filterset_class else set()
        assert documented == filters | {"limit", "offset", "lang"}


# A fixed number of queries ---------------------------------------------------------------------


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def add_rows(name, n, start):
    municipality = PlaceFactory(slug=f"kommun-x{start}")
    theme = ThemeFactory()
    if name == "testbeds":
        bulk_testbeds(n, municipality, theme, start=start)
        Testbed.objects.filter(area__isnull=True).update(area=AREA)
        return
    testbed = OpenTestbedFactory(municipalities=[municipality], themes=[theme])
    if name == "results":
        group = IdeaGroupFactory()
        Result.objects.bulk_create(
            Result(
                testbed=testbed,
                idea_group=group,
                title=f"R{start + i}",
                slug=f"r-{start + i}",
                kind="report",
                summary="s",
                date=datetime.date(2017, 1, 1),
                published=True,
            )
            for i in range(n)
        )
    elif name == "films":
        result = ResultFactory(testbed=testbed)
        Film.objects.bulk_create(
            Film(
                testbed=testbed if i % 2 else None,
                result=result,
                title=f"F{start + i}",
                slug=f"f-{start + i}",
                video_url="https://vimeo.com/76979871",
                provider="vimeo",
                video_id="76979871",
                duration=60,
                transcript="t",
                published=True,
            )
            for i in range(n)
        )
    elif name == "idea-groups":
        groups = IdeaGroup.objects.bulk_create(
            IdeaGroup(
                name=f"Grupp {start + i}",
                slug=f"grupp-{start + i}",
                description="d",
                start_date=datetime.date(2015, 1, 1),
                theme=theme,
            )
            for i in range(n)
        )
        IdeaGroup.testbeds.through.objects.bulk_create(
            IdeaGroup.testbeds.through(ideagroup_id=g.pk, testbed_id=testbed.pk) for g in groups
        )
        MembershipFactory(group=groups[0])
    elif name == "actors":
        Actor.objects.bulk_create(
            Actor(name=f"Aktör {start + i}", slug=f"aktor-x{start + i}", sector="business")
            for i in range(n)
        )
    elif name == "grants":
        funder = ActorFactory(slug=f"finansiar-{start}", sector="funder")
        area = bulk_areas(1, start=start)[0]
        grants = bulk_grants(n, funder, start=start)
        for relation, target in (("testbeds", testbed), ("municipalities", municipality)):
            through = getattr(Grant, relation).through
            column = f"{getattr(Grant, relation).field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create(
                through(grant_id=g.pk, **{column: target.pk}) for g in grants
            )
        Grant.areas.through.objects.bulk_create(
            Grant.areas.through(grant_id=g.pk, area_id=area.pk) for g in grants
        )
    elif name == "indicators":
        indicators = Indicator.objects.bulk_create(
            Indicator(code=f"ind-{start + i}", name=f"I{start + i}", dimension="social")
            for i in range(n)
        )
        Indicator.themes.through.objects.bulk_create(
            Indicator.themes.through(indicator_id=i.pk, theme_id=theme.pk) for i in indicators
        )
        Indicator.testbeds.through.objects.bulk_create(
            Indicator.testbeds.through(indicator_id=i.pk, testbed_id=testbed.pk) for i in indicators
        )
    elif name == "observations":
        indicator = IndicatorFactory(code=f"obs-{start}")
        areas = bulk_areas(n // 5, start=start)
        bulk_observations([indicator], areas, range(2010, 2015))


@pytest.mark.parametrize("resource", [r.name for r in resources()])
def test_lists_run_a_fixed_number_of_queries(client, db, no_page_cache, resource):
    url = reverse(f"api:{resource}-list") + "?limit=500"
    add_rows(resource, 10, 0)
    few, count_few = count_queries(client, url)
    add_rows(resource, 490, 1000)
    many, count_many = count_queries(client, url)
    assert count_many >= count_few + 480
    assert few == many, f"{resource}: {few} queries for {count_few} rows, {many} for {count_many}"


def test_error_messages_follow_the_visitors_language(client, world):
    url = reverse("api:testbeds-list") + "?municipality=stockholm"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["errors"]["municipality"] == ["Unknown municipality: choose one from the list."]
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").json()
    assert swedish["errors"]["municipality"] != english["errors"]["municipality"]
