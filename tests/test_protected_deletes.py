"""Deletes that would take data of another kind with them are refused, with a clear message,
in the admin (no 500) and in the ORM (ProtectedError)."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from collaboration.models import ContactPerson
from dialogue.models import DialogueRound
from dialogue.tests.factories import RoundFactory
from indicators.models import Area, Observation
from indicators.tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    bulk_observations,
    municipality_area,
)
from results.models import Result
from sodertorn.history_admin import protected_line
from testbeds.models import Municipality, Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = [pytest.mark.each_database, pytest.mark.django_db]


def shown(response, model, count) -> bool:
    """The refusal line for `count` linked objects of `model`, in the page's language."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        line = protected_line(model, count)
    return line in response.content.decode()


def admin_url(obj, page, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


@pytest.fixture
def huddinge_with_observations():
    area = municipality_area(code="0126", name="Huddinge", slug="huddinge")
    indicators = [IndicatorFactory(code=f"ind-{n}") for n in range(3)]
    bulk_observations(indicators, [area], range(2000, 2020))
    return area.municipality


def make_result(testbed):
    return Result.objects.create(
        testbed=testbed,
        title="Rapport",
        slug="rapport",
        kind="method",
        date=datetime.date(2018, 6, 1),
        summary="Vad vi lärde oss.",
    )


def test_deleting_a_municipality_with_observations_is_refused_in_the_orm(
    huddinge_with_observations,
):
    assert Observation.objects.count() == 60
    with pytest.raises(ProtectedError):
        huddinge_with_observations.delete()
    assert Observation.objects.count() == 60
    assert Municipality.objects.filter(pk=huddinge_with_observations.pk).exists()


def test_the_admin_says_why_a_municipality_cannot_be_deleted(
    admin_client, huddinge_with_observations
):
    url = admin_url(huddinge_with_observations, "delete", huddinge_with_observations.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert shown(page, Observation, 60)
    with translation.override("en"):
        assert protected_line(Observation, 60) == (
            "60 observations are linked to it: move or delete them first, on purpose."
        )
    assert text.count("<li>") < 20  # a summary, not one line per observation
    # posting the confirmation anyway deletes nothing
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Municipality.objects.filter(pk=huddinge_with_observations.pk).exists()
    assert Observation.objects.count() == 60


def test_the_bulk_delete_action_is_refused_too(admin_client, huddinge_with_observations):
    other = MunicipalityFactory()
    response = admin_client.post(
        reverse("admin:testbeds_municipality_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [huddinge_with_observations.pk, other.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert shown(response, Observation, 60)
    assert (
        Municipality.objects.filter(pk__in=[huddinge_with_observations.pk, other.pk]).count() == 2
    )


def test_a_municipality_without_observations_can_still_be_deleted(admin_client):
    municipality = MunicipalityFactory()
    municipality_area(municipality)
    response = admin_client.post(
        admin_url(municipality, "delete", municipality.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Municipality.objects.filter(pk=municipality.pk).exists()
    assert not Area.objects.filter(municipality_id=municipality.pk).exists()


def test_an_area_with_observations_is_refused():
    observation = ObservationFactory()
    with pytest.raises(ProtectedError):
        observation.area.delete()


@pytest.mark.parametrize(
    "attach, linked_model",
    [
        (make_result, Result),
        (lambda testbed: RoundFactory(testbed=testbed), DialogueRound),
        (
            lambda testbed: ContactPerson.objects.create(
                testbed=testbed, name="Anna Andersson", role="Projektledare"
            ),
            ContactPerson,
        ),
    ],
    ids=["result", "dialogue round", "contact"],
)
def test_a_testbed_with_results_rounds_or_contacts_is_refused(admin_client, attach, linked_model):
    testbed = TestbedFactory()
    linked = attach(testbed)
    with pytest.raises(ProtectedError):
        Testbed.objects.get(pk=testbed.pk).delete()
    page = admin_client.get(admin_url(testbed, "delete", testbed.pk))
    assert page.status_code == 200
    assert shown(page, linked_model, 1)
    admin_client.post(admin_url(testbed, "delete", testbed.pk), {"post": "yes"})
    assert Testbed.objects.filter(pk=testbed.pk).exists()
    assert type(linked).objects.filter(pk=linked.pk).exists()
    # once the linked data is removed on purpose, the testbed can go
    linked.delete()
    response = admin_client.post(admin_url(testbed, "delete", testbed.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Testbed.objects.filter(pk=testbed.pk).exists()


def test_a_dialogue_round_is_protected_by_the_testbed_only_not_the_other_way():
    round_ = RoundFactory()
    round_.delete()  # a round without contributions can go; its testbed stays
    assert not DialogueRound.objects.filter(pk=round_.pk).exists()


def test_a_result_with_films_is_refused(admin_client):
    from results.models import Film

    result = make_result(TestbedFactory())
    film = Film.objects.create(
        title="Filmen",
        slug="filmen",
        video_url="https://vimeo.com/76979871",
        duration=60,
        result=result,
        transcript="Text.",
    )
    page = admin_client.get(admin_url(result, "delete", result.pk))
    assert page.status_code == 200 and shown(page, Film, 1)
    with pytest.raises(ProtectedError):
        result.delete()
    assert Film.objects.filter(pk=film.pk).exists()
