"""Factories for the open-data tests (tests/factories.py has the rest).

Municipalities come from PlaceFactory, with its own sequence: the shared MunicipalityFactory's
four-digit codes (9000 + n) would run out if these many tests advanced its counter.
"""

import datetime
from decimal import Decimal

import factory

from results.models import Film, Result, ResultKind
from testbeds.models import Municipality

from .factories import TestbedFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Ort {n}")
    slug = factory.Sequence(lambda n: f"ort-{n}")
    code = factory.Sequence(lambda n: f"{5000 + n % 3000:04d}")
    center_latitude = Decimal("59.2")
    center_longitude = Decimal("17.9")


class OpenTestbedFactory(TestbedFactory):
    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or [PlaceFactory()])


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
