"""The curators' admin: pages, the map widget, area validation, actions, query counts."""

import datetime
import json
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sodertorn.tests.factories import CuratorFactory
from testbeds.models import Municipality, Testbed, Theme
from tests.admin_forms import in_admin_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    """A curator (group "Kurator", staff, not a superuser): curation needs no superuser."""
    client.force_login(CuratorFactory())
    return client


SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[17.93, 59.22], [17.96, 59.22], [17.96, 59.24], [17.93, 59.24], [17.93, 59.22]]
    ],
}


@pytest.fixture
def huddinge():
    return Municipality.objects.create(
        name="Huddinge",
        slug="huddinge",
        code="0126",
        center_latitude="59.236900",
        center_longitude="17.981600",
    )


@pytest.fixture
def tyreso():
    return Municipality.objects.create(
        name="Tyresö",
        slug="tyreso",
        code="0138",
        center_latitude="59.244000",
        center_longitude="18.228000",
    )


@pytest.fixture
def theme():
    return Theme.objects.create(name="Ekosystemtjänster", slug="ekosystemtjanster")


def make_testbed(municipalities, n=1, themes=(), **fields):
    testbed = Testbed.objects.create(
        **{
            "title": f"Testbädd {n}",
            "slug": f"testbadd-{n}",
            "question": "Hur?",
            "summary": "Kort sammanfattning.",
            "start_date": datetime.date(2015, 1, 1),
            **fields,
        }
    )
    testbed.municipalities.set(municipalities)
    testbed.themes.set(themes)
    return testbed


def add_form_data(municipality, **overrides):
    data = {
        "title": "Flemingsbergs stationsområde",
        "slug": "flemingsbergs-stationsomrade",
        "question": "Hur blir stationsområdet en levande stadsdel?",
        "summary": "Exempel på en testbädd.",
        "body": "",
        "status": "ongoing",
        "start_date": "2015-03-01",
        "end_date": "",
        "municipalities": [str(municipality.pk)],
        "place_name": "Flemingsberg",
        "latitude": "59.219000",
        "longitude": "17.946000",
        "area": json.dumps(SQUARE),
        "cover_alt": "",
        "_save": "Save",
    }
    data.update(overrides)
    return in_admin_names(Testbed, data)


def url(name, *args):
    return reverse(f"admin:testbeds_{name}", args=args)


def form_errors(response, field):
    return response.context["adminform"].form.errors.get(field, [])


def shown(response, text) -> bool:
    """Whether the page shows this text (a lazy message is read in the page's language)."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return escape(str(text)) in response.content.decode()


def in_language(response, text) -> str:
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return str(text)


# ---- access ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["testbed", "municipality", "theme"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, model):
    response = client.get(url(f"{model}_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_non_staff_users_are_sent_to_the_login_page(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="secret-pass-123")
    client.force_login(user)
    response = client.get(url("testbed_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_curator_opens_every_page(curator_client, huddinge, theme):
    testbed = make_testbed([huddinge], themes=[theme])
    for model, obj in (("testbed", testbed), ("municipality", huddinge), ("theme", theme)):
        for page, args in (("changelist", ()), ("add", ()), ("change", (obj.pk,))):
            response = curator_client.get(url(f"{model}_{page}", *args))
            assert response.status_code == 200, (model, page)
        # curators unpublish instead of deleting
        assert curator_client.get(url(f"{model}_delete", obj.pk)).status_code == 403


def test_changelist_shows_the_columns_curators_need(admin_client, huddinge, tyreso):
    make_testbed([huddinge, tyreso], title="Tyresö centrum", published=True)
    response = admin_client.get(url("testbed_changelist"))
    content = response.content.decode()
    assert "Tyresö centrum" in content
    assert "Huddinge, Tyresö" in content
    for heading in (_("status"), _("municipalities"), _("start date"), _("published")):
        assert shown(response, in_language(response, heading).capitalize()), heading


def test_changelist_search_finds_place_names(admin_client, huddinge):
    make_testbed([huddinge], n=1, title="Stationen", place_name="Flemingsberg")
    make_testbed([huddinge], n=2, title="Centrum", place_name="Tyresö centrum")
    response = admin_client.get(url("testbed_changelist"), {"q": "Flemingsberg"})
    assert [t.title for t in response.context["cl"].result_list] == ["Stationen"]


def test_changelist_filters_by_municipality(admin_client, huddinge, tyreso):
    make_testbed([huddinge], n=1, title="I Huddinge")
    make_testbed([tyreso], n=2, title="I Tyresö")
    response = admin_client.get(url("testbed_changelist"), {"municipalities__id__exact": tyreso.pk})
    assert [t.title for t in response.context["cl"].result_list] == ["I Tyresö"]


# ---- the map widget -------------------------------------------------------------------


def test_change_form_has_the_map_and_the_area_text_box(admin_client, huddinge):
    testbed = make_testbed([huddinge], latitude="59.219000", longitude="17.946000", area=SQUARE)
    response = admin_client.get(url("testbed_change", testbed.pk))
    content = response.content.decode()

    map_div = re.search(r"<div [^>]*data-testbed-map[^>]*>", content)
    assert map_div, "the map container is missing"
    map_div = map_div.group(0)
    assert 'data-area-input="id_area"' in map_div
    assert 'data-latitude-input="id_latitude"' in map_div
    assert 'data-longitude-input="id_longitude"' in map_div
    label = escape(in_language(response, _("Map for the point and the area")))
    assert f'aria-label="{label}"' in map_div
    assert 'role="application"' not in map_div

    textarea = re.search(r'<textarea name="area"[^>]*>(.*?)</textarea>', content, re.S)
    assert textarea, "the GeoJSON text box is missing"
    assert json.loads(textarea.group(1).replace("&quot;", '"')) == SQUARE
    # latitude and longitude stay ordinary, editable inputs
    assert re.search(r'<input [^>]*name="latitude"[^>]*value="59.219000"', content)
    assert re.search(r'<input [^>]*name="longitude"[^>]*value="17.946000"', content)


def test_map_widget_has_no_inline_script_or_style(admin_client, huddinge):
    response = admin_client.get(url("testbed_add"))
    content = response.content.decode()
    widget = re.search(r'<div class="testbed-map-widget">.*?</textarea>\s*</div>', content, re.S)
    assert widget
    assert "<script" not in widget.group(0)
    assert "style=" not in widget.group(0)


def test_map_assets_are_loaded(admin_client):
    content = admin_client.get(url("testbed_add")).content.decode()
    for asset in (
        "leaflet/leaflet.css",
        "leaflet/draw/leaflet.draw.css",
        "testbeds/admin-map.css",
        "leaflet/leaflet.js",
        "leaflet/draw/leaflet.draw.js",
        "testbeds/admin-map.js",
    ):
        assert f"/static/{asset}" in content, asset


def test_empty_area_shows_an_empty_text_box_not_null(admin_client, huddinge):
    testbed = make_testbed([huddinge])
    content = admin_client.get(url("testbed_change", testbed.pk)).content.decode()
    textarea = re.search(r'<textarea name="area"[^>]*>(.*?)</textarea>', content, re.S)
    assert textarea.group(1).strip() == ""


def test_municipality_form_has_the_map_for_its_boundary(admin_client, huddinge):
    content = admin_client.get(url("municipality_change", huddinge.pk)).content.decode()
    map_div = re.search(r"<div [^>]*data-testbed-map[^>]*>", content).group(0)
    assert 'data-area-input="id_boundary"' in map_div
    assert 'data-latitude-input="id_center_latitude"' in map_div
    assert 'data-longitude-input="id_center_longitude"' in map_div


# ---- saving ---------------------------------------------------------------------------


def test_curator_adds_a_testbed_with_point_and_area(curator_client, huddinge, theme):
    response = curator_client.post(
        url("testbed_add"), add_form_data(huddinge, themes=[str(theme.pk)], published="on")
    )
    assert response.status_code == 302, form_errors(response, "__all__")
    testbed = Testbed.objects.get(slug="flemingsbergs-stationsomrade")
    assert str(testbed.latitude) == "59.219000"
    assert str(testbed.longitude) == "17.946000"
    assert testbed.area == SQUARE
    assert testbed.published is True
    assert list(testbed.municipalities.all()) == [huddinge]
    assert list(testbed.themes.all()) == [theme]


def test_empty_area_is_saved_as_no_area(admin_client, huddinge):
    response = admin_client.post(url("testbed_add"), add_form_data(huddinge, area=""))
    assert response.status_code == 302
    assert Testbed.objects.get().area is None


def test_two_polygons_are_saved_as_a_multipolygon(admin_client, huddinge):
    other = [[[18.0, 59.1], [18.1, 59.1], [18.1, 59.2], [18.0, 59.1]]]
    area = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], other]}
    response = admin_client.post(url("testbed_add"), add_form_data(huddinge, area=json.dumps(area)))
    assert response.status_code == 302
    assert Testbed.objects.get().area == area


def test_a_pasted_feature_is_reduced_to_its_geometry(admin_client, huddinge):
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE}
    response = admin_client.post(
        url("testbed_add"), add_form_data(huddinge, area=json.dumps(feature))
    )
    assert response.status_code == 302
    assert Testbed.objects.get().area == SQUARE


@pytest.mark.parametrize(
    ("area", "message"),
    [
        (
            '{"type": "Polygon", "coordinates": [[[17.9, 59.2]',
            forms.JSONField.default_error_messages["invalid"],
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[17.9, 59.2], [18.0, 59.2], [18.0, 59.3], [17.9, 59.3]]],
                }
            ),
            _("Each ring must be closed: its first and last positions must be equal."),
        ),
        (
            json.dumps({"type": "LineString", "coordinates": [[17.9, 59.2], [18.0, 59.3]]}),
            _("The area must be a Polygon or MultiPolygon, not %(type)s."),
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[17.9, 59.2], [200, 59.2], [18.0, 59.3], [17.9, 59.2]]],
                }
            ),
            _("Coordinate (%(lon)s, %(lat)s) is outside WGS84 longitude/latitude ranges."),
        ),
        ("[1, 2, 3]", _("The area must be a GeoJSON geometry object.")),
    ],
    ids=["invalid-json", "open-ring", "linestring", "out-of-range", "not-an-object"],
)
def test_a_bad_area_is_a_form_error_and_saves_nothing(admin_client, huddinge, area, message):
    response = admin_client.post(url("testbed_add"), add_form_data(huddinge, area=area))
    assert response.status_code == 200
    assert not Testbed.objects.exists()
    message = in_language(response, message) % {
        "type": "LineString",
        "lon": 200,
        "lat": 59.2,
    }
    assert form_errors(response, "area") == [message]
    # shown to the curator in the error list of the area field
    assert re.search(
        r'<ul class="errorlist"[^>]*id="id_area_error"[^>]*>\s*<li>' + re.escape(escape(message)),
        response.content.decode(),
    )


def test_the_invalid_text_is_kept_for_correction(admin_client, huddinge):
    broken = '{"type": "Polygon", "coordinates": ['
    response = admin_client.post(url("testbed_add"), add_form_data(huddinge, area=broken))
    content = response.content.decode()
    assert "{&quot;type&quot;: &quot;Polygon&quot;, &quot;coordinates&quot;: [" in content


def test_latitude_without_longitude_is_a_form_error(admin_client, huddinge):
    response = admin_client.post(url("testbed_add"), add_form_data(huddinge, longitude=""))
    assert response.status_code == 200
    assert form_errors(response, "longitude") == [
        in_language(response, _("Give both latitude and longitude, or neither."))
    ]
    assert not Testbed.objects.exists()


def test_curator_changes_a_municipality_boundary(curator_client, huddinge):
    data = {
        "name": "Huddinge",
        "slug": "huddinge",
        "code": "0126",
        "center_latitude": "59.236900",
        "center_longitude": "17.981600",
        "boundary": json.dumps(SQUARE),
        "_save": "Save",
    }
    response = curator_client.post(url("municipality_change", huddinge.pk), data)
    assert response.status_code == 302
    huddinge.refresh_from_db()
    assert huddinge.boundary == SQUARE


# ---- actions --------------------------------------------------------------------------


PUBLISHED = ("%(count)d testbed was published.", "%(count)d testbeds were published.")
UNPUBLISHED = ("%(count)d testbed was unpublished.", "%(count)d testbeds were unpublished.")


class ActionMessage:
    """An admin action's success message, read when shown (in the page's language)."""

    def __init__(self, forms, count):
        self.singular, self.plural = forms
        self.count = count

    def __str__(self):
        return ngettext(self.singular, self.plural, self.count) % {"count": self.count}


def run_action(admin_client, action, testbeds):
    return admin_client.post(
        url("testbed_changelist"),
        {"action": action, "_selected_action": [t.pk for t in testbeds]},
        follow=True,
    )


def test_publish_action_publishes_the_selected_testbeds(admin_client, huddinge):
    first, second, third = (make_testbed([huddinge], n=n) for n in (1, 2, 3))
    response = run_action(admin_client, "publish", [first, second])
    assert shown(response, ActionMessage(PUBLISHED, 2))
    published = set(Testbed.objects.filter(published=True).values_list("pk", flat=True))
    assert published == {first.pk, second.pk}


def test_publish_action_counts_only_the_changed_ones(admin_client, huddinge):
    already = make_testbed([huddinge], n=1, published=True)
    draft = make_testbed([huddinge], n=2)
    response = run_action(admin_client, "publish", [already, draft])
    assert shown(response, ActionMessage(PUBLISHED, 1))
    draft.refresh_from_db()
    assert draft.published is True


def test_unpublish_action_hides_the_selected_testbeds(admin_client, huddinge):
    first = make_testbed([huddinge], n=1, published=True)
    second = make_testbed([huddinge], n=2, published=True)
    response = run_action(admin_client, "unpublish", [first])
    assert shown(response, ActionMessage(UNPUBLISHED, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.published, second.published) == (False, True)


def test_actions_are_offered_with_their_names(admin_client, huddinge):
    make_testbed([huddinge])
    response = admin_client.get(url("testbed_changelist"))
    assert shown(response, _("Publish selected testbeds"))
    assert shown(response, _("Unpublish selected testbeds"))


# ---- query counts ---------------------------------------------------------------------


def changelist_queries(admin_client):
    admin_client.get(url("testbed_changelist"))  # warm up the session and the content types
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url("testbed_changelist"))
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


def test_changelist_query_count_does_not_grow_with_testbeds(admin_client, huddinge, tyreso, theme):
    def add(numbers):
        for n in numbers:
            make_testbed([huddinge, tyreso], n=n, themes=[theme])

    add(range(10))
    queries_for_10, count = changelist_queries(admin_client)
    assert count == 10
    add(range(10, 50))
    queries_for_50, count = changelist_queries(admin_client)
    assert count == 50
    assert queries_for_50 == queries_for_10


def test_municipality_changelist_counts_testbeds_in_constant_queries(
    admin_client, huddinge, tyreso
):
    for n in range(3):
        make_testbed([huddinge], n=n)
    make_testbed([huddinge, tyreso], n=10)
    response = admin_client.get(reverse("admin:testbeds_municipality_changelist"))
    counts = {m.name: m.testbed_count for m in response.context["cl"].result_list}
    assert counts == {"Huddinge": 4, "Tyresö": 1}
    assert re.search(r'class="field-testbed_count">4<', response.content.decode())


# ---- autocomplete ---------------------------------------------------------------------


def autocomplete(client, term):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "testbeds",
            "model_name": "testbed",
            "field_name": "municipalities",
            "term": term,
        },
    )


def test_municipality_autocomplete_answers_json_for_staff(admin_client, huddinge, tyreso):
    response = autocomplete(admin_client, "hud")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"] == [{"id": str(huddinge.pk), "text": "Huddinge"}]
    by_code = autocomplete(admin_client, "0138").json()["results"]
    assert by_code == [{"id": str(tyreso.pk), "text": "Tyresö"}]


def test_municipality_autocomplete_is_closed_to_anonymous_visitors(client, huddinge):
    response = autocomplete(client, "hud")
    assert response.status_code in (302, 403)
    assert b"Huddinge" not in response.content
