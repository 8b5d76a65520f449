import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from sodertorn.geo import bounds, validate_area
from testbeds.models import Municipality, Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.25], [17.9, 59.2]]],
}

pytestmark = [pytest.mark.each_database, pytest.mark.django_db]


def assert_db_refuses(**changes):
    testbed = TestbedFactory()
    for field, value in changes.items():
        setattr(testbed, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        testbed.save()


def test_end_date_before_start_is_refused_by_the_database():
    assert_db_refuses(start_date=datetime.date(2016, 5, 1), end_date=datetime.date(2016, 4, 30))


def test_end_date_equal_to_start_is_allowed():
    testbed = TestbedFactory(
        start_date=datetime.date(2016, 5, 1), end_date=datetime.date(2016, 5, 1)
    )
    testbed.full_clean()


@pytest.mark.parametrize(
    "changes",
    [
        {"latitude": Decimal("90.5")},
        {"latitude": Decimal("-90.1")},
        {"longitude": Decimal("180.5")},
        {"longitude": Decimal("-181")},
        {"longitude": None},
    ],
)
def test_coordinates_out_of_range_or_half_given_are_refused_by_the_database(changes):
    assert_db_refuses(**changes)


def test_cover_image_without_alt_text_is_refused_by_the_database():
    assert_db_refuses(cover_image="testbeds/covers/a.jpg", cover_alt="")


def test_unknown_status_is_refused_by_the_database():
    assert_db_refuses(status="paused")


def test_municipality_code_must_be_four_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(
            name="Fel", slug="fel", code="12a4", center_latitude=59, center_longitude=18
        )
    with pytest.raises(ValidationError) as excinfo:
        Municipality(
            name="Fel", slug="fel", code="123", center_latitude=59, center_longitude=18
        ).full_clean()
    assert "code" in excinfo.value.message_dict


def test_full_clean_explains_bad_dates_and_points():
    testbed = TestbedFactory.build(
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2016, 1, 1),
        latitude=Decimal("59.2"),
        longitude=None,
        cover_image="x.jpg",
        cover_alt=" ",
    )
    with pytest.raises(ValidationError) as excinfo:
        testbed.full_clean(exclude=["municipalities", "themes"])
    errors = excinfo.value.message_dict
    assert set(errors) >= {"end_date", "longitude", "cover_alt"}


def test_published_queryset_and_visibility():
    public = TestbedFactory(published=True)
    hidden = TestbedFactory(published=False)
    assert list(Testbed.objects.published()) == [public]

    class Anonymous:
        is_authenticated = False
        is_staff = False

    class Staff:
        is_authenticated = True
        is_staff = True

    assert set(Testbed.objects.visible_to(Anonymous())) == {public}
    assert set(Testbed.objects.visible_to(Staff())) == {public, hidden}


def test_str_and_urls():
    municipality = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    testbed = TestbedFactory(title="Flemingsbergs stationsområde", slug="flemingsberg")
    assert str(testbed) == "Flemingsbergs stationsområde"
    assert str(municipality) == "Huddinge"
    assert testbed.get_absolute_url() == "/testbaddar/flemingsberg/"
    assert municipality.get_absolute_url() == "/kommuner/huddinge/"


# GeoJSON validation -------------------------------------------------------------------------


def test_valid_polygon_and_multipolygon_pass():
    validate_area(SQUARE)
    validate_area({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]})
    assert bounds(SQUARE) == (59.2, 17.9, 59.25, 17.95)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"type": "Point", "coordinates": [17.9, 59.2]}, "Polygon or MultiPolygon"),
        (
            {"type": "LineString", "coordinates": [[17.9, 59.2], [18, 59.3]]},
            "Polygon or MultiPolygon",
        ),
        ({"coordinates": []}, "Polygon or MultiPolygon"),
        ("POLYGON((1 2))", "GeoJSON geometry object"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[17.9, 59.2], [18, 59.2], [18, 59.3], [17.9, 59.3]]],
            },
            "closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[17.9, 59.2], [18, 59.2], [17.9, 59.2]]]},
            "four positions",
        ),
        (
            {"type": "Polygon", "coordinates": [[[17.9, 99], [18, 59.2], [18, 59.3], [17.9, 99]]]},
            "WGS84",
        ),
        (
            {"type": "Polygon", "coordinates": [[[200, 59], [18, 59.2], [18, 59.3], [200, 59]]]},
            "WGS84",
        ),
        (
            {"type": "Polygon", "coordinates": [[["a", 59], [18, 59.2], [18, 59.3], ["a", 59]]]},
            "numbers",
        ),
        ({"type": "Polygon", "coordinates": []}, "at least one ring"),
        ({"type": "MultiPolygon", "coordinates": [[]]}, "at least one ring"),
    ],
)
def test_invalid_areas_are_refused_with_a_reason(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_area(value)
    with translation.override("en"):
        assert message in " ".join(excinfo.value.messages)


def test_model_validation_checks_the_area():
    testbed = TestbedFactory(area=SQUARE)
    testbed.full_clean()
    testbed.area = {"type": "Point", "coordinates": [17.9, 59.2]}
    with pytest.raises(ValidationError) as excinfo:
        testbed.full_clean()
    assert "area" in excinfo.value.message_dict
