"""Who follows what by e-mail, without an account (issue 18, part 2).

One row per address and followed thing. A row is stored unconfirmed with a random ``token``;
the confirmation mail carries the token, and only once it is confirmed is anything else
mailed to the address. Unconfirmed rows are deleted after ``services.PENDING_DAYS``, and a
row is deleted, address and all, when its owner unsubscribes. The address is used for nothing
else (the personal-data page says so).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models import Contribution, DialogueRound
from indicators.models import Indicator
from testbeds.models import Municipality, Testbed

# The target fields, one per kind of thing one can follow (follow/kinds.py).
# "contribution": a resident who posted asked to be told of the answer (once, then deleted).
TARGET_FIELDS = ("testbed", "municipality", "indicator", "round", "contribution")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)

    def expired(self, *, now=None, days: int):
        now = now or timezone.now()
        return self.pending().filter(created_at__lt=now - datetime.timedelta(days=days))


def _exactly_one_target() -> Q:
    condition = Q()
    for name in TARGET_FIELDS:
        only = Q(**{f"{name}__isnull": False})
        for other in TARGET_FIELDS:
            if other != name:
                only &= Q(**{f"{other}__isnull": True})
        condition |= only
    return condition


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail address"), db_index=True)
    frequency = models.CharField(
        _("how often"), max_length=6, choices=Frequency, default=Frequency.WEEKLY
    )
    testbed = models.ForeignKey(
        Testbed, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    round = models.ForeignKey(
        DialogueRound, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="sv")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    # The keys of the events already told (or there when the subscription was confirmed):
    # what a digest leaves out. Bounded by the events a thing has (follow/kinds.py).
    seen = models.JSONField(default=list, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()
    page_cache_exempt = True  # no public page shows it: its writes leave the page cache alone

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="follow_one_target"),
            *(
                models.UniqueConstraint(
                    fields=["email", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"follow_one_per_address_{name}",
                )
                for name in TARGET_FIELDS
            ),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()}: {self.target}"

    def get_absolute_url(self):
        """The page where its owner may stop it (the token is the only key)."""
        return reverse("follow:unsubscribe", kwargs={"token": self.token})

    @property
    def target_field(self) -> str:
        return next(name for name in TARGET_FIELDS if getattr(self, f"{name}_id") is not None)

    @property
    def target(self):
        return getattr(self, self.target_field)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
