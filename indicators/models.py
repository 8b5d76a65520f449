"""Sustainability indicators: areas, indicators and their yearly observations.

Municipalities have one source of truth, ``testbeds.Municipality``. An :class:`Area` of kind
municipality that belongs to the programme points at its Municipality row and stores no name,
code or boundary of its own; its ``name``, ``code`` and ``boundary`` properties read the
municipality's. Areas without a Municipality row (Stockholm as a comparison municipality, city
districts, small areas) keep their own in ``own_name``, ``own_code`` and ``own_boundary``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sodertorn.geo import bounds, validate_area
from sodertorn.history import History


def format_number(value) -> str:
    """A Decimal without trailing zeros or exponent, e.g. 100 for 100.0000, −3 for -3."""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace("-", "\u2212")


MIN_YEAR, MAX_YEAR = 1900, 2100
# Area and indicator codes appear in URLs (/omraden/<code>/, /indikatorer/<code>/).
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
CODE_VALIDATOR = RegexValidator(
    CODE_PATTERN,
    _("Use letters a–z, digits, hyphens and underscores, starting with a letter or digit."),
)
KOLADA_KPI_VALIDATOR = RegexValidator(
    r"^[A-Z][0-9]{5}$", _("A Kolada KPI id is a capital letter and five digits, e.g. N00914.")
)
# Paths under /indikatorer/ that an indicator code must not shadow.
RESERVED_INDICATOR_CODES = {"data"}


class AreaKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("City district")
    SMALL_AREA = "small_area", _("Small area")


class Dimension(models.TextChoices):
    SOCIAL = "social", _("Social")
    ECOLOGICAL = "ecological", _("Ecological")
    ECONOMIC = "economic", _("Economic")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")
    NEITHER = "neither", _("Neither higher nor lower is better")


class Gender(models.TextChoices):
    """Kolada's gender split: T (total), K (kvinnor, women), M (män, men)."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class AreaQuerySet(models.QuerySet):
    def with_identity(self):
        """Areas with their municipality joined, and `area_code`/`area_name` annotations
        (the municipality's for linked areas, the area's own otherwise) to filter and sort on."""
        return self.select_related("municipality", "parent__municipality").annotate(
            area_code=Coalesce(NullIf(F("own_code"), Value("")), F("municipality__code")),
            area_name=Coalesce(NullIf(F("own_name"), Value("")), F("municipality__name")),
        )

    def light(self):
        """Without the (large) boundaries: for lists, tables and charts."""
        return self.with_identity().defer(
            "own_boundary",
            "municipality__boundary",
            "parent__own_boundary",
            "parent__municipality__boundary",
        )

    def by_code(self, code: str):
        return self.with_identity().filter(area_code=code)

    def within(self, area_id: int):
        """The area and the areas inside it (three levels down)."""
        return self.filter(
            Q(pk=area_id)
            | Q(parent_id=area_id)
            | Q(parent__parent_id=area_id)
            | Q(parent__parent__parent_id=area_id)
        )

    def code_map(self) -> dict[str, int]:
        """{code: area id} for every area, in one query (for imports)."""
        return {
            code: pk for pk, code in self.with_identity().values_list("pk", "area_code") if code
        }


class Area(models.Model):
    Kind = AreaKind

    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind)
    municipality = models.OneToOneField(
        "testbeds.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_area",
        verbose_name=_("programme municipality"),
        help_text=_(
            "For the programme's municipalities: name, code and boundary are then taken from "
            "the municipality and the three fields below stay empty."
        ),
    )
    own_code = models.CharField(
        _("code"),
        max_length=30,
        blank=True,
        validators=[CODE_VALIDATOR],
        help_text=_(
            "Only for areas without a programme municipality, e.g. 0180 for Stockholm or "
            "0180-tensta for a district. Used in imports and in the page address."
        ),
    )
    own_name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Only for areas without a programme municipality."),
    )
    own_boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        validators=[validate_area],
        help_text=_(
            "GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude; only for areas "
            "without a programme municipality."
        ),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent area"),
    )
    # Stockholm's programme for a cohesive city (seed 004) names the districts whose social
    # risk index lies above the city average; pages mark them with a sign and a word.
    prioritised = models.BooleanField(
        _("prioritised"),
        default=False,
        help_text=_(
            "A district the programme for a cohesive city names as above the city's average "
            "social risk; marked on maps, tables and the goal tracker."
        ),
    )
    approximate_boundary = models.BooleanField(
        _("approximate boundary"),
        default=False,
        help_text=_(
            "The boundary is drawn by hand, not an official border; public pages say so "
            "wherever it is drawn or listed."
        ),
    )

    # The own boundary's bounding box, kept by save(): a testbed's areas are looked up by
    # point in SQL, and only the few boundaries whose box holds the point are read and
    # decoded (indicators.selectors.areas_of_testbed), whatever the number of areas.
    bbox_south = models.FloatField(null=True, editable=False)
    bbox_west = models.FloatField(null=True, editable=False)
    bbox_north = models.FloatField(null=True, editable=False)
    bbox_east = models.FloatField(null=True, editable=False)

    objects = AreaQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "own_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["own_code"], condition=~Q(own_code=""), name="area_own_code_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=AreaKind.values), name="area_kind_valid"),
            # A programme municipality carries its own identity; other areas need one here.
            models.CheckConstraint(
                condition=(
                    Q(
                        municipality__isnull=False,
                        kind=AreaKind.MUNICIPALITY,
                        own_code="",
                        own_name="",
                        own_boundary__isnull=True,
                    )
                    | (Q(municipality__isnull=True) & ~Q(own_code="") & ~Q(own_name=""))
                ),
                name="area_identity_from_municipality_or_own",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="area_not_own_parent",
            ),
        ]

    def __str__(self):
        return self.name or str(_("(unnamed area)"))

    BBOX_FIELDS = ("bbox_south", "bbox_west", "bbox_north", "bbox_east")

    def save(self, *args, update_fields=None, **kwargs):
        box = bounds(self.own_boundary) or (None, None, None, None)
        for name, value in zip(self.BBOX_FIELDS, box, strict=True):
            setattr(self, name, value)
        if update_fields is not None and "own_boundary" in update_fields:
            update_fields = {*update_fields, *self.BBOX_FIELDS}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("indicators:area_detail", kwargs={"code": self.code})

    @property
    def name(self) -> str:
        if self.municipality_id:
            return self.municipality.name
        return self.own_name

    @property
    def code(self) -> str:
        if self.municipality_id:
            return self.municipality.code
        return self.own_code

    @property
    def boundary(self):
        if self.municipality_id:
            return self.municipality.boundary
        return self.own_boundary

    @property
    def in_programme(self) -> bool:
        """One of the programme's municipalities, or an area inside one."""
        if self.municipality_id:
            return True
        return bool(self.parent_id and self.parent.municipality_id)

    def clean(self):
        errors = {}
        if self.municipality_id:
            if self.kind != AreaKind.MUNICIPALITY:
                errors["kind"] = _("An area linked to a programme municipality is a municipality.")
            for field in ("own_code", "own_name"):
                if getattr(self, field):
                    errors[field] = _(
                        "Leave this empty: the programme municipality gives the name, code "
                        "and boundary."
                    )
            if self.own_boundary:
                errors["own_boundary"] = _(
                    "Leave this empty: the programme municipality gives the name, code and "
                    "boundary."
                )
        else:
            if not self.own_code:
                errors["own_code"] = _("Give the area a code (or choose a programme municipality).")
            if not self.own_name:
                errors["own_name"] = _("Give the area a name (or choose a programme municipality).")
            if self.own_code:
                from testbeds.models import Municipality

                if Municipality.objects.filter(code=self.own_code).exists():
                    errors["own_code"] = _(
                        "This is a programme municipality's code: choose the municipality instead."
                    )
        if self.kind == AreaKind.SMALL_AREA and not self.parent_id:
            errors["parent"] = _("A small area needs the municipality it lies in.")
        elif self.kind == AreaKind.SMALL_AREA and self.parent.kind != AreaKind.MUNICIPALITY:
            errors["parent"] = _("A small area lies in a municipality: choose one.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An area cannot be its own parent.")
        elif self.parent_id and self.pk:
            seen, ancestor = {self.pk}, self.parent
            while ancestor is not None:
                if ancestor.pk in seen:
                    errors["parent"] = _("The parent areas would form a loop.")
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        if errors:
            raise ValidationError(errors)


class IndicatorQuerySet(models.QuerySet):
    def with_example_flag(self):
        """Annotate `has_example_data`: does any observation carry invented values?"""
        return self.annotate(
            has_example_data=models.Exists(
                Observation.objects.filter(indicator=models.OuterRef("pk"), is_example=True)
            )
        )


class Indicator(models.Model):
    Dimension = Dimension
    Direction = Direction

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_(
            "Short identifier used in imports and in the page address, e.g. forvarvsfrekvens."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension)
    unit = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        help_text=_("For example %, index or m² per resident."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"), default=1, validators=[MaxValueValidator(4)]
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.NEITHER
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    method = models.TextField(_("method"), blank=True)
    responsible_body = models.CharField(_("responsible body"), max_length=200, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    # The values an observation can take (e.g. 0 and 100 for a share in per cent, 0 and none for
    # a count). Imports and the observation form refuse values outside; empty: no bound.
    min_value = models.DecimalField(
        _("lowest valid value"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Values below are refused, e.g. 0 for counts and shares. Empty: no bound."),
    )
    max_value = models.DecimalField(
        _("highest valid value"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Values above are refused, e.g. 100 for a share in per cent. Empty: no bound."),
    )
    kolada_kpi = models.CharField(
        _("Kolada KPI id"),
        max_length=10,
        blank=True,
        validators=[KOLADA_KPI_VALIDATOR],
        help_text=_("Lets Kolada data files (kpi field) be imported for this indicator."),
    )
    # An indicator defined for one place only (Stockholm's social risk index: the city and its
    # districts, city = 100) refuses observations of areas outside it.
    area_scope = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scoped_indicators",
        verbose_name=_("only for"),
        help_text=_(
            "Only this area and the areas inside it may have values, e.g. Stockholm for an "
            "index of Stockholm's districts. Empty: any area."
        ),
    )
    # The testbeds' effect pages (indicators/effect.py) choose the places most like a
    # testbed's on these indicators before it started, and follow them after the start.
    used_for_similarity = models.BooleanField(
        _("used to find similar areas"),
        default=False,
        help_text=_(
            "The effect pages of the testbeds compare a testbed's small areas with the small "
            "areas most like them on these indicators before the testbed started, and show "
            "these indicators after the start. Choose a few with values for every small area."
        ),
    )
    themes = models.ManyToManyField(
        "testbeds.Theme", blank=True, related_name="indicators", verbose_name=_("themes")
    )
    testbeds = models.ManyToManyField(
        "testbeds.Testbed", blank=True, related_name="indicators", verbose_name=_("testbeds")
    )

    objects = IndicatorQuerySet.as_manager()

    history = History(m2m_fields=["themes", "testbeds"])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["dimension", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kolada_kpi"], condition=~Q(kolada_kpi=""), name="indicator_kolada_unique"
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="indicator_dimension_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True, target_year__isnull=True)
                | Q(target_value__isnull=False, target_year__isnull=False),
                name="indicator_target_value_and_year_together",
            ),
            models.CheckConstraint(
                condition=Q(decimals__lte=4), name="indicator_decimals_at_most_4"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="indicator_min_value_at_most_max_value",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", kwargs={"code": self.code})

    def clean(self):
        errors = {}
        if self.code and self.code.lower() in RESERVED_INDICATOR_CODES:
            errors["code"] = _("This code is reserved for the data downloads; choose another.")
        if (self.target_value is None) != (self.target_year is None):
            field = "target_year" if self.target_year is None else "target_value"
            errors[field] = _("Give both the target value and its year, or neither.")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = _("The highest valid value is below the lowest.")
        elif self.target_value is not None and not self.in_range(self.target_value):
            errors["target_value"] = _(
                "The target value is outside the valid range (%(range)s)."
            ) % {"range": self.range_label}
        if self.pk and "max_value" not in errors and self.has_range:
            outside = self.observations.exclude(self.range_q()).order_by("year")
            count = outside.count()
            if count:
                first = outside.select_related("area__municipality").first()
                errors["min_value" if self.min_value is not None else "max_value"] = _(
                    "%(count)d stored observation(s) lie outside this range, e.g. %(value)s for "
                    "%(area)s in %(year)d: correct them first."
                ) % {
                    "count": count,
                    "value": format_number(first.value),
                    "area": first.area,
                    "year": first.year,
                }
        if self.pk and self.area_scope_id:
            outside = self.observations.exclude(
                area__in=Area.objects.within(self.area_scope_id).values("pk")
            )
            count = outside.count()
            if count:
                first = outside.select_related("area__municipality").order_by("year").first()
                errors["area_scope"] = _(
                    "%(count)d stored observation(s) belong to areas outside %(scope)s, e.g. "
                    "%(area)s: remove them first."
                ) % {"count": count, "scope": self.area_scope, "area": first.area}
        if errors:
            raise ValidationError(errors)

    def scope_problem(self, area_id: int, parents: dict[int, int | None]) -> str:
        """Why an observation of ``area_id`` is refused ("" when the scope allows it);
        ``parents`` maps area ids to their parent's id."""
        if not self.area_scope_id:
            return ""
        seen, current = set(), area_id
        while current is not None and current not in seen:
            if current == self.area_scope_id:
                return ""
            seen.add(current)
            current = parents.get(current)
        return _("“%(indicator)s” is only for %(scope)s and the areas inside it.") % {
            "indicator": self.name,
            "scope": self.area_scope,
        }

    @property
    def has_target(self) -> bool:
        return self.target_value is not None and self.target_year is not None

    @property
    def has_range(self) -> bool:
        return self.min_value is not None or self.max_value is not None

    def in_range(self, value) -> bool:
        if self.min_value is not None and value < self.min_value:
            return False
        return self.max_value is None or value <= self.max_value

    def range_q(self, prefix: str = "") -> Q:
        """Observations (or ``prefix``-related ones) whose value is inside the range."""
        q = Q()
        if self.min_value is not None:
            q &= Q(**{f"{prefix}value__gte": self.min_value})
        if self.max_value is not None:
            q &= Q(**{f"{prefix}value__lte": self.max_value})
        return q

    @property
    def range_label(self) -> str:
        """The valid range in words, e.g. "0–100 %", "at least 0 invånare"."""
        unit = f" {self.unit}" if self.unit else ""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return f"{format_number(low)}–{format_number(high)}{unit}"
        if low is not None:
            return _("at least %(value)s") % {"value": format_number(low) + unit}
        if high is not None:
            return _("at most %(value)s") % {"value": format_number(high) + unit}
        return _("any value")

    def range_problem(self, value) -> str:
        """Why ``value`` is refused, or "" when it is inside the range."""
        if self.in_range(value):
            return ""
        return _("%(value)s%(unit)s is outside the valid range of “%(indicator)s” (%(range)s).") % {
            "value": format_number(value),
            "unit": f" {self.unit}" if self.unit else "",
            "indicator": self.name,
            "range": self.range_label,
        }


class Observation(models.Model):
    Gender = Gender

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("indicator"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="observations", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, default=Gender.TOTAL)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Invented demonstration value; public pages say so."),
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "area", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year", "gender"],
                name="observation_unique_indicator_area_year_gender",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="observation_year_range"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="observation_gender_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "gender", "year"], name="observation_ind_gender_year"
            ),
            models.Index(fields=["area", "indicator"], name="observation_area_indicator"),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.area} · {self.year} ({self.gender})"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def clean(self):
        errors = {}
        if self.indicator_id and self.value is not None:
            problem = self.indicator.range_problem(self.value)
            if problem:
                errors["value"] = problem
        if self.indicator_id and self.area_id and self.indicator.area_scope_id:
            parents = dict(
                Area.objects.within(self.indicator.area_scope_id).values_list("pk", "parent_id")
            )
            problem = self.indicator.scope_problem(self.area_id, parents)
            if problem:
                errors["area"] = problem
        if errors:
            raise ValidationError(errors)


# The goal tracker (issue 17, item 3): Stockholm's programme for a cohesive city 2015–2020
# (seed 004) as goal areas -> numbered goals -> the indicators that follow them -> the
# committees and companies responsible, in the programme's order (the first leads) -> the body
# that follows up. The judgements are computed (indicators/goals.py), never stored.


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    COMPANY = "company", _("Company")
    DISTRICT_COUNCIL = "district_council", _("District council")
    BOARD = "board", _("Executive board")
    OFFICE = "office", _("Office")


class GoalDirection(models.TextChoices):
    INCREASE = "increase", _("should increase")
    DECREASE = "decrease", _("should decrease")
    AT_LEAST = "at_least", _("target: at least")
    AT_MOST = "at_most", _("target: at most")
    NONE = "none", _("no measurable direction")


class Body(models.Model):
    """A committee (nämnd), company (bolag), district council or board of the city."""

    Kind = BodyKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind)
    prioritised = models.BooleanField(
        _("prioritised"),
        default=False,
        help_text=_("A district council the programme names as prioritised."),
    )
    areas = models.ManyToManyField(
        Area,
        blank=True,
        related_name="bodies",
        verbose_name=_("areas"),
        help_text=_("For a district council: the districts in its area that the programme names."),
    )

    class Meta:
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BodyKind.values), name="body_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicators:goal_list") + f"#body-{self.pk}"


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    period_start = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("area"),
        help_text=_("Where the programme applies: the goals are judged for it and its districts."),
    )
    follow_up = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="followed_programmes",
        verbose_name=_("followed up by"),
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="programme_end_not_before_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicators:goal_list") + f"#programme-{self.slug}"


class GoalArea(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="goal_areas", verbose_name=_("programme")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("goal area")
        verbose_name_plural = _("goal areas")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="goalarea_unique_name_per_programme"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicators:goal_list") + f"#goal-area-{self.pk}"


class Goal(models.Model):
    Direction = GoalDirection

    goal_area = models.ForeignKey(
        GoalArea, on_delete=models.CASCADE, related_name="goals", verbose_name=_("goal area")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(
        _("heading"),
        max_length=200,
        blank=True,
        help_text=_("The numbered heading the goal stands under, e.g. “1. Samband”."),
    )
    number = models.CharField(_("number"), max_length=10, blank=True, help_text=_("e.g. 1.1"))
    text = models.TextField(_("goal"))
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=GoalDirection,
        default=GoalDirection.NONE,
        help_text=_("What the indicators that follow the goal should do."),
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text=_("The latest value of each area is compared with its value in this year."),
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="goals", verbose_name=_("indicators")
    )
    bodies = models.ManyToManyField(
        Body,
        through="Responsibility",
        related_name="goals",
        verbose_name=_("responsible bodies"),
    )
    follow_up = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="followed_goals",
        verbose_name=_("followed up by"),
    )
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_("An invented goal or target, not in the programme; public pages say so."),
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["goal_area", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=GoalDirection.values), name="goal_direction_valid"
            ),
            # A numeric target has a value and a year; the other directions have neither.
            models.CheckConstraint(
                condition=(
                    Q(
                        direction__in=[GoalDirection.AT_LEAST, GoalDirection.AT_MOST],
                        target_value__isnull=False,
                        target_year__isnull=False,
                    )
                    | (
                        ~Q(direction__in=[GoalDirection.AT_LEAST, GoalDirection.AT_MOST])
                        & Q(target_value__isnull=True, target_year__isnull=True)
                    )
                ),
                name="goal_target_with_target_direction",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.text}".strip()

    def get_absolute_url(self):
        return reverse("indicators:goal_list") + f"#goal-{self.pk}"

    @property
    def has_target(self) -> bool:
        return self.direction in (GoalDirection.AT_LEAST, GoalDirection.AT_MOST)

    def clean(self):
        errors = {}
        if self.has_target:
            if self.target_value is None:
                errors["target_value"] = _("A target needs a value.")
            if self.target_year is None:
                errors["target_year"] = _("A target needs a year.")
        elif self.target_value is not None or self.target_year is not None:
            errors["direction"] = _(
                "Choose “target: at least” or “target: at most” to give a target value and year."
            )
        if errors:
            raise ValidationError(errors)


class Responsibility(models.Model):
    """A body responsible for carrying out a goal; the first (lowest position) leads."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("goal")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("body")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["goal", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "body"], name="responsibility_unique_body"),
        ]

    def __str__(self):
        return f"{self.body} · {self.goal}"
