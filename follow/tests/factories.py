"""Factories for the follow app: subscriptions and the subscribe form's data."""

import secrets
import time

import factory
from django.core import signing

from follow import services
from follow.forms import SubscribeForm
from follow.models import Subscription
from testbeds.tests.factories import TestbedFactory


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"foljare{n}@example.com")
    frequency = Subscription.Frequency.DAILY
    testbed = factory.SubFactory(TestbedFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    language = "en"  # the tests read the English texts

    @factory.post_generation
    def confirmed(self, create, extracted, **kwargs):
        """``confirmed=True``: confirmed as its owner would (what has happened is not news)."""
        if create and extracted:
            services.confirm(self)


def old_token(seconds: float = 60) -> str:
    """A form stamp signed ``seconds`` ago (past the minimum time to fill the form in)."""
    return signing.dumps(
        {"t": time.time() - seconds, "n": secrets.token_urlsafe(16)},
        salt=SubscribeForm.stamp_salt,
    )


def form_data(**extra) -> dict:
    return {
        "email": "ada@example.com",
        "frequency": "daily",
        "website": "",
        "started": old_token(),
        **extra,
    }
