"""Factories for the collaboration app."""

import datetime

import factory


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "collaboration.Actor"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Aktör {n}")
    slug = factory.Sequence(lambda n: f"aktor-{n}")
    sector = "business"
    description = "En partner i programmet."


class GrantFactory(factory.django.DjangoModelFactory):
    """A grant record (a programme grant unless told otherwise), funded by a funder actor."""

    class Meta:
        model = "collaboration.Grant"

    funder = factory.SubFactory(
        ActorFactory, name="Finansiären", slug="finansiaren", sector="funder"
    )
    title = factory.Sequence(lambda n: f"Projekt {n}")
    reference = factory.Sequence(lambda n: f"2015-{n:05d}")
    amount_sek = 100_000
    start_date = datetime.date(2015, 1, 1)


def bulk_grants(count: int, funder, *, start: int = 0) -> list:
    """Many grants from one funder quickly (for query-count tests)."""
    from collaboration.models import Grant

    return Grant.objects.bulk_create(
        Grant(
            funder=funder,
            title=f"Projekt {start + i}",
            slug=f"projekt-{start + i}",
            reference=f"2015-{start + i:05d}",
            amount_sek=100_000,
            start_date=datetime.date(2015, 1, 1),
        )
        for i in range(count)
    )
