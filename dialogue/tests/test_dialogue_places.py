"""Placed comments: the optional place of a contribution (a point inside the testbed's area,
a named place or an address line), its moderation, the round's map data, the summary's
density table, the CSV columns and the GeoJSON export."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.forms import ContributionForm
from dialogue.models import Contribution, DialogueRound
from dialogue.tests.factories import ContributionFactory, ResponseFactory, RoundFactory, form_data
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db

# A square around Tumba centrum, about 1 km a side.
AREA = {
    "type": "Polygon",
    "coordinates": [
        [[17.82, 59.19], [17.84, 59.19], [17.84, 59.20], [17.82, 59.20], [17.82, 59.19]]
    ],
}
INSIDE = ("59.195000", "17.830000")
OUTSIDE = ("59.300000", "18.100000")
PLACES = "Stationen; 59.1970; 17.8350\nTorget; 59.1930; 17.8250"


@pytest.fixture
def placed_round():
    testbed = TestbedFactory(
        slug="tumba",
        place_name="Tumba centrum",
        latitude=Decimal("59.195"),
        longitude=Decimal("17.83"),
        area=AREA,
    )
    return RoundFactory(testbed=testbed, slug="platser", allows_places=True, place_names=PLACES)


def post(client, round_, **data):
    return client.post(round_.get_absolute_url(), form_data(**data), REMOTE_ADDR="10.0.0.2")


def stored(text="Bygg en lekplats vid torget."):
    return Contribution.objects.get(text=text)


# The form and the service -------------------------------------------------------------------


def test_the_form_offers_the_named_places_and_labelled_coordinates(client, placed_round):
    html = client.get("/en" + placed_round.get_absolute_url()).content.decode()
    assert "my text, the place I mark, and my name" in html  # the consent covers the place
    assert '<select name="named_place"' in html
    for name in ("Tumba centrum", "Stationen", "Torget"):
        assert f'<option value="{name}">{name}</option>' in html
    assert '<label for="id_latitude">' in html and '<label for="id_longitude">' in html
    assert '<label for="id_address">' in html
    assert "data-place-picker" in html and 'id="place-area"' in html


def test_a_point_inside_the_area_is_stored(client, placed_round):
    response = post(client, placed_round, latitude=INSIDE[0], longitude=INSIDE[1])
    assert response.status_code == 302
    item = stored()
    assert (str(item.latitude), str(item.longitude), item.place_name) == (*INSIDE, "")
    assert item.status == "pending"


def test_a_point_outside_the_area_is_a_form_error_that_keeps_the_text(client, placed_round):
    response = post(
        client, placed_round, latitude=OUTSIDE[0], longitude=OUTSIDE[1], text="Mörkt här."
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "outside the testbed" in html or "utanför testbäddens" in html
    assert 'href="#id_latitude"' in html
    assert "Mörkt här." in html and 'value="59.300000"' in html
    assert not Contribution.objects.exists()


def test_a_named_place_is_stored_with_its_coordinates(client, placed_round):
    assert post(client, placed_round, named_place="Stationen").status_code == 302
    item = stored()
    assert item.place_name == "Stationen"
    assert (item.latitude, item.longitude) == (Decimal("59.197000"), Decimal("17.835000"))


def test_the_testbeds_own_place_is_offered_first(placed_round):
    names = [place.name for place in placed_round.named_places()]
    assert names == ["Tumba centrum", "Stationen", "Torget"]


def test_an_unknown_named_place_is_a_form_error(client, placed_round):
    response = post(client, placed_round, named_place="Slottet")
    assert response.status_code == 200
    assert 'href="#id_named_place"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_an_address_line_is_stored_as_text(client, placed_round):
    assert post(client, placed_round, address="  Storgatan 12 ").status_code == 302
    item = stored()
    assert (item.place_name, item.latitude, item.longitude) == ("Storgatan 12", None, None)


def test_a_named_place_and_an_address_together_is_a_form_error(client, placed_round):
    response = post(client, placed_round, named_place="Torget", address="Storgatan 12")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_address"' in html and 'value="Storgatan 12"' in html


@pytest.mark.parametrize(
    "data, field",
    [
        ({"latitude": INSIDE[0]}, "id_longitude"),
        ({"longitude": INSIDE[1]}, "id_latitude"),
        ({"latitude": "norr", "longitude": INSIDE[1]}, "id_latitude"),
        ({"latitude": "59.1950001", "longitude": INSIDE[1]}, "id_latitude"),
        ({"latitude": "95", "longitude": INSIDE[1]}, "id_latitude"),
    ],
)
def test_half_or_bad_points_are_form_errors(client, placed_round, data, field):
    response = post(client, placed_round, **data)
    assert response.status_code == 200
    assert f'href="#{field}"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_no_place_is_still_fine(client, placed_round):
    assert post(client, placed_round).status_code == 302
    item = stored()
    assert (item.place_name, item.latitude, item.longitude) == ("", None, None)
    assert not item.is_placed


def test_a_round_without_places_shows_no_place_fields_and_ignores_them(client):
    round_ = RoundFactory(testbed=TestbedFactory(area=AREA), slug="utan")
    html = client.get(round_.get_absolute_url()).content.decode()
    assert "id_latitude" not in html and "named_place" not in html and "place-map" not in html
    response = post(client, round_, latitude=INSIDE[0], longitude=INSIDE[1], address="Torget")
    assert response.status_code == 302
    item = stored()
    assert (item.place_name, item.latitude, item.longitude) == ("", None, None)


def test_the_service_refuses_a_point_outside_and_drops_places_where_not_allowed(placed_round):
    from dialogue import services

    common = {"kind": "comment", "text": "Text", "consent": True, "address": "10.0.0.3"}
    with pytest.raises(ValidationError):
        services.post_contribution(round=placed_round, stamp="s1", point=OUTSIDE, **common)
    placed_round.allows_places = False
    item = services.post_contribution(
        round=placed_round, stamp="s2", point=INSIDE, place_name="Torget", **common
    )
    assert (item.place_name, item.latitude) == ("", None)


def test_without_an_area_the_municipality_boundary_limits_the_points():
    municipality = MunicipalityFactory(boundary=AREA)
    testbed = TestbedFactory(area=None, municipalities=[municipality])
    round_ = RoundFactory(testbed=testbed, allows_places=True)
    assert round_.place_is_allowed(*INSIDE)
    assert not round_.place_is_allowed(*OUTSIDE)


def test_with_neither_area_nor_boundary_a_box_around_the_point_limits_the_points():
    testbed = TestbedFactory(area=None, latitude=Decimal("59.5"), longitude=Decimal("17.5"))
    round_ = RoundFactory(testbed=testbed, allows_places=True)
    assert round_.place_is_allowed("59.505", "17.51")
    assert not round_.place_is_allowed("59.6", "17.5")
    form = ContributionForm(form_data(latitude="59.6", longitude="17.5"), round=round_)
    assert not form.is_valid() and "latitude" in form.errors


def test_the_round_admin_form_refuses_bad_or_outside_named_places(placed_round):
    placed_round.place_names = "Stationen, 59.19, 17.83"
    with pytest.raises(ValidationError) as bad:
        placed_round.full_clean()
    assert "place_names" in bad.value.message_dict
    placed_round.place_names = "Långt bort; 59.4; 18.2"
    with pytest.raises(ValidationError) as outside:
        placed_round.full_clean()
    assert "Långt bort" in outside.value.message_dict["place_names"][0]


def test_the_admin_shows_the_round_flag(admin_client, placed_round):
    html = admin_client.get(f"/admin/dialogue/dialogueround/{placed_round.pk}/change/").content
    assert b'name="allows_places"' in html and b'name="place_names"' in html


# Publication: moderation, the round's map, the summary, the exports --------------------------


@pytest.fixture
def placed_world(placed_round):
    approved = ContributionFactory(
        round=placed_round,
        text="Mörkt vid stationen.",
        kind="comment",
        place_name="Stationen",
        latitude=Decimal("59.197"),
        longitude=Decimal("17.835"),
        name="Amina",
    )
    ResponseFactory(contribution=approved, text="Belysningen ses över.", signed="Kommunen")
    ContributionFactory(
        round=placed_round,
        text="Fler bänkar vid stationen.",
        place_name="Stationen",
        latitude=Decimal("59.1971"),
        longitude=Decimal("17.8351"),
    )
    ContributionFactory(
        round=placed_round, text="Cykelställ på Storgatan.", place_name="Storgatan 3"
    )
    ContributionFactory(
        round=placed_round,
        text="Här på kartan.",
        kind="comment",
        latitude=Decimal("59.1925"),
        longitude=Decimal("17.8225"),
    )
    ContributionFactory(
        round=placed_round,
        text="Väntande plats.",
        status="pending",
        place_name="Torget",
        latitude=Decimal("59.193"),
        longitude=Decimal("17.825"),
    )
    ContributionFactory(
        round=placed_round,
        text="Dold plats.",
        status="hidden",
        hidden_reason="Reklam",
        place_name="Torget",
        latitude=Decimal("59.193"),
        longitude=Decimal("17.825"),
    )
    return placed_round


def map_data(response, element_id):
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_round_page_maps_only_published_placed_contributions(client, placed_world):
    response = client.get("/en" + placed_world.get_absolute_url())
    features = map_data(response, "round-places")["features"]
    titles = sorted(feature["properties"]["title"] for feature in features)
    assert titles == ["Comment: Marked on the map", "Comment: Stationen", "Proposal: Stationen"]
    html = response.content.decode()
    assert "Väntande plats." not in html and "Dold plats." not in html
    # The list alternative has every placed contribution, with or without a point.
    assert "4 contributions mark a place" in html
    assert '<li id="plats-' in html and "Storgatan 3" in html
    # Markers and list items link to the contribution's card in the paginated list.
    for feature in features:
        link = feature["properties"]["url"]
        assert link.startswith("?page=1#bidrag-")
        assert f'<a href="{link}">{feature["properties"]["title"]}</a>' in html
    # The contribution list shows the place name.
    assert '<span class="contribution-place">Place: <span lang="sv">Stationen</span></span>' in html


def test_approving_puts_a_placed_contribution_on_the_map(client, placed_world):
    Contribution.objects.filter(text="Väntande plats.").update(status="approved")
    features = map_data(client.get(placed_world.get_absolute_url()), "round-places")["features"]
    assert len(features) == 4


def test_the_summary_counts_the_places_in_a_table_with_a_density_map(client, placed_world):
    DialogueRound.objects.filter(pk=placed_world.pk).update(
        opens_on="2016-01-01", closes_on="2016-02-01"
    )
    response = client.get("/en" + placed_world.get_summary_url())
    rows = [
        (row["name"], row["comments"], row["proposals"], row["total"])
        for row in response.context["density"]
    ]
    assert rows[0] == ("Stationen", 1, 1, 2)
    assert ("Storgatan 3", 0, 1, 1) in rows
    assert any(name.startswith("Marked on the map near 59.19") for name, *_ in rows)
    assert len(rows) == 3  # nothing from the pending or hidden "Torget"
    html = response.content.decode()
    assert '<th scope="row" lang="sv">Stationen</th>' in html
    density = map_data(response, "place-density")["features"]
    assert {f["properties"]["title"]: f["properties"]["count"] for f in density}["Stationen"] == 2
    assert len(density) == 2  # the address line has no point
    assert placed_world.get_places_url() in html


def test_the_csv_has_the_place_columns(client, placed_world):
    DialogueRound.objects.filter(pk=placed_world.pk).update(
        opens_on="2016-01-01", closes_on="2016-02-01"
    )
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(placed_world.get_csv_url()).content.decode("utf-8-sig"))
        )
    )
    by_text = {row["text"]: row for row in rows}
    assert set(by_text) == {
        "Mörkt vid stationen.",
        "Fler bänkar vid stationen.",
        "Cykelställ på Storgatan.",
        "Här på kartan.",
    }
    first = by_text["Mörkt vid stationen."]
    assert (first["place_name"], first["latitude"], first["longitude"]) == (
        "Stationen",
        "59.197000",
        "17.835000",
    )
    assert by_text["Cykelställ på Storgatan."]["latitude"] == ""


def test_the_geojson_export(client, placed_world):
    response = client.get(f"/dialog/{placed_world.slug}/platser.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert len(features) == 3  # published, with a point
    first = features[0]
    assert first["type"] == "Feature"
    assert first["geometry"] == {"type": "Point", "coordinates": [17.835, 59.197]}
    props = first["properties"]
    assert set(props) == {"number", "kind", "text", "place_name", "created", "answer"}
    assert props["text"] == "Mörkt vid stationen."
    assert props["kind"] == "comment" and props["place_name"] == "Stationen"
    assert props["answer"] == "Kommunen: Belysningen ses över."
    assert len(props["created"]) == 10
    text = response.content.decode()
    assert "Amina" not in text and "Tumba" not in text.replace("tumba", "")
    assert "Väntande" not in text and "Dold" not in text and "Reklam" not in text


def test_the_geojson_export_is_404_where_places_are_not_allowed(client):
    round_ = RoundFactory(slug="utan-platser")
    assert client.get("/dialog/utan-platser/platser.geojson").status_code == 404
    unpublished = RoundFactory(
        testbed=TestbedFactory(published=False), slug="dold", allows_places=True
    )
    assert client.get(unpublished.get_places_url()).status_code == 404
    assert round_.allows_places is False


def add_placed(round_, count):
    Contribution.objects.bulk_create(
        Contribution(
            round=round_,
            kind="comment" if n % 2 else "proposal",
            text=f"Plats {n}",
            consent=True,
            status="approved",
            place_name=["Stationen", "Torget", ""][n % 3],
            latitude=Decimal("59.195") + Decimal(n % 7) / 1000,
            longitude=Decimal("17.83"),
        )
        for n in range(count)
    )
    for item in Contribution.objects.filter(round=round_).order_by("?")[:3]:
        ResponseFactory(contribution=item)


def test_query_counts_with_placed_contributions_do_not_grow(client, settings, placed_round):
    settings.PAGE_CACHE_SECONDS = 0
    closed = RoundFactory(
        testbed=placed_round.testbed, slug="stangd-platser", allows_places=True, closed=True
    )
    urls = [
        placed_round.get_absolute_url(),
        placed_round.get_places_url(),
        closed.get_summary_url(),
        closed.get_csv_url(),
        closed.get_places_url(),
    ]

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            result[url] = len(ctx.captured_queries)
        return result

    for round_ in (placed_round, closed):
        add_placed(round_, 10)
    few = counts()
    for round_ in (placed_round, closed):
        add_placed(round_, 490)
    assert counts() == few
