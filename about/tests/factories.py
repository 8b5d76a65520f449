"""Factories for the about app: accessibility feedback, and form data for its form."""

import secrets
import time

import factory
from django.core import signing

from about.forms import SIGNING_SALT
from about.models import Feedback


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    message = factory.Sequence(lambda n: f"Kartan går inte att använda med tangentbordet ({n}).")
    page = "/testbaddar/"
    name = "Amina"
    email = "amina@example.com"
    stamp = factory.LazyFunction(lambda: secrets.token_urlsafe(16))


def old_token(seconds: float = 60, nonce: str | None = None) -> str:
    """A form time stamp signed `seconds` ago (the minimum time to fill the form has passed)."""
    return signing.dumps(
        {"t": time.time() - seconds, "n": nonce or secrets.token_urlsafe(16)}, salt=SIGNING_SALT
    )


def form_data(**extra) -> dict:
    return {
        "message": "Tabellen på indikatorsidan går inte att läsa med förstoring.",
        "page": "/indikatorer/",
        "name": "Olle",
        "email": "olle@example.com",
        "website": "",
        "started": old_token(),
        **extra,
    }
