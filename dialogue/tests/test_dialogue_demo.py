"""The dialogue demo data: dates relative to the day it is loaded, idempotent, all marked demo."""

import datetime
import io

import pytest
from django.core.management.color import no_style

from dialogue import demo
from dialogue.models import Contribution, DialogueRound, Response
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db


def load():
    demo.load(database="default", stdout=io.StringIO(), style=no_style(), debug=False)


@pytest.fixture
def testbeds():
    for testbed in {testbed for _slug, testbed, *_rest in demo.ROUNDS}:
        TestbedFactory(slug=testbed)


def test_demo_rounds_are_open_and_closed_whatever_the_day(testbeds, monkeypatch):
    # Loaded on another day (and read that day): the same statuses. Only the one labelled
    # example round is open (its dates follow the day of loading); every other round closed
    # within the programme's years, so none is upcoming (issue 17).
    some_day = datetime.date(2031, 2, 28)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: some_day)
    load()
    statuses = {r.slug: r.status for r in DialogueRound.objects.all()}
    assert set(statuses.values()) == {"closed", "open"}
    assert [slug for slug, status in statuses.items() if status == "open"] == [demo.OPEN_ROUND]
    assert statuses["samrad-dagvattenparken"] == statuses["granskning-dagvattenparken"] == "closed"
    load()
    assert DialogueRound.objects.count() == len(demo.ROUNDS)
    assert Contribution.objects.count() == len(demo.CONTRIBUTIONS)
    assert not DialogueRound.objects.filter(is_demo=False).exists()
    assert not Contribution.objects.filter(is_demo=False).exists()
    assert not Response.objects.filter(is_demo=False).exists()
    assert Contribution.objects.filter(status="pending").exists()
    assert Response.objects.filter(contribution__round__slug="samrad-dagvattenparken").exists()
    # The granskning that followed the samråd, with its granskningsutlåtande.
    review = DialogueRound.objects.get(slug="granskning-dagvattenparken")
    assert (review.stage, review.testbed.slug) == ("review", "dagvatten-och-gronska-i-hallunda")
    assert review.closes_on > DialogueRound.objects.get(slug="samrad-dagvattenparken").closes_on
    assert Response.objects.filter(contribution__round=review).exists()
