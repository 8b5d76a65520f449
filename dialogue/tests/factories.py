"""Factories for the citizen dialogue (dialogue app)."""

import datetime
import secrets
import time

import factory
from django.core import signing
from django.utils import timezone

from dialogue.forms import SIGNING_SALT
from dialogue.models import Contribution, DialogueRound, Response
from sodertorn.tests.factories import UserFactory
from testbeds.tests.factories import TestbedFactory


def dialogue_role(name: str):
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group

    from sodertorn.roles import ensure_roles

    if not Group.objects.filter(name=name).exists():
        ensure_roles(global_apps)
    return Group.objects.get(name=name)


class ModeratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            from dialogue.roles import MODERATOR

            self.groups.add(dialogue_role(MODERATOR))


class AnswererFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            from dialogue.roles import ANSWERER

            self.groups.add(dialogue_role(ANSWERER))


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueRound

    testbed = factory.SubFactory(TestbedFactory)
    title = factory.Sequence(lambda n: f"Dialogrunda {n}")
    slug = factory.Sequence(lambda n: f"runda-{n}")
    stage = DialogueRound.Stage.EARLY
    question = "Vad tycker du om **torget**?"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5))

    class Params:
        closed = factory.Trait(
            opens_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=30)
            ),
            closes_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=1)
            ),
        )
        upcoming = factory.Trait(
            opens_on=factory.LazyFunction(
                lambda: timezone.localdate() + datetime.timedelta(days=1)
            ),
            closes_on=factory.LazyFunction(
                lambda: timezone.localdate() + datetime.timedelta(days=30)
            ),
        )


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    round = factory.SubFactory(RoundFactory)
    kind = Contribution.Kind.PROPOSAL
    text = factory.Sequence(lambda n: f"Förslag nummer {n}: fler bänkar.")
    name = "Amina"
    area = "Tumba"
    consent = True
    status = Contribution.Status.APPROVED


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    contribution = factory.SubFactory(ContributionFactory)
    text = "Tack, vi tar med förslaget."
    signed = "Botkyrka kommun"


def old_token(seconds: float = 60) -> str:
    """A form time stamp signed `seconds` ago (the minimum time to fill the form has passed)."""
    return signing.dumps(
        {"t": time.time() - seconds, "n": secrets.token_urlsafe(16)}, salt=SIGNING_SALT
    )


def form_data(**extra) -> dict:
    return {
        "kind": "proposal",
        "text": "Bygg en lekplats vid torget.",
        "name": "Olle",
        "area": "Fittja",
        "consent": "on",
        "website": "",
        "started": old_token(),
        **extra,
    }
