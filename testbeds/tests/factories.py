"""Factories for the testbeds app: municipalities, themes, testbeds."""

import datetime
from decimal import Decimal

import factory

from sodertorn.cache import content_changed
from testbeds.models import Municipality, Testbed, Theme


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    # Four digits (a database constraint), away from the real codes (01xx); the sequence runs
    # over the whole session, so it wraps instead of growing a fifth digit.
    code = factory.Sequence(lambda n: f"{1000 + n % 9000:04d}")
    center_latitude = Decimal("59.2")
    center_longitude = Decimal("17.9")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class TestbedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testbed
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Testbädd {n}")
    slug = factory.Sequence(lambda n: f"testbadd-{n}")
    question = "Hur kan stationsområdet bli en levande stadsdel?"
    summary = "En sammanfattning av testbädden."
    status = Testbed.Status.ONGOING
    start_date = datetime.date(2015, 3, 1)
    latitude = Decimal("59.22")
    longitude = Decimal("17.94")
    published = True

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or [MunicipalityFactory()])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


def bulk_testbeds(count: int, municipality, theme=None, start: int = 0) -> list[Testbed]:
    """Many published testbeds quickly (for query-count tests)."""
    testbeds = Testbed.objects.bulk_create(
        Testbed(
            title=f"Massbädd {start + i}",
            slug=f"massbadd-{start + i}",
            question="Fråga?",
            summary="Sammanfattning.",
            status=Testbed.Status.ONGOING,
            start_date=datetime.date(2016, 1, 1),
            latitude=Decimal("59.2") + Decimal(i) / 10000,
            longitude=Decimal("17.9"),
            published=True,
        )
        for i in range(count)
    )
    Through = Testbed.municipalities.through
    Through.objects.bulk_create(
        Through(testbed_id=t.pk, municipality_id=municipality.pk) for t in testbeds
    )
    if theme is not None:
        ThemeThrough = Testbed.themes.through
        ThemeThrough.objects.bulk_create(
            ThemeThrough(testbed_id=t.pk, theme_id=theme.pk) for t in testbeds
        )
    content_changed()  # bulk_create() sends no signals: cached pages must not hide the rows
    return testbeds


# Municipalities with their own sequence, for the open-data tests: the MunicipalityFactory's
# four-digit codes (9000 + n) would run out if these many tests advanced its counter.


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
