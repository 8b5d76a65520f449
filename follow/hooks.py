"""The follow app's plug-ins (sodertorn/hooks.py): its section on the testbed page and on the
municipality page. The indicator and dialogue-round pages include ``follow/_follow.html``."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sodertorn import hooks
from sodertorn.throttle import client_ip

from . import services


@hooks.register("testbed_sections")
def testbed_sections():
    return [{"template": "follow/_section.html", "order": 95}]


@hooks.register("municipality_sections")
def municipality_sections():
    return [{"template": "follow/_section.html", "order": 90}]


@hooks.register("contribution_posted")
def tell_when_answered(*, contribution, email, receipt_url, request):
    """The dialogue form's "tell me when the municipality answers": a one-shot daily
    subscription to the contribution, confirmed like every other (its confirmation mail
    carries the receipt link), deleted once the answer is told."""
    try:
        services.subscribe(
            target=contribution,
            email=email,
            frequency="daily",
            address=client_ip(request),
            language=get_language(),
            base_url=request.build_absolute_uri("/")[:-1],
        )
    except services.RateLimited:
        return _(
            "Your contribution is saved, but too many requests came from your connection to "
            "set up the mail about the answer. Use your receipt link to see when it comes."
        )
    return _(
        "Check your e-mail: confirm the link we sent to be told when the municipality answers."
    )
