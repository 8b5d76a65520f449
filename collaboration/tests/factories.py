"""Factories for the collaboration app."""

import factory


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "collaboration.Actor"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Aktör {n}")
    slug = factory.Sequence(lambda n: f"aktor-{n}")
    sector = "business"
    description = "En partner i programmet."
