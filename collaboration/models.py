"""Who works in the programme: actors, the collaboration group, contacts and grants."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sodertorn.history import History
from sodertorn.uploads import IMAGE_EXTENSIONS, extension_of, random_name
from testbeds.models import Municipality, Testbed


class Sector(models.TextChoices):
    ACADEMIA = "academia", _("Academia")
    BUSINESS = "business", _("Business")
    PUBLIC = "public", _("Public sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    FUNDER = "funder", _("Funder")


SECTOR_ORDER = {value: index for index, value in enumerate(Sector.values)}


def sector_order():
    """An expression ordering rows by the sector order above (not alphabetically)."""
    return models.Case(
        *(models.When(sector=value, then=index) for value, index in SECTOR_ORDER.items()),
        default=len(SECTOR_ORDER),
        output_field=models.IntegerField(),
    )


def logo_path(instance, filename):
    """A random name (never the uploaded one) with the extension of the checked image."""
    extension = extension_of(filename)
    return random_name("collaboration/logos", extension if extension in IMAGE_EXTENSIONS else "png")


class ActorQuerySet(models.QuerySet):
    def in_sector_order(self):
        return self.alias(_sector_order=sector_order()).order_by("_sector_order", "name")


class Actor(models.Model):
    Sector = Sector

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    description = models.TextField(_("short description"), max_length=1500, blank=True)
    website = models.URLField(_("website"), blank=True)
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actor",
        verbose_name=_("municipality"),
        help_text=_("Only when the actor is one of the municipalities."),
    )
    # The logo as uploaded (checked, turned upright, EXIF removed) and its renditions
    # (sodertorn.renditions: thumb/card/large, WebP and a fallback, with their sizes), set by
    # services.set_logo. Pages read sizes from here, never from the files.
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    logo_renditions = models.JSONField(
        _("logo renditions"), default=dict, blank=True, editable=False
    )
    logo_is_demo = models.BooleanField(
        _("placeholder logo"),
        default=False,
        help_text=_("The logo is a drawn placeholder, not the actor's own."),
    )
    is_demo = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Invented demo content; public pages label it 'Example'."),
    )

    objects = ActorQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="actor_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(sector=Sector.PUBLIC),
                name="actor_municipality_is_public_sector",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("collaboration:actor", kwargs={"slug": self.slug})

    def clean(self):
        if self.municipality_id and self.sector != Sector.PUBLIC:
            raise ValidationError(
                {"sector": _("An actor that is a municipality belongs to the public sector.")}
            )

    @property
    def logo_label(self):
        """For includes/demo_label.html: a placeholder logo is example content."""
        return {"is_demo": self.logo_is_demo}


class CollaborationGroup(models.Model):
    """The programme's collaboration group. There is one; the admin edits its texts."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    working_method = models.TextField(_("how it works"), blank=True)
    is_demo = models.BooleanField(_("example content"), default=False)

    history = History()

    class Meta:
        verbose_name = _("collaboration group")
        verbose_name_plural = _("collaboration group")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="collaboration_group_single")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("collaboration:group")


class SeatRole(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("seat in the collaboration group", "Chair")
    MEMBER = "member", pgettext_lazy("seat in the collaboration group", "Member")


class Seat(models.Model):
    """A member actor of the collaboration group, with its representative."""

    Role = SeatRole

    group = models.ForeignKey(
        CollaborationGroup, on_delete=models.CASCADE, related_name="seats", verbose_name=_("group")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="seats", verbose_name=_("actor")
    )
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    representative_title = models.CharField(_("representative's title"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=SeatRole, default=SeatRole.MEMBER)
    is_demo = models.BooleanField(_("example content"), default=False)

    history = History()

    class Meta:
        verbose_name = _("seat in the collaboration group")
        verbose_name_plural = _("seats in the collaboration group")
        ordering = ["role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "actor"], name="seat_one_per_actor"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(role="chair"), name="seat_one_chair"
            ),
            models.CheckConstraint(condition=Q(role__in=SeatRole.values), name="seat_role_valid"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"

    def get_absolute_url(self):
        return reverse("collaboration:group") + "#ledamoter"


class MeetingQuerySet(models.QuerySet):
    def with_relations(self):
        return self.prefetch_related(
            models.Prefetch("actors_present", queryset=Actor.objects.only("name", "slug")),
            models.Prefetch(
                "testbeds_discussed", queryset=Testbed.objects.published().only("title", "slug")
            ),
        )


class Meeting(models.Model):
    group = models.ForeignKey(
        CollaborationGroup,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("group"),
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    actors_present = models.ManyToManyField(
        Actor, related_name="meetings", blank=True, verbose_name=_("actors present")
    )
    testbeds_discussed = models.ManyToManyField(
        Testbed,
        related_name="collaboration_meetings",
        blank=True,
        verbose_name=_("testbeds discussed"),
    )
    is_demo = models.BooleanField(_("example content"), default=False)

    objects = MeetingQuerySet.as_manager()

    history = History(m2m_fields=["actors_present", "testbeds_discussed"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("collaboration:group") + f"#mote-{self.pk}"


class SystemSolution(models.Model):
    """A solution the collaboration group adopted for use across the programme."""

    group = models.ForeignKey(
        CollaborationGroup,
        on_delete=models.CASCADE,
        related_name="system_solutions",
        verbose_name=_("group"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_solutions",
        verbose_name=_("adopted at meeting"),
    )
    testbeds = models.ManyToManyField(
        Testbed, related_name="system_solutions", blank=True, verbose_name=_("testbeds")
    )
    # The idea groups a solution came from are linked on the idea group's side
    # (IdeaGroup.system_solutions, reverse name ``idea_groups``): this app knows no idea groups.
    is_demo = models.BooleanField(_("example content"), default=False)

    history = History(m2m_fields=["testbeds"])

    class Meta:
        verbose_name = _("system solution")
        verbose_name_plural = _("system solutions")
        ordering = ["-adopted_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collaboration:group") + f"#losning-{self.slug}"


class ContactPerson(models.Model):
    """Whom a planner calls about a testbed."""

    testbed = models.ForeignKey(
        Testbed, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("testbed")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    actor = models.ForeignKey(
        Actor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("actor"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_demo = models.BooleanField(_("example content"), default=False)

    history = History()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["testbed", "order", "name"]

    def __str__(self):
        return f"{self.name}, {self.role}"

    def get_absolute_url(self):
        return self.testbed.get_absolute_url() + "#kontakt"

    @property
    def email_parts(self):
        """(user, domain) for the harvest-resistant rendering; empty when no address."""
        if not self.email or "@" not in self.email:
            return None
        user, _at, domain = self.email.rpartition("@")
        return {
            "user": user,
            "domain": domain,
            "user_reversed": user[::-1],
            "domain_reversed": domain[::-1],
        }


class GrantKind(models.TextChoices):
    PROGRAMME = "programme", _("The programme's own funding")
    SISTER = "sister", _("Sister project")


class DatePrecision(models.TextChoices):
    """How exactly the source record gives a grant's period (pages show no more than that)."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


HTTPS_ONLY = URLValidator(
    schemes=["https"], message=_("Enter an address that starts with https://.")
)


class GrantQuerySet(models.QuerySet):
    def for_actor(self, actor):
        return self.filter(Q(funder=actor) | Q(coordinator=actor))

    def with_relations(self):
        """What a grant's card shows, in a constant number of queries for any number of
        grants: funder and coordinator joined, testbeds (published only), municipalities and
        areas prefetched."""
        from indicators.models import Area

        return self.select_related("funder", "coordinator").prefetch_related(
            models.Prefetch(
                "testbeds",
                queryset=Testbed.objects.published().only("title", "slug").order_by("title"),
                to_attr="published_testbeds",
            ),
            models.Prefetch(
                "municipalities",
                queryset=Municipality.objects.defer("boundary").order_by("name"),
            ),
            models.Prefetch("areas", queryset=Area.objects.light().order_by("area_name")),
        )

    def for_municipality(self, municipality):
        """Grants that concern the municipality or one of its areas (distinct)."""
        ids = self.filter(
            Q(municipalities=municipality)
            | Q(areas__municipality=municipality)
            | Q(areas__parent__municipality=municipality)
        ).values("pk")
        return self.filter(pk__in=ids)

    def for_area(self, area):
        """Grants that concern the area, or the programme municipality it is or lies in."""
        municipality_id = area.municipality_id or (
            area.parent.municipality_id if area.parent_id else None
        )
        condition = Q(areas=area)
        if municipality_id:
            condition |= Q(municipalities=municipality_id)
        return self.filter(pk__in=self.filter(condition).values("pk"))


class Grant(models.Model):
    """A grant or project record: the programme's own funding and its sister projects, as
    the funder's public record describes them (a link to it in ``source_url``)."""

    Kind = GrantKind
    Precision = DatePrecision

    kind = models.CharField(
        _("kind"), max_length=20, choices=GrantKind, default=GrantKind.PROGRAMME
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Made from the reference number or the title when left empty."),
    )
    funder = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="grants_funded",
        limit_choices_to={"sector": Sector.FUNDER},
        verbose_name=_("funder"),
    )
    coordinator = models.ForeignKey(
        Actor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grants_coordinated",
        verbose_name=_("coordinator"),
        help_text=_("The actor, when the coordinator is one of the portal's actors."),
    )
    coordinator_name = models.CharField(
        _("coordinator as the record names it"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the department or office; shown instead of the actor's name."),
    )
    title = models.CharField(_("title"), max_length=200)
    amount_sek = models.PositiveBigIntegerField(
        _("amount (SEK)"), validators=[MinValueValidator(1)]
    )
    reference = models.CharField(
        _("reference number"),
        max_length=50,
        blank=True,
        help_text=_("The funder's reference (diarienummer); empty when the record has none."),
    )
    call = models.CharField(_("call"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the dates"),
        max_length=10,
        choices=DatePrecision,
        default=DatePrecision.MONTH,
        help_text=_("How exactly the source record gives the period; pages show no more."),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Purpose, method and results, in Markdown.")
    )
    source_name = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the facts come from, e.g. Vinnova's project database."),
    )
    source_url = models.URLField(
        _("source record"),
        max_length=500,
        blank=True,
        validators=[HTTPS_ONLY],
        help_text=_("The funder's public record of the grant (https)."),
    )
    testbeds = models.ManyToManyField(
        Testbed,
        related_name="grants",
        blank=True,
        verbose_name=_("testbeds it paid for"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="grants",
        blank=True,
        verbose_name=_("municipalities it concerns"),
    )
    areas = models.ManyToManyField(
        "indicators.Area",
        related_name="grants",
        blank=True,
        verbose_name=_("areas it concerns"),
        help_text=_("Districts or small areas, when the record names them."),
    )
    is_demo = models.BooleanField(_("example content"), default=False)

    objects = GrantQuerySet.as_manager()

    history = History(m2m_fields=["testbeds", "municipalities", "areas"])

    class Meta:
        # context: in Swedish a grant (anslag) is not a dialogue contribution (bidrag)
        verbose_name = pgettext_lazy("funding", "grant")
        verbose_name_plural = pgettext_lazy("funding", "grants")
        ordering = ["start_date", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_sek__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="grant_end_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="grant_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__startswith="https://"),
                name="grant_source_url_https",
            ),
            models.CheckConstraint(condition=Q(kind__in=GrantKind.values), name="grant_kind_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="grant_date_precision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("about:programme") + f"#projekt-{self.slug}"

    @property
    def coordinator_label(self) -> str:
        if self.coordinator_name:
            return self.coordinator_name
        return self.coordinator.name if self.coordinator_id else ""

    @property
    def date_format(self) -> str:
        """The date filter's format for this grant's precision."""
        return {"day": "j F Y", "month": "F Y", "year": "Y"}[self.date_precision]

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.funder_id and self.funder.sector != Sector.FUNDER:
            errors["funder"] = _("Choose an actor whose sector is Funder.")
        if errors:
            raise ValidationError(errors)


def unique_slug(grant: Grant) -> str:
    base = slugify(grant.reference or grant.title)[:190] or "anslag"
    slug, n = base, 2
    others = Grant.objects.using(grant._state.db or "default").exclude(pk=grant.pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
