"""Factories for the competences app."""

import factory
from django.contrib.auth import get_user_model

from collaboration.models import Actor
from competences.models import ActorCompetence, Competence, MemberCompetence, Need
from sodertorn.cache import content_changed


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kompetens {n}")
    slug = factory.Sequence(lambda n: f"kompetens-{n}")
    description = "Vad kompetensen innebär."


def needs(testbed, *competences):
    for competence in competences:
        Need.objects.create(testbed=testbed, competence=competence)


def has(holder, *competences):
    """An actor or a person has these competences."""
    for competence in competences:
        if isinstance(holder, Actor):
            ActorCompetence.objects.create(actor=holder, competence=competence)
        else:
            MemberCompetence.objects.create(user=holder, competence=competence)


def bulk_competences(count: int, start: int = 0) -> list[Competence]:
    competences = Competence.objects.bulk_create(
        Competence(name=f"Masskompetens {start + i:04d}", slug=f"masskompetens-{start + i}")
        for i in range(count)
    )
    content_changed()
    return competences


def bulk_actors(count: int, competences, start: int = 0) -> list[Actor]:
    """Many actors, each having every competence given (for query-count tests)."""
    actors = Actor.objects.bulk_create(
        Actor(name=f"Massaktör {start + i:04d}", slug=f"massaktor-{start + i}", sector="business")
        for i in range(count)
    )
    ActorCompetence.objects.bulk_create(
        ActorCompetence(actor=actor, competence=competence)
        for actor in actors
        for competence in competences
    )
    content_changed()
    return actors


def bulk_people(count: int, competences, start: int = 0) -> list:
    User = get_user_model()
    people = User.objects.bulk_create(
        User(username=f"massperson{start + i}", first_name="Mass", last_name=str(i))
        for i in range(count)
    )
    MemberCompetence.objects.bulk_create(
        MemberCompetence(user=person, competence=competence)
        for person in people
        for competence in competences
    )
    content_changed()
    return people
