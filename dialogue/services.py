"""Writes of the citizen dialogue: posting, moderating, supporting, notifying curators.

Views, admin actions and the ``notify_moderators`` command all call these functions.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, record_moderation
from sodertorn.cache import content_changed

from .models import Contribution, DialogueRound, ModerationNotice
from .roles import MODERATE

logger = logging.getLogger(__name__)

MODERATE_PERMISSION = f"dialogue.{MODERATE}"
NOTIFY_INTERVAL = datetime.timedelta(hours=1)
SUPPORTED_SESSION_KEY = "dialogue_supported"


class RoundNotOpen(Exception):
    """The round does not accept contributions or support today."""


# Rate limiting ---------------------------------------------------------------------------------


def _rate_key(address: str) -> str:
    return f"dialogue:posts:{address}"


def rate_limited(address: str | None) -> bool:
    """Has this address already posted DIALOGUE_RATE_LIMIT times in the current window?"""
    if not address:
        return False
    return (cache.get(_rate_key(address)) or 0) >= settings.DIALOGUE_RATE_LIMIT


def count_post(address: str | None) -> None:
    """Count a post from this address. The window starts with the first post and lasts
    DIALOGUE_RATE_WINDOW seconds (a fixed window, kept in the shared cache)."""
    if not address:
        return
    key = _rate_key(address)
    if cache.add(key, 1, timeout=settings.DIALOGUE_RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=settings.DIALOGUE_RATE_WINDOW)


# Posting and supporting ------------------------------------------------------------------------


def post_contribution(
    *, round: DialogueRound, kind: str, text: str, name: str = "", area: str = "", consent: bool
) -> Contribution:
    """A resident's contribution, pending moderation; curators are told if it is time."""
    if not round.is_open:
        raise RoundNotOpen
    contribution = Contribution(
        round=round, kind=kind, text=text, name=name, area=area, consent=consent
    )
    contribution.full_clean()
    contribution.save()
    transaction.on_commit(_notify_quietly)
    return contribution


def _notify_quietly() -> None:
    # The resident's post is saved whatever happens to the e-mail (the cron command retries).
    try:
        notify_moderators()
    except Exception:
        logger.exception("Could not notify the dialogue moderators")


def support(*, contribution: Contribution, session) -> bool:
    """Support a proposal once per browser session. True if it counted."""
    if contribution.kind != Contribution.Kind.PROPOSAL:
        raise ValidationError(_("Only proposals can be supported."))
    if not contribution.round.is_open:
        raise RoundNotOpen
    supported = list(session.get(SUPPORTED_SESSION_KEY, []))
    if contribution.pk in supported:
        return False
    Contribution.objects.filter(pk=contribution.pk).update(support_count=F("support_count") + 1)
    content_changed()
    session[SUPPORTED_SESSION_KEY] = [*supported, contribution.pk]
    return True


def supported_ids(session) -> set[int]:
    return set(session.get(SUPPORTED_SESSION_KEY, []))


# Moderation ------------------------------------------------------------------------------------


def _check_moderator(user) -> None:
    if not user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied


def approve(contributions, *, by) -> int:
    """Approve pending or hidden contributions; the hiding reason is kept for the record."""
    _check_moderator(by)
    record_moderation(Action.APPROVE, contributions, by=by)
    count = contributions.exclude(status=Contribution.Status.APPROVED).update(
        status=Contribution.Status.APPROVED, moderated_by=by, moderated_at=timezone.now()
    )
    content_changed()
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
        moderated_by=by,
        moderated_at=timezone.now(),
    )
    content_changed()
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


@transaction.atomic
def notify_moderators(*, now=None, force: bool = False) -> int:
    """E-mail the moderators if contributions are waiting and nobody was told in the last
    hour (``force``: whatever the time). Returns the number of recipients (0: not sent).

    The time of the last notice is a database row, locked while deciding, so several
    servers and the cron command never send twice within the hour."""
    now = now or timezone.now()
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
    send_mail(
        subject=_("%(count)d dialogue contributions await moderation") % {"count": waiting}
        if waiting != 1
        else _("1 dialogue contribution awaits moderation"),
        message=_(
            "Residents' contributions are waiting for a moderator. Nothing is shown publicly "
            "until it is approved.\n\nThe moderation queue: %(url)s\n"
        )
        % {"url": f"{base}{queue}"},
        from_email=None,
        recipient_list=recipients,
    )
    notice.sent_at, notice.pending = now, waiting
    notice.save()
    return len(recipients)
