"""Citizen dialogue (medborgardialog): rounds on a testbed, residents' contributions,
pre-moderation, answers from the municipality and support for proposals.

A round's status follows from its dates (no stored status that could drift): upcoming before
``opens_on``, open from ``opens_on`` to ``closes_on`` inclusive, closed after. Contributions
are public only once approved (``Contribution.objects.public()``), and every page, section
and export goes through that one method.
"""

import contextlib
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sodertorn.geo import contains_point
from sodertorn.history import History
from testbeds.models import (
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    PlanningStage,
    Testbed,
    coordinate_constraints,
)

TEXT_MAX_LENGTH = 2000

# What planners call the summary of a closed round: the samrådsredogörelse after a samråd
# (PBL 5 kap. 17 §), the granskningsutlåtande after a granskning (5 kap. 23 §), otherwise a
# plain sammanställning.
SUMMARY_TERMS = {
    PlanningStage.CONSULTATION: _("Consultation report"),
    PlanningStage.REVIEW: _("Review statement"),
}
SUMMARY_TERM = pgettext_lazy("the summary of a dialogue round", "Summary")


# Half the side of the square a testbed with neither an area nor a municipality boundary
# accepts places in, around its point (in degrees: about 1 km north-south).
POINT_BOX_DEGREES = 0.01
COORDINATE = Decimal("0.000001")  # the six decimals stored (about 10 cm)


class NamedPlace(NamedTuple):
    """A place a resident can choose from the round's list instead of using the map."""

    name: str
    latitude: Decimal
    longitude: Decimal


def parse_place_names(text: str) -> list[NamedPlace]:
    """The round's ``place_names``: one place a line, "name; latitude; longitude". Raises
    ValidationError naming the first line that is not of that form."""
    places = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        try:
            if len(parts) != 3 or not parts[0]:
                raise ValueError
            latitude, longitude = Decimal(parts[1]), Decimal(parts[2])
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ValueError
        except (ValueError, InvalidOperation):
            raise ValidationError(
                _(
                    "Line %(number)s is not of the form “name; latitude; longitude”, e.g. "
                    "“Stationen; 59.1790; 17.4300”."
                ),
                params={"number": number},
            ) from None
        places.append(
            NamedPlace(
                parts[0][:200], latitude.quantize(COORDINATE), longitude.quantize(COORDINATE)
            )
        )
    return places


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RoundQuerySet(models.QuerySet):
    def published(self):
        """Rounds whose testbed is public."""
        return self.filter(testbed__published=True)

    def open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(opens_on__lte=today, closes_on__gte=today)

    def upcoming(self, today=None):
        return self.filter(opens_on__gt=today or timezone.localdate())

    def closed(self, today=None):
        return self.filter(closes_on__lt=today or timezone.localdate())

    def with_counts(self):
        """Each round with `public_count` (approved contributions) and `proposal_count`."""
        approved = Q(contributions__status=Contribution.Status.APPROVED)
        return self.annotate(
            public_count=Count("contributions", filter=approved),
            proposal_count=Count(
                "contributions",
                filter=approved & Q(contributions__kind=Contribution.Kind.PROPOSAL),
            ),
        )


class DialogueRound(models.Model):
    Stage = PlanningStage
    Status = RoundStatus

    testbed = models.ForeignKey(
        Testbed,
        on_delete=models.PROTECT,
        related_name="dialogue_rounds",
        verbose_name=_("testbed"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    stage = models.CharField(_("planning stage"), max_length=20, choices=PlanningStage)
    question = models.TextField(
        _("question to residents"),
        help_text=_("Markdown: what residents are asked, and what the answers will be used for."),
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(
        _("closes"), help_text=_("The last day contributions are accepted.")
    )
    allows_places = models.BooleanField(
        _("residents can mark a place"),
        default=False,
        help_text=_(
            "Residents may mark a place with their contribution: on a map limited to the "
            "testbed's area, by choosing a named place or by typing an address line."
        ),
    )
    place_names = models.TextField(
        _("named places"),
        blank=True,
        help_text=_(
            "The places residents can choose from without the map, one a line: “name; "
            "latitude; longitude”, e.g. “Stationen; 59.1790; 17.4300”. The testbed's own "
            "place is always offered first."
        ),
    )
    is_demo = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RoundQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = _("dialogue round")
        verbose_name_plural = _("dialogue rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="dialogueround_closes_after_opens",
                violation_error_message=_("A round cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=PlanningStage.values), name="dialogueround_stage_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogue:round", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        try:
            places = parse_place_names(self.place_names)
        except ValidationError as exc:
            raise ValidationError({"place_names": exc}) from None
        if self.testbed_id is None:
            return
        outside = [p.name for p in places if not self.place_is_allowed(p.latitude, p.longitude)]
        if outside:
            raise ValidationError(
                {
                    "place_names": _(
                        "Outside the testbed's area: %(names)s. Residents can only mark "
                        "places inside it."
                    )
                    % {"names": ", ".join(outside)}
                }
            )

    def get_places_url(self):
        return reverse("dialogue:places", kwargs={"slug": self.slug})

    # Places -------------------------------------------------------------------------------

    def place_areas(self) -> list[dict]:
        """Where residents may mark a place: the testbed's area, else the boundaries of its
        municipalities (GeoJSON geometries; one query for the municipalities)."""
        testbed = self.testbed
        if testbed.area:
            return [testbed.area]
        return [
            boundary
            for boundary in testbed.municipalities.values_list("boundary", flat=True)
            if boundary
        ]

    def place_box(self) -> tuple | None:
        """(south, west, north, east) around the testbed's point, for a testbed with neither
        an area nor a municipality boundary."""
        testbed = self.testbed
        if not testbed.has_point:
            return None
        lat, lon = float(testbed.latitude), float(testbed.longitude)
        d = POINT_BOX_DEGREES
        return (lat - d, lon - 2 * d, lat + d, lon + 2 * d)  # about as wide as high at 59°N

    def place_is_allowed(self, latitude, longitude, areas=None) -> bool:
        """Is the point inside the testbed's area (or its municipalities, or the box around
        its point)? False when the testbed has none of them."""
        areas = self.place_areas() if areas is None else areas
        if areas:
            return any(contains_point(area, longitude, latitude) for area in areas)
        box = self.place_box()
        if box is None:
            return False
        south, west, north, east = box
        return south <= float(latitude) <= north and west <= float(longitude) <= east

    def named_places(self) -> list[NamedPlace]:
        """The places offered without the map: the testbed's own place (if it has a name and
        a point), then the round's ``place_names``; invalid lines are left out (the admin
        form refuses them)."""
        places = []
        testbed = self.testbed
        if testbed.place_name and testbed.has_point:
            places.append(NamedPlace(testbed.place_name, testbed.latitude, testbed.longitude))
        with contextlib.suppress(ValidationError):
            places.extend(parse_place_names(self.place_names))
        seen = set()
        return [p for p in places if not (p.name in seen or seen.add(p.name))]

    def get_summary_url(self):
        return reverse("dialogue:summary", kwargs={"slug": self.slug})

    def get_csv_url(self):
        return reverse("dialogue:csv", kwargs={"slug": self.slug})

    @property
    def summary_term(self):
        """The name of the closed round's summary: samrådsredogörelse, granskningsutlåtande
        or sammanställning (SUMMARY_TERMS)."""
        return SUMMARY_TERMS.get(self.stage, SUMMARY_TERM)

    def status_on(self, today) -> RoundStatus:
        if today < self.opens_on:
            return RoundStatus.UPCOMING
        if today > self.closes_on:
            return RoundStatus.CLOSED
        return RoundStatus.OPEN

    @property
    def status(self) -> RoundStatus:
        return self.status_on(timezone.localdate())

    def get_status_display(self):
        return self.status.label

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


class ContributionQuerySet(models.QuerySet):
    def public(self):
        """Approved contributions in rounds on public testbeds: all the public ever sees."""
        return self.filter(status=Contribution.Status.APPROVED, round__testbed__published=True)

    def pending(self):
        return self.filter(status=Contribution.Status.PENDING)


class Contribution(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PROPOSAL = "proposal", _("Proposal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")

    round = models.ForeignKey(
        DialogueRound,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("dialogue round"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.COMMENT)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=100, blank=True)
    area = models.CharField(_("area of residence"), max_length=100, blank=True)
    consent = models.BooleanField(_("consent to publish"), default=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("moderation"), max_length=10, choices=Status, default=Status.PENDING
    )
    hidden_reason = models.TextField(
        _("reason for hiding"),
        blank=True,
        help_text=_("Required when hidden; kept in the admin, never shown publicly."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    place_name = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The named place the resident chose, or the address line they typed."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )
    is_demo = models.BooleanField(_("example content"), default=False)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate_contribution", _("Can approve and hide contributions")),
            ("erase_personal_data", _("Can erase a contributor's name and area on request")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["comment", "proposal"]), name="contribution_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "hidden"]),
                name="contribution_status_valid",
            ),
            models.CheckConstraint(condition=Q(consent=True), name="contribution_consent_given"),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""),
                name="contribution_hidden_has_reason",
                violation_error_message=_("Give a reason for hiding the contribution."),
            ),
            *coordinate_constraints("contribution", "latitude", "longitude", required=False),
        ]
        indexes = [models.Index(fields=["round", "status", "-created_at"])]

    def __str__(self):
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else f"{text[:59]}…"

    def get_absolute_url(self):
        return f"{self.round.get_absolute_url()}#bidrag-{self.pk}"

    @property
    def signature(self) -> str:
        return ", ".join(part for part in (self.name, self.area) if part)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_placed(self) -> bool:
        return self.has_point or bool(self.place_name)


class Response(models.Model):
    """A public answer to a contribution, "Svar från kommunen"."""

    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("contribution"),
    )
    text = models.TextField(_("answer"), help_text=_("Markdown. Shown publicly."))
    signed = models.CharField(
        _("signed"),
        max_length=150,
        help_text=_("Who answers, e.g. “Huddinge kommun, planenheten”."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_demo = models.BooleanField(_("example content"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.signed}: {self.text[:50]}"

    def get_absolute_url(self):
        return self.contribution.get_absolute_url()


class PendingContribution(Contribution):
    """The moderation queue in the admin: contributions awaiting a curator."""

    class Meta:
        proxy = True
        verbose_name = _("contribution awaiting moderation")
        verbose_name_plural = _("contributions awaiting moderation")


class ModerationNotice(models.Model):
    """When curators were last told that contributions are waiting (one row). Kept in the
    database so several servers and the cron command agree on "at most once an hour"."""

    sent_at = models.DateTimeField(_("sent"))
    pending = models.PositiveIntegerField(_("waiting"), default=0)

    class Meta:
        verbose_name = _("moderation notice")
        verbose_name_plural = _("moderation notices")

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d %H:%M}"


# Abuse limits kept in the database --------------------------------------------------------------
#
# Rate limits and once-only support live here rather than in the cache, so they hold with the
# cache down and cannot be raced: every check-and-write for one client address runs in one
# transaction that first locks that address's AddressThrottle row (dialogue.services). Client
# addresses and browser tokens are stored only as keyed hashes (HMAC with SECRET_KEY), never as
# they are: personal data the portal has no need to keep. ``manage.py prune_dialogue`` (also
# run by ``notify_moderators``) deletes what is no longer needed.


class AddressThrottle(models.Model):
    """One row per recently seen client address, locked while its posts or support are
    checked and counted, so parallel requests from one address queue up instead of all
    passing the check before any of them is counted."""

    address_hash = models.CharField(_("address (keyed hash)"), max_length=64, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("address throttle")
        verbose_name_plural = _("address throttles")

    def __str__(self):
        return self.address_hash[:12]


class PostEvent(models.Model):
    """A contribution posted from an address (its keyed hash): the rate limit counts these
    within DIALOGUE_RATE_WINDOW. Older events are pruned."""

    address_hash = models.CharField(_("address (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("post event")
        verbose_name_plural = _("post events")
        indexes = [models.Index(fields=["address_hash", "created_at"], name="dialogue_post_addr")]

    def __str__(self):
        return f"{self.address_hash[:12]} {self.created_at:%Y-%m-%d %H:%M}"


class UsedFormStamp(models.Model):
    """The nonce of a form time stamp that a stored contribution used: a stamp is good for
    one post. Kept as long as the stamp itself is valid (dialogue.forms.FORM_MAX_AGE)."""

    nonce = models.CharField(_("nonce"), max_length=64, primary_key=True)
    used_at = models.DateTimeField(_("used"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("used form stamp")
        verbose_name_plural = _("used form stamps")

    def __str__(self):
        return self.nonce


class Support(models.Model):
    """One browser's support for one proposal (``Contribution.support_count`` counts these).

    Once per proposal per browser (the unique constraint, on a keyed hash of the browser's
    signed random cookie), and at most DIALOGUE_SUPPORT_PER_ADDRESS_DAY per proposal per
    address in 24 hours (the address hash is blanked once that day is over)."""

    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("contribution"),
    )
    browser_hash = models.CharField(_("browser (keyed hash)"), max_length=64)
    address_hash = models.CharField(_("address (keyed hash)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("supported"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "browser_hash"], name="support_once_per_browser"
            )
        ]
        indexes = [
            models.Index(
                fields=["contribution", "address_hash", "created_at"], name="dialogue_support_addr"
            ),
            models.Index(fields=["browser_hash"], name="dialogue_support_browser"),
        ]

    def __str__(self):
        return f"{self.contribution_id} {self.created_at:%Y-%m-%d %H:%M}"
