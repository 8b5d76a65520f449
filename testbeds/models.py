from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sodertorn.geo import validate_area
from sodertorn.history import History
from sodertorn.publishing import Publishable, PublishableQuerySet

LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


def coordinate_constraints(prefix: str, lat: str, lon: str, *, required: bool) -> list:
    """Database checks: WGS84 ranges, and latitude and longitude given together."""
    constraints = [
        models.CheckConstraint(
            condition=Q(**{f"{lat}__gte": -90, f"{lat}__lte": 90}) | Q(**{f"{lat}__isnull": True}),
            name=f"{prefix}_{lat}_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{lon}__gte": -180, f"{lon}__lte": 180})
            | Q(**{f"{lon}__isnull": True}),
            name=f"{prefix}_{lon}_range",
        ),
    ]
    both_or_none = Q(**{f"{lat}__isnull": False, f"{lon}__isnull": False})
    if not required:
        both_or_none |= Q(**{f"{lat}__isnull": True, f"{lon}__isnull": True})
    constraints.append(
        models.CheckConstraint(condition=both_or_none, name=f"{prefix}_{lat}_{lon}_together")
    )
    return constraints


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the official four-digit code."))],
        help_text=_("Official four-digit municipality code, e.g. 0126 for Huddinge."),
    )
    center_latitude = models.DecimalField(
        _("centre latitude"), max_digits=9, decimal_places=6, validators=LATITUDE_VALIDATORS
    )
    center_longitude = models.DecimalField(
        _("centre longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS
    )
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        validators=[validate_area],
        help_text=_("GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude."),
    )

    history = History()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_4_digits"
            ),
            *coordinate_constraints(
                "municipality", "center_latitude", "center_longitude", required=True
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("testbeds:municipality", kwargs={"slug": self.slug})


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = History()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('testbeds:list')}?theme={self.slug}"


class TestbedQuerySet(PublishableQuerySet):
    # published() and visible_to(): the kernel's rule (sodertorn.publishing), the flag alone.

    def with_relations(self):
        return self.prefetch_related(
            models.Prefetch("municipalities", queryset=Municipality.objects.only("name", "slug")),
            models.Prefetch("themes", queryset=Theme.objects.only("name", "slug")),
        )


class PlanningStage(models.TextChoices):
    """Where the planning of a place stands: the stages of the standard procedure for a
    detailed plan (plan- och bygglagen 5 kap.: planbesked and planuppdrag, an optional
    programme, samråd, granskning, antagande, laga kraft), with the early dialogue before it
    and the follow-up after, in that order. A testbed's plan and a dialogue round both take
    one (dialogue points down to this, the core). The values of the first version (early,
    programme, consultation, review, follow_up) are kept, so stored rows stay valid."""

    EARLY = "early", _("Early dialogue")
    PLAN_START = "plan_start", _("Planning notice and assignment")
    PROGRAMME = "programme", _("Programme")
    CONSULTATION = "consultation", _("Consultation")
    REVIEW = "review", _("Review")
    ADOPTION = "adoption", _("Adoption")
    LEGAL_FORCE = "legal_force", _("Legal force")
    FOLLOW_UP = "follow_up", _("Follow-up")


class TestbedStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Testbed(Publishable):
    Status = TestbedStatus
    PlanStage = PlanningStage

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    question = models.TextField(
        _("question"), help_text=_("The concrete question the testbed explores.")
    )
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("body"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    plan_stage = models.CharField(
        _("plan stage"),
        max_length=20,
        choices=PlanningStage,
        blank=True,
        help_text=_(
            "Where the plan for the testbed's place stands in the planning procedure. "
            "Leave empty if there is no plan."
        ),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="testbeds", verbose_name=_("municipalities")
    )
    themes = models.ManyToManyField(
        Theme, related_name="testbeds", blank=True, verbose_name=_("themes")
    )
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
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
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        validators=[validate_area],
        help_text=_("Optional GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude."),
    )
    cover_image = models.ImageField(
        _("cover image"),
        upload_to="testbeds/covers/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )
    is_demo = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Invented demo content; public pages label it 'Example'."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TestbedQuerySet.as_manager()

    history = History(m2m_fields=["municipalities", "themes"])

    class Meta:
        verbose_name = _("testbed")
        verbose_name_plural = _("testbeds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="testbed_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt=""),
                name="testbed_cover_needs_alt",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TestbedStatus.values), name="testbed_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(plan_stage="") | Q(plan_stage__in=PlanningStage.values),
                name="testbed_plan_stage_valid",
            ),
            *coordinate_constraints("testbed", "latitude", "longitude", required=False),
        ]
        indexes = [
            models.Index(fields=["published", "-created_at"], name="testbed_published_created"),
            models.Index(Lower("title"), name="testbed_title_lower"),
            # The ids of the public testbeds, read by every visibility check that asks "is
            # its testbed published" (search, results, dialogue) without reading the wide
            # rows: an index-only scan where the table is vacuumed.
            models.Index(fields=["id"], condition=Q(published=True), name="testbed_published_ids"),
            # The catalogue's and the home page's default order (TestbedFilter.SORT_ORDER
            # "real"): a page of 12 read from the index, not a sort of every public row
            # (10 ms at 4,500 public testbeds).
            models.Index(
                fields=["is_demo", "-created_at", "-id"],
                condition=Q(published=True),
                name="testbed_catalogue_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("testbeds:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if self.cover_image and not self.cover_alt.strip():
            errors["cover_alt"] = _("An image needs alt text.")
        if errors:
            raise ValidationError(errors)

    def plan_steps(self) -> list[dict]:
        """The stages of the procedure for the page's step list, each with its ``state``:
        "done" before the plan's stage, "current" at it, "upcoming" after it (none without
        a stage). From the row itself: no query."""
        if not self.plan_stage:
            return []
        current = PlanningStage.values.index(self.plan_stage)
        return [
            {
                "value": stage.value,
                "label": stage.label,
                "state": "done"
                if index < current
                else "current"
                if index == current
                else "upcoming",
            }
            for index, stage in enumerate(PlanningStage)
        ]

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None
