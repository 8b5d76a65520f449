"""Writes of the follow app: subscribe (double opt-in), confirm, unsubscribe, the digests.

Every mail goes through the task queue after the commit (sodertorn/mail.py). The only mail an
unconfirmed address ever gets is its confirmation, at most one per address and thing while it
waits (``PENDING_DAYS``; a new one once a day at most if it was lost), and at most
``CONFIRMATIONS_PER_ADDRESS_DAY`` a day to one address whatever it is asked to follow, so the
form cannot be used to mail-bomb anyone. A client address may subscribe
``DIALOGUE_RATE_LIMIT`` times in ``DIALOGUE_RATE_WINDOW`` seconds (as the dialogue's form).
"""

import datetime
import logging
import secrets
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sodertorn import ratelimit
from sodertorn.mail import queue_mail

from . import kinds
from .models import Subscription

logger = logging.getLogger(__name__)

PENDING_DAYS = 7  # an unconfirmed subscription is deleted after this
RESEND_AFTER = datetime.timedelta(days=1)  # a lost confirmation may be asked for again
CONFIRMATIONS_PER_ADDRESS_DAY = 3
PERIODS = {
    Subscription.Frequency.DAILY: datetime.timedelta(days=1),
    Subscription.Frequency.WEEKLY: datetime.timedelta(days=7),
}
# A digest run a little earlier than the last one (cron's seconds) still counts as due.
SLACK = datetime.timedelta(hours=2)
SEEN_LIMIT = 500  # keys kept per subscription


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def absolute(path: str, base_url: str = "") -> str:
    base = (base_url or settings.SITE_URL or "http://localhost:8000").rstrip("/")
    return f"{base}{path}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def subscribe(
    *, target, email: str, frequency: str, address: str | None, language: str, base_url: str = ""
) -> Subscription | None:
    """Store an unconfirmed subscription of ``email`` to ``target`` and queue its confirmation.

    Returns the subscription whose confirmation was queued, or None when nothing was sent (the
    address already follows it, a confirmation is waiting, or the address had its mails for
    today): the visitor is told the same in every case, so the form says nothing about whose
    address follows what. Raises RateLimited (too many from this client)."""
    email = email.strip().lower()
    kind = kinds.kind_of(target)
    if not ratelimit.allow(
        "follow.subscribe",
        {"ip": address},
        limits={"ip": settings.DIALOGUE_RATE_LIMIT},
        window=settings.DIALOGUE_RATE_WINDOW,
    ):
        raise RateLimited(settings.DIALOGUE_RATE_WINDOW)
    now = timezone.now()
    try:
        with transaction.atomic():
            Subscription.objects.expired(now=now, days=PENDING_DAYS).filter(email=email).delete()
            existing = (
                Subscription.objects.select_for_update()
                .filter(email=email, **{kind.name: target})
                .first()
            )
            if existing is not None and (
                existing.is_confirmed or existing.created_at > now - RESEND_AFTER
            ):
                return None
            if not ratelimit.allow(
                "follow.confirmation",
                {"email": email},
                limits={"email": CONFIRMATIONS_PER_ADDRESS_DAY},
                window=24 * 60 * 60,
            ):
                return None
            subscription = existing or Subscription(email=email, **{kind.name: target})
            subscription.frequency = frequency
            subscription.language = language
            subscription.token = new_token()
            subscription.created_at = now
            subscription.full_clean(exclude=["token"], validate_constraints=False)
            subscription.save()
            _queue_confirmation(subscription, kind, target, base_url)
    except IntegrityError:  # the same address and thing sent twice at the same moment
        return None
    return subscription


def _queue_confirmation(subscription, kind, target, base_url) -> None:
    with translation.override(subscription.language):
        context = {
            "kind": kind,
            "title": kind.title(target),
            "frequency": subscription.get_frequency_display().lower(),
            "confirm_url": absolute(
                reverse("follow:confirm", kwargs={"token": subscription.token}), base_url
            ),
            "days": PENDING_DAYS,
            "page_url": absolute(kind.page_url(target), base_url),
        }
        queue_mail(
            _("Confirm that you want to follow %(title)s") % {"title": context["title"]},
            render_to_string("follow/confirmation_email.txt", context),
            [subscription.email],
        )


def confirm(subscription: Subscription, *, now=None) -> bool:
    """Make the subscription active; what has happened so far is not news. False when it
    was confirmed already."""
    if subscription.is_confirmed:
        return False
    now = now or timezone.now()
    kind = kinds.KINDS[subscription.target_field]
    with translation.override(subscription.language):
        keys = [key for key, _event in kinds.past_events(kind, subscription.target)]
    if kind.name in kinds.ONCE:  # an answer given before the confirmation is still news
        keys = []
    subscription.confirmed_at = now
    subscription.last_digest_at = now
    subscription.seen = keys[:SEEN_LIMIT]
    subscription.save(update_fields=["confirmed_at", "last_digest_at", "seen"])
    return True


def unsubscribe(subscription: Subscription, *, everything: bool = False) -> int:
    """Delete the subscription (and with ``everything`` every other of its address): the
    address is kept for nothing else. Returns how many were deleted."""
    if everything:
        deleted, _by_model = Subscription.objects.filter(email=subscription.email).delete()
    else:
        deleted, _by_model = Subscription.objects.filter(pk=subscription.pk).delete()
    return deleted


def purge_expired(*, now=None) -> int:
    """Delete the unconfirmed subscriptions past ``PENDING_DAYS``, and the requests to be told
    of an answer that can no longer come: the contribution was hidden, or its round's personal
    data is past keeping (``DIALOGUE_PERSONAL_DATA_DAYS`` after it closed, as names are)."""
    now = now or timezone.now()
    deleted, _by_model = Subscription.objects.expired(now=now, days=PENDING_DAYS).delete()
    kept_until = timezone.localdate(now) - datetime.timedelta(
        days=settings.DIALOGUE_PERSONAL_DATA_DAYS
    )
    gone, _by_model = (
        Subscription.objects.filter(contribution__isnull=False)
        .filter(Q(contribution__status="hidden") | Q(contribution__round__closes_on__lt=kept_until))
        .delete()
    )
    return deleted + gone


def due_subscriptions(now):
    due = Subscription.objects.none()
    for frequency, period in PERIODS.items():
        due |= Subscription.objects.confirmed().filter(
            frequency=frequency, last_digest_at__lte=now - period + SLACK
        )
    return due.select_related(*kinds.KINDS, "contribution__round").order_by("email", "id")


def send_digests(*, now=None, base_url: str = "") -> int:
    """One mail per address with the news of every subscription of it that is due; none for
    an address with no news. Returns the number of mails queued. The events of one thing
    are read once per run and language, however many follow it."""
    now = now or timezone.now()
    purge_expired(now=now)
    events_cache = {}
    by_address = defaultdict(list)
    subscriptions = list(due_subscriptions(now))
    for subscription in subscriptions:
        kind = kinds.KINDS[subscription.target_field]
        cache_key = (kind.name, subscription.target.pk, subscription.language)
        if cache_key not in events_cache:
            with translation.override(subscription.language):
                events_cache[cache_key] = kinds.past_events(kind, subscription.target)
        current = events_cache[cache_key]
        seen = set(subscription.seen)
        news = [event for key, event in current if key not in seen]
        subscription.seen = [key for key, _event in current][:SEEN_LIMIT]
        subscription.last_digest_at = now
        if news:
            by_address[subscription.email].append((subscription, kind, news))
    told_once = [
        subscription.pk
        for parts in by_address.values()
        for subscription, kind, _news in parts
        if kind.name in kinds.ONCE
    ]
    with transaction.atomic():
        Subscription.objects.bulk_update(subscriptions, ["seen", "last_digest_at"])
        for email, parts in by_address.items():
            _queue_digest(email, parts, base_url)
        # The answer is told: the address has done its one job and is deleted.
        Subscription.objects.filter(pk__in=told_once).delete()
    return len(by_address)


def _queue_digest(email, parts, base_url) -> None:
    first = parts[0][0]
    unsubscribe_all = absolute(
        reverse("follow:unsubscribe", kwargs={"token": first.token}), base_url
    )
    with translation.override(first.language):
        sections = [
            {
                "title": kind.title(subscription.target),
                "kind": kind,
                "frequency": subscription.get_frequency_display().lower(),
                "events": news,
                "page_url": absolute(kind.page_url(subscription.target), base_url),
                "unsubscribe_url": absolute(subscription.get_absolute_url(), base_url),
            }
            for subscription, kind, news in parts
        ]
        for section in sections:
            for index, event in enumerate(section["events"]):
                section["events"][index] = {
                    "event": event,
                    "url": absolute(event.url, base_url) if event.url else "",
                }
        subject = (
            _("News from %(title)s") % {"title": sections[0]["title"]}
            if len(sections) == 1
            else _("News from %(count)d things you follow") % {"count": len(sections)}
        )
        body = render_to_string(
            "follow/digest_email.txt",
            {"sections": sections, "unsubscribe_all_url": unsubscribe_all},
        )
    queue_mail(
        subject,
        body,
        [email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
