import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testbeds.models import Testbed
from testbeds.tests.factories import (
    MunicipalityFactory,
    TestbedFactory,
    ThemeFactory,
    bulk_testbeds,
)

pytestmark = pytest.mark.django_db

LIST = "/testbaddar/"
GEOJSON = "/testbaddar.geojson"


@pytest.fixture
def catalogue():
    """Four testbeds in two municipalities, two themes, all statuses, different years."""
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    tyreso = MunicipalityFactory(name="Tyresö", slug="tyreso", code="0138")
    mobility = ThemeFactory(name="Mobilitet", slug="mobilitet")
    housing = ThemeFactory(name="Stadsmiljö och boende", slug="stadsmiljo-och-boende")
    items = {
        "flemingsberg": TestbedFactory(
            title="Flemingsbergs stationsområde",
            slug="flemingsberg",
            question="Hur blir stationen en mötesplats?",
            summary="Resenod och bostäder.",
            status=Testbed.Status.ONGOING,
            start_date=datetime.date(2015, 1, 1),
            municipalities=[huddinge],
            themes=[mobility, housing],
        ),
        "tyreso": TestbedFactory(
            title="Tyresö centrum",
            slug="tyreso-centrum",
            summary="Ett levande centrum med grönska.",
            status=Testbed.Status.COMPLETED,
            start_date=datetime.date(2014, 6, 1),
            end_date=datetime.date(2016, 11, 30),
            municipalities=[tyreso],
            themes=[housing],
        ),
        "shared": TestbedFactory(
            title="Gemensam cykelstråk",
            slug="cykel",
            summary="Cykelvägar mellan kommunerna.",
            status=Testbed.Status.PLANNED,
            start_date=datetime.date(2019, 3, 1),
            municipalities=[huddinge, tyreso],
            themes=[mobility],
        ),
        "hidden": TestbedFactory(
            title="Opublicerad bädd", slug="hidden", published=False, municipalities=[huddinge]
        ),
    }
    return items


def titles(response):
    return [t.title for t in response.context["object_list"]]


def geojson_titles(client, query=""):
    response = client.get(GEOJSON + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return [f["properties"]["title"] for f in response.json()["features"]]


def test_catalogue_lists_published_testbeds_newest_first(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [
        "Gemensam cykelstråk",
        "Tyresö centrum",
        "Flemingsbergs stationsområde",
    ]
    assert "Opublicerad bädd" not in response.text
    assert "3 testbäddar" in response.text


@pytest.mark.each_database  # a database constraint or text lookup
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?municipality=tyreso", {"Tyresö centrum", "Gemensam cykelstråk"}),
        ("?municipality=huddinge", {"Flemingsbergs stationsområde", "Gemensam cykelstråk"}),
        ("?theme=mobilitet", {"Flemingsbergs stationsområde", "Gemensam cykelstråk"}),
        ("?status=completed", {"Tyresö centrum"}),
        ("?status=planned", {"Gemensam cykelstråk"}),
        ("?year=2016", {"Flemingsbergs stationsområde", "Tyresö centrum"}),
        ("?year=2017", {"Flemingsbergs stationsområde"}),
        ("?year=2019", {"Flemingsbergs stationsområde", "Gemensam cykelstråk"}),
        ("?q=centrum", {"Tyresö centrum"}),
        ("?q=mötesplats", {"Flemingsbergs stationsområde"}),  # matches the question
        ("?q=cykelvägar", {"Gemensam cykelstråk"}),  # matches the summary
        ("?q=TYRESÖ", {"Tyresö centrum"}),  # non-ASCII case folding
        ("?municipality=huddinge&theme=mobilitet&status=ongoing", {"Flemingsbergs stationsområde"}),
        ("?municipality=tyreso&year=2019", {"Gemensam cykelstråk"}),
        ("?theme=stadsmiljo-och-boende&q=grönska", {"Tyresö centrum"}),
        ("?status=completed&theme=mobilitet", set()),
    ],
)
def test_each_filter_alone_and_combined_and_geojson_agrees(client, catalogue, query, expected):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert set(geojson_titles(client, query)) == expected
    assert "Opublicerad bädd" not in geojson_titles(client, query)


@pytest.mark.parametrize(
    ("query", "expected_order"),
    [
        ("?sort=title", ["Flemingsbergs stationsområde", "Gemensam cykelstråk", "Tyresö centrum"]),
        ("?sort=start", ["Tyresö centrum", "Flemingsbergs stationsområde", "Gemensam cykelstråk"]),
        ("?sort=newest", ["Gemensam cykelstråk", "Tyresö centrum", "Flemingsbergs stationsområde"]),
    ],
)
def test_sort_orders(client, catalogue, query, expected_order):
    assert titles(client.get(LIST + query)) == expected_order


def test_geojson_features_carry_title_url_status_and_municipalities(client, catalogue):
    data = client.get(GEOJSON + "?status=planned").json()
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [17.94, 59.22]}
    props = feature["properties"]
    assert props["title"] == "Gemensam cykelstråk"
    assert props["url"] == "/testbaddar/cykel/"
    assert props["status"] == "planned"
    assert sorted(props["municipalities"]) == ["Huddinge", "Tyresö"]


def test_geojson_refuses_bad_filters_with_400_and_reasons(client, catalogue):
    response = client.get(GEOJSON + "?status=xyz&year=abc")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "year"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?municipality=stockholm", "Okänd kommun"),
        ("?theme=nope", "Okänt tema"),
        ("?status=xyz", "Okänd status"),
        ("?year=abc", "fyra siffror"),
        ("?year=99999999999999999999", "2100"),
        ("?sort=random", "Okänd sortering"),
    ],
)
def test_bad_filter_values_give_a_clear_message_not_an_error(client, catalogue, query, message):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert message in response.text
    assert 'role="alert"' in response.text
    # The other filters (none here) still apply: the published testbeds are listed.
    assert len(titles(response)) == 3


def test_bad_value_is_dropped_from_the_map_query_but_good_ones_kept(client, catalogue):
    response = client.get(LIST + "?status=xyz&municipality=tyreso")
    assert response.context["geojson_url"] == "/testbaddar.geojson?municipality=tyreso"
    assert set(titles(response)) == {"Tyresö centrum", "Gemensam cykelstråk"}


@pytest.mark.parametrize("page", ["999", "0", "-1", "abc", "9" * 30])
def test_out_of_range_page_is_404(client, catalogue, page):
    assert client.get(f"{LIST}?page={page}").status_code == 404


def test_pagination_keeps_the_filters(client):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    bulk_testbeds(30, huddinge)
    response = client.get(LIST + "?municipality=huddinge&sort=title")
    assert response.context["paginator"].count == 30
    assert 'href="?municipality=huddinge&amp;sort=title&amp;page=2"' in response.text
    page2 = client.get(LIST + "?municipality=huddinge&sort=title&page=2")
    assert page2.status_code == 200
    assert page2.context["page_obj"].number == 2


def test_filter_form_is_a_plain_get_form_that_shows_chosen_values(client, catalogue):
    response = client.get(LIST + "?municipality=tyreso&status=completed&q=centrum")
    html = response.text
    assert 'method="get"' in html
    assert re.search(
        r'<input type="checkbox" name="municipality" value="tyreso" '
        r'id="id_municipality_\d+" checked>',
        html,
    )
    assert not re.search(r'value="huddinge" id="id_municipality_\d+" checked', html)
    assert '<option value="completed" selected>' in html
    assert 'value="centrum"' in html


def test_detail_page_shows_everything_and_links_to_filtered_catalogue(client, catalogue):
    response = client.get("/testbaddar/flemingsberg/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Flemingsbergs stationsområde</h1>" in html
    assert "Hur blir stationen en mötesplats?" in html
    assert 'href="/testbaddar/?municipality=huddinge"' in html
    assert 'href="/testbaddar/?theme=mobilitet"' in html
    features = response.context["map_features"]["features"]
    assert features[0]["geometry"]["type"] == "Point"
    assert 'id="testbed-features"' in html


def test_detail_page_shows_the_area_on_the_map(client):
    square = [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.25], [17.9, 59.2]]]
    testbed = TestbedFactory(area={"type": "Polygon", "coordinates": square})
    response = client.get(testbed.get_absolute_url())
    kinds = [f["geometry"]["type"] for f in response.context["map_features"]["features"]]
    assert kinds == ["Point", "Polygon"]


def test_unpublished_testbed_is_404_for_the_public_and_visible_to_staff(
    client, admin_client, catalogue
):
    assert client.get("/testbaddar/hidden/").status_code == 404
    response = admin_client.get("/testbaddar/hidden/")
    assert response.status_code == 200
    assert "Ej publicerad" in response.text
    assert client.get("/testbaddar/does-not-exist/").status_code == 404


def test_demo_items_carry_the_example_label(client):
    TestbedFactory(title="Påhittad bädd", is_demo=True)
    TestbedFactory(title="Verklig bädd", is_demo=False)
    html = client.get(LIST).text
    assert html.count(">Exempel</span>") == 1


def test_municipality_page_shows_boundary_and_its_testbeds(client, catalogue):
    square = [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.25], [17.9, 59.2]]]
    tyreso = catalogue["tyreso"].municipalities.get()
    tyreso.boundary = {"type": "Polygon", "coordinates": square}
    tyreso.save()
    response = client.get("/kommuner/tyreso/")
    assert response.status_code == 200
    assert [t.title for t in response.context["testbeds"]] == [
        "Gemensam cykelstråk",
        "Tyresö centrum",
    ]
    assert response.context["boundary_features"]["features"][0]["geometry"]["type"] == "Polygon"
    assert response.context["geojson_url"] == "/testbaddar.geojson?municipality=tyreso"
    assert client.get("/kommuner/nowhere/").status_code == 404


def test_municipality_list_counts_only_published(client, catalogue):
    response = client.get("/kommuner/")
    counts = {m.name: m.testbed_count for m in response.context["object_list"]}
    assert counts == {"Huddinge": 2, "Tyresö": 2}


def test_home_page_has_intro_map_and_the_catalogues_first_testbeds(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    assert "Södertörnsmodellen" in response.text
    assert 'id="home-map"' in response.text
    assert [t.title for t in response.context["featured"]][0] == "Gemensam cykelstråk"


def test_real_testbeds_come_before_examples_by_default_on_every_list(client, catalogue):
    """Issue 17: the default order puts the real testbeds before the invented examples, then
    newest first; the page, the home page, the GeoJSON and the API agree. The other sort
    orders ignore the marking."""
    TestbedFactory(
        title="Nyare exempel",
        slug="nyare-exempel",
        is_demo=True,
        municipalities=[catalogue["flemingsberg"].municipalities.get()],
    )
    real = ["Gemensam cykelstråk", "Tyresö centrum", "Flemingsbergs stationsområde"]
    assert titles(client.get(LIST)) == [*real, "Nyare exempel"]
    assert titles(client.get(LIST + "?sort=real")) == [*real, "Nyare exempel"]
    assert titles(client.get(LIST + "?sort=newest"))[0] == "Nyare exempel"
    home = client.get("/")
    assert [t.title for t in home.context["featured"]] == [*real, "Nyare exempel"]
    assert geojson_titles(client) == [*real, "Nyare exempel"]
    api = client.get("/api/v1/testbeds/").json()
    assert [row["title"] for row in api["results"]] == [*real, "Nyare exempel"]
    page = client.get(LIST).text
    assert 'value="real" selected' in page or 'value="real"' in page


def test_english_pages_live_under_en_and_switch_keeps_the_page(client, catalogue):
    response = client.get("/en/testbaddar/?status=ongoing")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Testbeds" in response.text
    assert 'href="/testbaddar/?status=ongoing"' in response.text  # switch back to Swedish
    swedish = client.get("/testbaddar/?status=ongoing", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="sv">' in swedish.text
    assert 'href="/en/testbaddar/?status=ongoing"' in swedish.text


# Query counts -------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        LIST + "?municipality=huddinge&theme=mobilitet&year=2016&sort=title",
        GEOJSON,
        GEOJSON + "?municipality=huddinge",
        "/",
        "/kommuner/",
        "/kommuner/huddinge/",
    ],
)
def test_list_pages_make_the_same_number_of_queries_for_10_and_500_testbeds(client, url):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    theme = ThemeFactory(name="Mobilitet", slug="mobilitet")
    bulk_testbeds(10, huddinge, theme)
    few = count_queries(client, url)
    bulk_testbeds(490, huddinge, theme, start=10)
    assert Testbed.objects.count() == 500
    assert count_queries(client, url) == few


def test_detail_page_query_count_does_not_grow_with_relations(client):
    municipalities = [MunicipalityFactory() for _ in range(2)]
    themes = [ThemeFactory() for _ in range(2)]
    small = TestbedFactory(municipalities=municipalities[:1], themes=themes[:1])
    few = count_queries(client, small.get_absolute_url())
    municipalities += [MunicipalityFactory() for _ in range(6)]
    themes += [ThemeFactory() for _ in range(8)]
    big = TestbedFactory(municipalities=municipalities, themes=themes)
    assert count_queries(client, big.get_absolute_url()) == few


@pytest.mark.parametrize("url", [LIST, "/", "/kommuner/huddinge/"])
def test_card_lists_render_the_same_templates_for_one_card_and_many(client, url):
    """The cards are one include with the card as a partial, not an include (and a demo-label
    include) per card."""
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")

    def template_files(response):  # a partial's render is reported under its own name
        return [t.name for t in response.templates if t.name.endswith(".html")]

    bulk_testbeds(1, huddinge)
    one = template_files(client.get(url))
    bulk_testbeds(11, huddinge, start=1)
    response = client.get(url)
    assert response.content.count(b'<article class="card">') > 1
    assert template_files(response) == one


@pytest.mark.parametrize("url", [LIST, "/", "/kommuner/huddinge/"])
def test_card_lists_load_only_the_fields_a_card_shows(client, url):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    bulk_testbeds(3, huddinge)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    testbed_selects = [
        q["sql"] for q in ctx.captured_queries if 'FROM "testbeds_testbed"' in q["sql"]
    ]
    assert testbed_selects
    for column in ("body", "question", "area", "cover_renditions"):
        assert not any(f'"testbeds_testbed"."{column}"' in sql for sql in testbed_selects), column


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?municipality=huddinge&status=ongoing&sort=title",
        "?municipality=huddinge&municipality=tyreso&theme=mobilitet&theme=stadsmiljo-och-boende",
    ],
)
def test_filter_widgets_are_djangos_html_without_a_template_per_option(client, catalogue, query):
    from django import forms

    from testbeds.filters import TestbedFilter

    response = client.get(LIST + query)
    used = [t.name for t in response.templates]
    assert "django/forms/widgets/select_option.html" not in used
    assert "django/forms/widgets/input_option.html" not in used
    form = TestbedFilter(response.wsgi_request.GET or None).form
    for name, widget, start in [
        ("municipality", forms.CheckboxSelectMultiple, "<div"),
        ("theme", forms.CheckboxSelectMultiple, "<div"),
        ("status", forms.Select, "<select"),
        ("sort", forms.Select, "<select"),
    ]:
        field = form[name]
        expected = field.as_widget(widget=widget(choices=field.field.choices))
        assert expected.startswith(start) and expected in response.content.decode()


def test_geojson_is_plain_json_any_client_can_read(client, catalogue):
    raw = client.get(GEOJSON).content.decode()
    data = json.loads(raw)
    assert all(f["geometry"]["coordinates"][0] == 17.94 for f in data["features"])
    assert reverse("testbeds:geojson") == GEOJSON


def test_apps_add_sections_to_the_testbed_page_with_their_prefetches(client, settings):
    from django.db.models import Prefetch

    from testbeds import sections

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], "tests/templates"]}
    ]
    testbed = TestbedFactory(municipalities=[MunicipalityFactory(name="Salem", code="0128")])
    sections.register(
        "tests/_section.html",
        prefetch=[Prefetch("themes__testbeds", queryset=Testbed.objects.only("title"))],
        order=1,
    )
    try:
        response = client.get(testbed.get_absolute_url())
    finally:
        sections.unregister("tests/_section.html")
    assert (
        '<section class="test-section"><h2>Sektion</h2><span>Salem</span></section>'
        in response.text
    )
    assert "test-section" not in client.get(testbed.get_absolute_url()).text


# Bounded pages (issue 14) --------------------------------------------------------------------


def page_links(html):
    """The numbered page links of the pagination (not previous/next) and its gaps."""
    nav = html.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    numbers = [int(n) for n in re.findall(r'page=(\d+)"[^>]*>(?:\d+)<', nav)]
    return numbers, nav.count('<li aria-hidden="true">…</li>')


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (1, [1, 2, 3, 377]),
        (189, [1, 187, 188, 189, 190, 191, 377]),
        (377, [1, 375, 376, 377]),
    ],
)
def test_pagination_shows_an_elided_range_of_a_fixed_size(client, page, expected):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    bulk_testbeds(377 * 12, huddinge)
    html = client.get(f"{LIST}?sort=title&page={page}").text
    numbers, gaps = page_links(html)
    assert numbers == expected
    assert gaps == (1 if page in (1, 377) else 2)
    assert f'href="?sort=title&amp;page={page}" aria-current="page">{page}<' in html
    assert 'aria-label="Sida 377"' in html or page == 377
    assert '<nav class="pagination" aria-label="Sidor">' in html


def test_pagination_link_count_does_not_grow_with_the_pages(client):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    bulk_testbeds(20 * 12, huddinge)
    few = page_links(client.get(f"{LIST}?page=10").text)
    bulk_testbeds(400 * 12, huddinge, start=20 * 12)
    many = page_links(client.get(f"{LIST}?page=10").text)
    assert len(few[0]) == len(many[0]) == 7 and few[1] == many[1] == 2


def test_municipality_page_is_bounded_and_links_to_the_filtered_catalogue(client):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    bulk_testbeds(10, huddinge)
    with CaptureQueriesContext(connection) as few:
        small = client.get("/kommuner/huddinge/")
    assert len(small.context["testbeds"]) == 10
    assert "Visa alla" not in small.text and "Show all" not in small.text
    bulk_testbeds(190, huddinge, start=10)
    with CaptureQueriesContext(connection) as many:
        big = client.get("/kommuner/huddinge/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert [t.slug for t in big.context["testbeds"]] == [
        f"massbadd-{n}" for n in range(199, 187, -1)
    ]  # the newest, as the catalogue orders them
    assert big.context["testbed_count"] == 200
    assert 'href="/testbaddar/?municipality=huddinge"' in big.text
    assert big.context["geojson_url"] == "/testbaddar.geojson?municipality=huddinge"
    assert len(big.content) < len(small.content) * 1.3


def test_pagination_does_not_walk_every_page_number(client, monkeypatch):
    from django.core.paginator import Paginator

    class Unwalkable:
        def __iter__(self):
            raise AssertionError("the pagination walked all page numbers")

    def every_page(self):
        return Unwalkable()

    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    bulk_testbeds(50 * 12, huddinge)
    monkeypatch.setattr(Paginator, "page_range", property(every_page))
    assert client.get(f"{LIST}?page=25").status_code == 200


@pytest.fixture
def several_relations():
    """Testbeds with several municipalities and themes each (names out of name order, some
    needing escaping), one without themes and one without a place name."""
    haninge = MunicipalityFactory(name="Haninge & <Nynäs>", slug="haninge", code="0136")
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    botkyrka = MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")
    themes = [ThemeFactory(name=name) for name in ("Vatten", "Energi & klimat", "Mobilitet")]
    return [
        TestbedFactory(
            place_name="Centrum", municipalities=[huddinge, haninge, botkyrka], themes=themes
        ),
        TestbedFactory(place_name="", municipalities=[huddinge, botkyrka], themes=themes[:2]),
        TestbedFactory(place_name="Hamnen", municipalities=[huddinge], themes=[]),
        TestbedFactory(published=False, municipalities=[huddinge], themes=themes),
    ]


def expected_card_lines(testbed) -> tuple[str, str]:
    """A card's place line and theme list, built from the models (not from the card lists)."""
    from django.utils.html import escape

    place = ", ".join(escape(m.name) for m in testbed.municipalities.order_by("name"))
    if testbed.place_name:
        place += f" · {escape(testbed.place_name)}"
    names = [escape(t.name) for t in testbed.themes.order_by("name")]
    tags = (
        '<ul class="tags" aria-label="Teman">'
        + "".join(f"<li>{name}</li>" for name in names)
        + "</ul>"
        if names
        else ""
    )
    return f'<p class="card-place">{place}</p>', tags


@pytest.mark.parametrize("url", [LIST, "/", "/kommuner/huddinge/"])
def test_cards_show_each_testbeds_municipalities_and_themes_in_name_order(
    client, several_relations, url
):
    html = client.get(url).content.decode()
    cards = re.findall(r'<article class="card">.*?</article>', html, re.S)
    published = [t for t in several_relations if t.published]
    assert len(cards) == len(published)
    for testbed in published:
        (card,) = [c for c in cards if f'href="{testbed.get_absolute_url()}"' in c]
        place, tags = expected_card_lines(testbed)
        assert place in card
        assert (tags in card) if tags else ('class="tags"' not in card)


@pytest.mark.parametrize("url", [LIST, "/", "/kommuner/huddinge/"])
def test_cards_read_names_from_the_through_tables_not_model_instances(
    client, several_relations, url
):
    """Issue 14, item 2: the cards' municipality and theme names come as plain lists from one
    values query each over the through tables, not as prefetched model instances."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    prefetches = [q["sql"] for q in ctx.captured_queries if "_prefetch_related_val" in q["sql"]]
    assert not prefetches
    through = [q["sql"] for q in ctx.captured_queries if "testbeds_testbed_" in q["sql"]]
    assert any("testbeds_testbed_municipalities" in sql for sql in through)
    assert any("testbeds_testbed_themes" in sql for sql in through)
    testbeds = response.context[
        "object_list" if url == LIST else "featured" if url == "/" else "testbeds"
    ]
    for testbed in testbeds:
        assert not getattr(testbed, "_prefetched_objects_cache", None)
        assert all(type(n) is str for n in testbed.card_municipalities + testbed.card_themes)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_the_first_page_in_the_default_order_is_read_from_an_index(client):
    """The catalogue's (and the home page's) default order, real testbeds first, is a page
    of 12 read from the partial index testbed_catalogue_order, not a sort of every public
    testbed (issue 14: 10 ms of the catalogue's 43 at 4,500 public testbeds)."""
    bulk_testbeds(2000, MunicipalityFactory())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE testbeds_testbed")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("testbeds:list")).status_code == 200
    page = [q["sql"] for q in queries.captured_queries if "LIMIT 12" in q["sql"]]
    assert len(page) == 1, page
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + page[0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "testbed_catalogue_order" in plan and "Sort" not in plan, plan
