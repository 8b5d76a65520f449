"""Factories for the results app: results and films (of testbeds with their own municipalities,
testbeds.tests.factories.OpenTestbedFactory)."""

import datetime

import factory

from results.models import Film, Result, ResultKind
from testbeds.tests.factories import OpenTestbedFactory


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    testbed = factory.SubFactory(OpenTestbedFactory)
    title = factory.Sequence(lambda n: f"Resultat {n}")
    slug = factory.Sequence(lambda n: f"resultat-{n}")
    kind = ResultKind.METHOD
    summary = "Sammanfattning."
    date = datetime.date(2017, 1, 1)
    published = True


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film

    testbed = factory.SubFactory(OpenTestbedFactory)
    title = factory.Sequence(lambda n: f"Film {n}")
    slug = factory.Sequence(lambda n: f"film-{n}")
    video_url = "https://vimeo.com/76979871"
    duration = 90
    transcript = "Berättare: hej."
    published = True
