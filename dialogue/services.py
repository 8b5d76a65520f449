"""Writes of the citizen dialogue: posting, moderating, supporting, notifying curators.

Views, admin actions and the ``notify_moderators`` command all call these functions.
"""

import datetime
import enum
import logging
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit.services import Action, record_erasure, record_moderation
from sodertorn.cache import areas_of, content_changed
from sodertorn.mail import queue_mail

from .forms import FORM_MAX_AGE
from .models import (
    AddressThrottle,
    Contribution,
    DialogueRound,
    ModerationNotice,
    PostEvent,
    Support,
    UsedFormStamp,
)
from .roles import ERASE, MODERATE

logger = logging.getLogger(__name__)

MODERATE_PERMISSION = f"dialogue.{MODERATE}"
ERASE_PERMISSION = f"dialogue.{ERASE}"
NOTIFY_INTERVAL = datetime.timedelta(hours=1)
SUPPORT_DAY = datetime.timedelta(days=1)


class RoundNotOpen(Exception):
    """The round does not accept contributions or support today."""


class RateLimited(Exception):
    """This address has posted DIALOGUE_RATE_LIMIT times within DIALOGUE_RATE_WINDOW."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds until the oldest counted post leaves the window


class StampReused(Exception):
    """The form's signed time stamp was already used by a stored contribution."""


class SupportOutcome(enum.StrEnum):
    COUNTED = "counted"
    ALREADY = "already"  # this browser already supports the proposal
    LIMITED = "limited"  # DIALOGUE_SUPPORT_PER_ADDRESS_DAY reached for this address


# Keyed hashes and the per-address lock ---------------------------------------------------------


def keyed_hash(kind: str, value: str | None) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of a client address or browser token: stable
    enough to count with, useless to anyone without the key. ``None`` (no address known) is
    one bucket of its own."""
    return salted_hmac(f"dialogue.{kind}", value or "-", algorithm="sha256").hexdigest()


def _lock_address(digest: str, now) -> None:
    """Lock this address's throttle row until the transaction ends (created if missing).

    The UPDATE takes the row lock on PostgreSQL (as SELECT ... FOR UPDATE would) and the
    database's write lock on SQLite, so a second request from the same address waits here
    until the first has committed its count; INSERT ... ON CONFLICT DO NOTHING makes creating
    the row race-free."""
    rows = AddressThrottle.objects.filter(pk=digest)
    if rows.update(last_seen=now):
        return
    AddressThrottle.objects.bulk_create(
        [AddressThrottle(address_hash=digest, last_seen=now)], ignore_conflicts=True
    )
    rows.update(last_seen=now)


# Posting ---------------------------------------------------------------------------------------


def post_contribution(
    *,
    round: DialogueRound,
    kind: str,
    text: str,
    name: str = "",
    area: str = "",
    consent: bool,
    address: str | None,
    stamp: str,
    place_name: str = "",
    point: tuple | None = None,
    now=None,
) -> Contribution:
    """Store a resident's contribution, pending moderation, if the round is open, the address
    is within its rate limit and the form stamp's nonce (``stamp``) is unused.

    Raises RoundNotOpen, RateLimited or StampReused and then stores nothing. Everything is
    decided and written in one transaction in the database (no cache involved), under the
    address's row lock: parallel posts from one address cannot pass the limit together.
    Moderators are told after the commit, if it is time (``notify_moderators``).

    A place (``place_name``, the named place or address line, and ``point``, (latitude,
    longitude)) is kept only in a round that allows places; a point outside the testbed's
    area is refused with a ValidationError (the form says so first)."""
    now = now or timezone.now()
    if not round.is_open:
        raise RoundNotOpen
    latitude = longitude = None
    if not round.allows_places:
        place_name, point = "", None
    if point is not None:
        latitude, longitude = point
        if not round.place_is_allowed(latitude, longitude):
            raise ValidationError({"latitude": _("The point is outside the testbed's area.")})
    contribution = Contribution(
        round=round,
        kind=kind,
        text=text,
        name=name,
        area=area,
        consent=consent,
        created_at=now,
        place_name=place_name,
        latitude=latitude,
        longitude=longitude,
    )
    contribution.full_clean()
    digest = keyed_hash("address", address)
    window = datetime.timedelta(seconds=settings.DIALOGUE_RATE_WINDOW)
    with transaction.atomic():
        _lock_address(digest, now)
        events = PostEvent.objects.filter(address_hash=digest)
        events.filter(created_at__lte=now - window).delete()  # pruned on write
        recent = events.filter(created_at__gt=now - window).aggregate(
            count=Count("id"), oldest=Min("created_at")
        )
        if recent["count"] >= settings.DIALOGUE_RATE_LIMIT:
            wait = (recent["oldest"] + window - now).total_seconds()
            raise RateLimited(retry_after=max(1, math.ceil(wait)))
        try:
            with transaction.atomic():
                UsedFormStamp.objects.create(nonce=stamp, used_at=now)
        except IntegrityError:
            raise StampReused from None
        contribution.save()
        PostEvent.objects.create(address_hash=digest, created_at=now)
        transaction.on_commit(_notify_quietly)
    return contribution


def _notify_quietly() -> None:
    # The resident's post is saved whatever happens here (the cron command retries).
    try:
        notify_moderators()
    except Exception:
        logger.exception("Could not notify the dialogue moderators")


# Supporting ------------------------------------------------------------------------------------


def support(*, contribution: Contribution, browser: str, address: str | None, now=None):
    """Support a proposal: once per browser (``browser``: its random token), and at most
    DIALOGUE_SUPPORT_PER_ADDRESS_DAY times per proposal from one address within 24 hours.
    Returns a SupportOutcome. Kept in the database, atomic under the address's row lock."""
    if contribution.kind != Contribution.Kind.PROPOSAL:
        raise ValidationError(_("Only proposals can be supported."))
    if not contribution.round.is_open:
        raise RoundNotOpen
    now = now or timezone.now()
    address_digest = keyed_hash("address", address)
    browser_digest = keyed_hash("browser", browser)
    with transaction.atomic():
        _lock_address(address_digest, now)
        supports = Support.objects.filter(contribution=contribution)
        if supports.filter(browser_hash=browser_digest).exists():
            return SupportOutcome.ALREADY
        from_address = supports.filter(
            address_hash=address_digest, created_at__gt=now - SUPPORT_DAY
        )
        if from_address.count() >= settings.DIALOGUE_SUPPORT_PER_ADDRESS_DAY:
            return SupportOutcome.LIMITED
        try:
            with transaction.atomic():
                Support.objects.create(
                    contribution=contribution,
                    browser_hash=browser_digest,
                    address_hash=address_digest,
                    created_at=now,
                )
        except IntegrityError:  # the same browser, at the same moment, from another address
            return SupportOutcome.ALREADY
        Contribution.objects.filter(pk=contribution.pk).update(support_count=F("support_count") + 1)
        content_changed(areas=areas_of(Contribution))
    return SupportOutcome.COUNTED


def supported_ids(browser: str | None, round: DialogueRound | None = None) -> set[int]:
    """The contributions this browser supports (of ``round``, if given)."""
    if not browser:
        return set()
    supports = Support.objects.filter(browser_hash=keyed_hash("browser", browser))
    if round is not None:
        supports = supports.filter(contribution__round=round)
    return set(supports.values_list("contribution_id", flat=True))


# Pruning ---------------------------------------------------------------------------------------


def prune(*, now=None) -> dict[str, int]:
    """Delete what the limits no longer need: post events outside the rate window, used form
    stamps older than a stamp can be (FORM_MAX_AGE), throttle rows of addresses not seen for a
    day, and blank the address hash of support older than a day (the browser hash stays: it
    keeps support once per browser). Returns the number of rows per kind."""
    now = now or timezone.now()
    window = datetime.timedelta(seconds=settings.DIALOGUE_RATE_WINDOW)
    day = max(window, SUPPORT_DAY)
    return {
        "post events": PostEvent.objects.filter(created_at__lte=now - window).delete()[0],
        "form stamps": UsedFormStamp.objects.filter(
            used_at__lte=now - datetime.timedelta(seconds=FORM_MAX_AGE + 60)
        ).delete()[0],
        "address throttles": AddressThrottle.objects.filter(last_seen__lte=now - day).delete()[0],
        "support addresses": Support.objects.filter(created_at__lte=now - SUPPORT_DAY)
        .exclude(address_hash="")
        .update(address_hash=""),
    }


# Personal data ---------------------------------------------------------------------------------
#
# A contribution's name and area of residence are the personal data residents give; the text
# is what the dialogue is about and stays. Both erasures blank the two fields with update():
# contributions have no change history (sodertorn.history), so nothing can restore them, and
# the audit entry names the contributions' ids only. Backups keep them until they are rotated.


def _erase(contributions) -> list[int]:
    ids = list(contributions.exclude(name="", area="").values_list("pk", flat=True))
    if ids:
        Contribution.objects.filter(pk__in=ids).update(name="", area="")
        content_changed(areas=areas_of(Contribution))
    return ids


def erase_personal_data(contributions, *, by, reason: str) -> int:
    """A contributor asked for their personal data to be erased (GDPR art. 17): blank the name
    and area of these contributions, keeping the text. Curators only; ``reason`` (the request's
    reference, not the person's name) goes into the audit log. Returns how many changed."""
    if not by.has_perm(ERASE_PERMISSION):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reference of the request."))
    with transaction.atomic():
        ids = _erase(contributions)
        record_erasure(Contribution, ids, by=by, reason=reason)
    return len(ids)


def personal_data_expired(*, today=None):
    """Contributions whose round closed more than DIALOGUE_PERSONAL_DATA_DAYS days ago."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.DIALOGUE_PERSONAL_DATA_DAYS)
    return Contribution.objects.filter(round__closes_on__lt=cutoff)


def erase_expired_personal_data(*, today=None) -> int:
    """Blank the name and area of every contribution whose round closed more than
    DIALOGUE_PERSONAL_DATA_DAYS days ago (``manage.py erase_personal_data``, from cron).
    Returns how many changed; the audit log gets one entry for them."""
    with transaction.atomic():
        ids = _erase(personal_data_expired(today=today))
        record_erasure(Contribution, ids)
    return len(ids)


# Moderation ------------------------------------------------------------------------------------

# The fields only a moderator may change (the admin shows them read-only to others).
MODERATION_FIELDS = ("status", "hidden_reason")


def _check_moderator(user) -> None:
    if not user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied


def _moderated(by) -> dict:
    """The fields every moderation sets: who moderated, and when."""
    return {"moderated_by": by, "moderated_at": timezone.now()}


def moderate(contribution, *, by, changed_fields) -> None:
    """The admin's change form: a moderator edits the status or hiding reason by hand. Same
    rule as approve() and hide(): moderators only, who and when recorded. The caller saves."""
    if not set(changed_fields) & set(MODERATION_FIELDS):
        return
    _check_moderator(by)
    for name, value in _moderated(by).items():
        setattr(contribution, name, value)


def approve(contributions, *, by) -> int:
    """Approve pending or hidden contributions; the hiding reason is kept for the record."""
    _check_moderator(by)
    record_moderation(Action.APPROVE, contributions, by=by)
    count = contributions.exclude(status=Contribution.Status.APPROVED).update(
        status=Contribution.Status.APPROVED, **_moderated(by)
    )
    content_changed(areas=areas_of(Contribution))
    return count


def hide(contributions, *, by, reason: str) -> int:
    """Hide contributions with a reason (they are kept, never deleted)."""
    _check_moderator(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for hiding the contribution."))
    record_moderation(Action.HIDE, contributions, by=by, reason=reason)
    count = contributions.update(
        status=Contribution.Status.HIDDEN,
        hidden_reason=reason,
        **_moderated(by),
    )
    content_changed(areas=areas_of(Contribution))
    return count


# Notifying curators ----------------------------------------------------------------------------


def moderators():
    """Active users with an e-mail address who may moderate (through a group or directly)."""
    User = get_user_model()
    app_label, codename = MODERATE_PERMISSION.split(".")
    granted = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return User.objects.filter(granted, is_active=True).exclude(email="").distinct()


def notify_moderators(*, now=None, force: bool = False) -> int:
    """Queue a mail to the moderators if contributions are waiting and nobody was told in the
    last hour (``force``: whatever the time). Returns the number of recipients (0: not sent).

    The time of the last notice is a database row, locked while deciding, so several servers
    and the cron command never send twice within the hour. The mail itself is only queued
    (sodertorn.mail.queue_mail) and leaves after the commit, through the task worker: no mail
    server is talked to under the lock or in a resident's request."""
    now = now or timezone.now()
    if not force and ModerationNotice.objects.filter(sent_at__gt=now - NOTIFY_INTERVAL).exists():
        return 0  # the common case, decided without taking the lock
    with transaction.atomic():
        notice, _created = ModerationNotice.objects.select_for_update().get_or_create(
            pk=1, defaults={"sent_at": now - NOTIFY_INTERVAL * 2}
        )
        if not force and notice.sent_at > now - NOTIFY_INTERVAL:
            return 0
        waiting = Contribution.objects.pending().count()
        if not waiting:
            return 0
        recipients = sorted(moderators().values_list("email", flat=True))
        if not recipients:
            return 0
        queue = reverse("admin:dialogue_pendingcontribution_changelist")
        base = settings.SITE_URL.rstrip("/")
        queue_mail(
            _("%(count)d dialogue contributions await moderation") % {"count": waiting}
            if waiting != 1
            else _("1 dialogue contribution awaits moderation"),
            _(
                "Residents' contributions are waiting for a moderator. Nothing is shown "
                "publicly until it is approved.\n\nThe moderation queue: %(url)s\n"
            )
            % {"url": f"{base}{queue}"},
            recipients,
        )
        notice.sent_at, notice.pending = now, waiting
        notice.save()
    return len(recipients)
