"""A testbed's timeline as an Atom feed (/testbaddar/<slug>/flode/): its newest lines first,
for those who follow a testbed in a feed reader."""

import datetime
from dataclasses import replace

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import timeline
from .models import Testbed

ITEMS = 30


def day_moment(day: datetime.date) -> datetime.datetime:
    """A day as an aware datetime: midnight in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class TestbedTimelineFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        testbed = get_object_or_404(Testbed.objects.published(), slug=slug)
        testbed.feed_origin = request.build_absolute_uri("/")[:-1]  # for the entries' ids
        return testbed

    def title(self, testbed):
        return _("Timeline: %(title)s") % {"title": testbed.title}

    def subtitle(self, testbed):
        return _("What happened in the testbed, newest first.")

    def link(self, testbed):
        return f"{testbed.get_absolute_url()}#tidslinje"

    def feed_url(self, testbed):
        return reverse("testbeds:timeline_feed", kwargs={"slug": testbed.slug})

    def items(self, testbed):
        return [
            replace(event, url=testbed.feed_origin + event.url)
            for event in timeline.events(testbed, newest_first=True)[:ITEMS]
        ]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        return event.detail

    def item_link(self, event):
        return event.url

    def item_guid(self, event):
        # several lines share a page (a round opened and closed): each has its own id
        return f"{event.url}#{event.date:%Y-%m-%d}-{event.kind}-{event.order}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return day_moment(event.date)
