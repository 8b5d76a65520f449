"""Atom feeds of a municipality, an indicator and a dialogue round (/folj/<kind>/<key>/flode/),
in the shape of a testbed's timeline feed (testbeds/feeds.py): the newest lines first."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import kinds

ITEMS = 30


class FollowFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, kind, key):
        found = kinds.find(kind, key)
        if found is None:
            raise Http404
        kind, obj = found
        origin = request.build_absolute_uri("/")[:-1]
        return {"kind": kind, "obj": obj, "origin": origin}

    def title(self, target):
        return _("News: %(title)s") % {"title": target["kind"].title(target["obj"])}

    def subtitle(self, target):
        return _("What happened, newest first.")

    def link(self, target):
        return target["obj"].get_absolute_url()

    def feed_url(self, target):
        return target["kind"].feed_url(target["obj"])

    def items(self, target):
        events = kinds.past_events(target["kind"], target["obj"])[:ITEMS]
        return [(target["origin"], key, event) for key, event in events]

    def item_title(self, item):
        return item[2].title

    def item_description(self, item):
        return item[2].detail

    def item_link(self, item):
        origin, _key, event = item
        return origin + (event.url or "/")

    def item_guid(self, item):
        origin, key, _event = item
        return f"{origin}#{key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item[2].date, datetime.time()))
