"""What can be followed, and what counts as news about it.

Four kinds, each with its URL segment, the Subscription field that points to it, how to find
the public object from the URL, and its events in the shape of a testbed's timeline
(``sodertorn.timeline.Event``):

* a testbed: its timeline, joined from every app's ``testbed_timeline`` hook;
* a municipality: its published testbeds' start and end and their dialogue rounds opened and
  closed (in two queries: see ``municipality_events``);
* a dialogue round: the round's lines of its testbed's timeline (opened, closed with counts)
  and the days answers were published;
* an indicator: one line per year with values, with the number of values (a new year, or
  more values for a year, is news).

Other apps are read through the kernel's hooks and their ``selectors`` only (tests/
test_architecture.py); the objects come through the Subscription's relations.

Each kind's ``events(obj)`` returns ``[(key, Event)]``: the key says whether a digest has told
it already (``Subscription.seen``); it does not change with the language or with the label
("opens" becoming "opened").
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dialogue import selectors as dialogue_selectors
from sodertorn import hooks
from sodertorn.timeline import Event, named
from testbeds.models import Municipality, Testbed

from .models import Subscription

MUNICIPALITY_TESTBEDS = 50  # the newest; a municipality has a dozen or two
MUNICIPALITY_ROUNDS = 50


@dataclass(frozen=True)
class Kind:
    name: str  # the Subscription field: "testbed"
    segment: str  # in the URL: /folj/testbad/<key>/
    label: str  # "testbed", for sentences
    lookup: Callable  # key -> the public object (raises DoesNotExist)
    key: Callable  # object -> its key in the URL
    title: Callable  # object -> its name
    events: Callable  # object -> [(key, Event)]
    feed_url: Callable  # object -> the path of its Atom feed
    page: Callable | None = None  # object -> the page named in mails (default: its own)

    def page_url(self, obj) -> str:
        return self.page(obj) if self.page else obj.get_absolute_url()


def localised_key(event: Event, *extra) -> str:
    """A key for ``event`` that is the same in every language (the /en/ prefix left out)."""
    url = event.url
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        url = url.removeprefix(f"/{language}")
    return "|".join(str(part) for part in (event.kind, url, event.date, event.order, *extra))


def timeline(testbed) -> list[Event]:
    """Every app's lines for ``testbed`` (as testbeds/timeline.py joins them)."""
    return [event for hook in hooks.get_hooks("testbed_timeline") for event in hook(testbed)]


def testbed_events(testbed):
    return [(localised_key(event), event) for event in timeline(testbed)]


def municipality_events(municipality):
    """Its published testbeds' start and end (a testbed new in the catalogue is news: its
    start is a line not told before) and their dialogue rounds opened and closed, each named
    after what it is about: two queries, whatever the number of testbeds (a page's feed may
    not cost a query per testbed; the testbed's own feed and digest have every app's lines)."""
    today = timezone.localdate()
    testbeds = (
        Testbed.objects.published()
        .filter(municipalities=municipality)
        .only("title", "slug", "start_date", "end_date")
        .order_by("-start_date", "-id")[:MUNICIPALITY_TESTBEDS]
    )
    found = []
    for testbed in testbeds:
        started = testbed.start_date <= today
        found.append(
            Event(
                testbed.start_date,
                "testbed",
                _("The testbed started") if started else _("The testbed starts"),
                **named(testbed),
                order=0,
            )
        )
        if testbed.end_date:
            ended = testbed.end_date <= today
            found.append(
                Event(
                    testbed.end_date,
                    "testbed",
                    _("The testbed ended") if ended else _("The testbed is planned to end"),
                    **named(testbed),
                    order=99,
                )
            )
    rounds = (
        dialogue_selectors.public_rounds()
        .filter(testbed__municipalities=municipality, testbed__published=True)
        .only("title", "slug", "stage", "opens_on", "closes_on", "testbed__id")
        .order_by("-opens_on", "-id")[:MUNICIPALITY_ROUNDS]
    )
    for round_ in rounds:
        stage = round_.get_stage_display()
        opened = round_.opens_on <= today
        found.append(
            Event(
                round_.opens_on,
                "dialogue",
                (_("%(stage)s opened") if opened else _("%(stage)s opens")) % {"stage": stage},
                **named(round_),
                order=20,
            )
        )
        if round_.closes_on < today:
            found.append(
                Event(
                    round_.closes_on,
                    "dialogue",
                    _("%(stage)s closed") % {"stage": stage},
                    **named(round_),
                    order=80,
                )
            )
    return [(localised_key(event), event) for event in found]


def round_events(round_):
    url = round_.get_absolute_url()
    found = [
        (localised_key(event), event) for event in timeline(round_.testbed) if event.url == url
    ]
    answered = (
        dialogue_selectors.public_contributions(round_)
        .filter(responses__isnull=False)
        .annotate(day=TruncDate("responses__created_at"))
        .order_by()
        .values("day")
        .annotate(count=Count("responses", distinct=True))
    )
    for row in answered:
        event = Event(
            row["day"],
            "dialogue",
            ngettext("%(count)d answer published", "%(count)d answers published", row["count"])
            % {"count": row["count"]},
            **named(round_),
            order=60,
        )
        found.append((localised_key(event, row["count"]), event))
    return found


def indicator_events(indicator):
    years = indicator.observations.order_by().values("year").annotate(count=Count("id")).order_by()
    found = []
    for row in years:
        event = Event(
            datetime.date(row["year"], 1, 1),
            "indicator",
            _("Values for %(year)s") % {"year": row["year"]},
            **named(indicator, "name"),
            detail=ngettext("%(count)d value", "%(count)d values", row["count"])
            % {"count": row["count"]},
            precision="year",
        )
        found.append((localised_key(event, row["count"]), event))
    return found


def answer_events(contribution):
    """The answers to a resident's own contribution, once it is published: each links their
    receipt (dialogue/receipts.py), which shows the answer without naming anyone."""
    receipt = dialogue_selectors.receipt_url(contribution)
    found = []
    for answer in dialogue_selectors.public_answers(contribution):
        event = Event(
            timezone.localtime(answer.created_at).date(),
            "dialogue",
            _("The municipality answered your contribution"),
            **{**named(contribution.round), "url": receipt},
            detail=answer.signed,
        )
        found.append((f"answer|{answer.pk}", event))
    return found


def _feed(name):
    return lambda obj: reverse(
        "follow:feed", kwargs={"kind": KINDS[name].segment, "key": KINDS[name].key(obj)}
    )


def _indicator_model():
    return Subscription._meta.get_field("indicator").related_model


KINDS: dict[str, Kind] = {
    "testbed": Kind(
        "testbed",
        "testbad",
        gettext_lazy("testbed"),
        lambda key: Testbed.objects.published().get(slug=key),
        lambda obj: obj.slug,
        lambda obj: obj.title,
        testbed_events,
        lambda obj: reverse("testbeds:timeline_feed", kwargs={"slug": obj.slug}),
    ),
    "municipality": Kind(
        "municipality",
        "kommun",
        gettext_lazy("municipality"),
        lambda key: Municipality.objects.get(slug=key),
        lambda obj: obj.slug,
        lambda obj: obj.name,
        municipality_events,
        _feed("municipality"),
    ),
    "indicator": Kind(
        "indicator",
        "indikator",
        gettext_lazy("indicator"),
        lambda key: _indicator_model().objects.get(code=key),
        lambda obj: obj.code,
        lambda obj: obj.name,
        indicator_events,
        _feed("indicator"),
    ),
    "round": Kind(
        "round",
        "dialog",
        gettext_lazy("dialogue round"),
        lambda key: dialogue_selectors.public_rounds().get(slug=key),
        lambda obj: obj.slug,
        lambda obj: obj.title,
        round_events,
        _feed("round"),
    ),
    # Not followed from a page: the dialogue form's "tell me when the municipality answers"
    # (follow/hooks.py); no URL segment, no feed (the receipt is its page).
    "contribution": Kind(
        "contribution",
        "",
        gettext_lazy("answer to your contribution in"),
        lambda key: None,
        lambda obj: str(obj.pk),
        lambda obj: obj.round.title,
        answer_events,
        lambda obj: dialogue_selectors.receipt_url(obj),
        page=lambda obj: dialogue_selectors.receipt_url(obj),
    ),
}
BY_SEGMENT = {kind.segment: kind for kind in KINDS.values() if kind.segment}
# One-shot kinds: the subscription is deleted once a digest has told its news.
ONCE = {"contribution"}


def kind_of(obj) -> Kind:
    """The kind of a followable object (by its model's name)."""
    model = type(obj)._meta.model_name
    name = {"dialogueround": "round"}.get(model, model)
    return KINDS[name]


def find(segment: str, key: str):
    """``(kind, obj)`` for a URL's segment and key, or None (unknown or not public)."""
    kind = BY_SEGMENT.get(segment)
    if kind is None:
        return None
    try:
        return kind, kind.lookup(key)
    except (kind_model(kind).DoesNotExist, ValueError):
        return None


def kind_model(kind: Kind):
    return Subscription._meta.get_field(kind.name).related_model


def past_events(kind: Kind, obj) -> list[tuple[str, Event]]:
    """The events up to today (a round that opens next week is not news yet), newest first."""
    today = timezone.localdate()
    found = [(key, event) for key, event in kind.events(obj) if event.date <= today]
    found.sort(key=lambda pair: (pair[1].date, pair[1].order, pair[1].label), reverse=True)
    return found
