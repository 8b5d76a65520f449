"""Writes of the about app: accessibility feedback (stored, then mailed to the curators) and
the removal of its senders' personal data."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_erasure
from sodertorn import ratelimit
from sodertorn.mail import queue_mail
from sodertorn.roles import CURATOR

from .models import Feedback

RATE_SCOPE = "accessibility_feedback"

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """This address sent DIALOGUE_RATE_LIMIT messages within DIALOGUE_RATE_WINDOW seconds."""


class StampReused(Exception):
    """The form's time stamp already sent a message."""


def curators():
    """Active curators (staff in the curators' group) with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(groups__name=CURATOR, is_active=True, is_staff=True)
        .exclude(email="")
        .distinct()
    )


def send_feedback(
    *, message: str, page: str = "", name: str = "", email: str = "", address, stamp: str
) -> Feedback:
    """Store the feedback and mail it to the curators (queued, after the commit).

    Raises RateLimited (the address sent DIALOGUE_RATE_LIMIT messages within
    DIALOGUE_RATE_WINDOW seconds, counted in the database: sodertorn.ratelimit) or StampReused
    (the form stamp's nonce already sent one), and then stores nothing."""
    feedback = Feedback(message=message, page=page, name=name, email=email, stamp=stamp)
    feedback.full_clean(exclude=["stamp"])
    if Feedback.objects.filter(stamp=stamp).exists():
        raise StampReused
    if not ratelimit.allow(
        RATE_SCOPE,
        {"ip": address},
        limits={"ip": settings.DIALOGUE_RATE_LIMIT},
        window=settings.DIALOGUE_RATE_WINDOW,
    ):
        raise RateLimited
    try:
        with transaction.atomic():
            feedback.save()
            _mail_curators(feedback)
    except IntegrityError:  # the same stamp, sent twice at the same moment
        raise StampReused from None
    return feedback


def _mail_curators(feedback: Feedback) -> None:
    recipients = sorted(curators().values_list("email", flat=True))
    if not recipients:  # kept in the admin all the same
        logger.warning("Accessibility feedback %s: no curator has an e-mail address", feedback.pk)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "admin:about_feedback_change", args=[feedback.pk]
    )
    sender = ", ".join(part for part in (feedback.name, feedback.email) if part) or "–"
    queue_mail(
        _("Accessibility feedback"),
        _(
            "Feedback was sent through the accessibility statement.\n\n"
            "Page: %(page)s\nFrom: %(sender)s\n\n%(message)s\n\nIn the admin: %(link)s\n"
        )
        % {
            "page": feedback.page or "–",
            "sender": sender,
            "message": feedback.message,
            "link": link,
        },
        recipients,
        headers={"Reply-To": feedback.email} if feedback.email else None,
    )


def erase_expired_personal_data(*, now=None) -> int:
    """Blank the name and e-mail address of feedback sent more than
    FEEDBACK_PERSONAL_DATA_DAYS days ago, keeping the message. Returns how many changed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.FEEDBACK_PERSONAL_DATA_DAYS)
    expired = Feedback.objects.filter(created_at__lt=cutoff).exclude(name="", email="")
    with transaction.atomic():
        ids = list(expired.values_list("pk", flat=True))
        Feedback.objects.filter(pk__in=ids).update(name="", email="")
        record_erasure(Feedback, ids)
    return len(ids)
