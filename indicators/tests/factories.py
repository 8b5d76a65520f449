"""Factories for the indicators app (issue 6)."""

from decimal import Decimal

import factory

from sodertorn.cache import content_changed
from testbeds.tests.factories import MunicipalityFactory


class AreaFactory(factory.django.DjangoModelFactory):
    """An area with its own identity (a district unless told otherwise)."""

    class Meta:
        model = "indicators.Area"
        django_get_or_create = ("own_code",)

    kind = "district"
    own_code = factory.Sequence(lambda n: f"omr-{n}")
    own_name = factory.Sequence(lambda n: f"Område {n}")


def municipality_area(municipality=None, **municipality_kwargs):
    """The area of a programme municipality (created with the municipality if not given)."""
    from indicators.models import Area

    municipality = municipality or MunicipalityFactory(**municipality_kwargs)
    area, _created = Area.objects.get_or_create(
        municipality=municipality, defaults={"kind": Area.Kind.MUNICIPALITY}
    )
    return area


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Indicator"
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"indikator-{n}")
    name = factory.Sequence(lambda n: f"Indikator {n}")
    dimension = "social"
    unit = "%"
    decimals = 1
    direction = "higher"

    @factory.post_generation
    def testbeds(self, create, extracted, **kwargs):
        if create and extracted:
            self.testbeds.set(extracted)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Observation"

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(AreaFactory)
    year = 2016
    gender = "T"
    value = Decimal("10.0")


def bulk_areas(count: int, *, kind: str = "district", parent=None, start: int = 0) -> list:
    """Many areas quickly (for query-count tests)."""
    from indicators.models import Area

    areas = Area.objects.bulk_create(
        Area(
            kind=kind,
            own_code=f"mass-{start + i}",
            own_name=f"Massområde {start + i}",
            parent=parent,
            own_boundary={
                "type": "Polygon",
                "coordinates": [
                    [[17.9, 59.2], [17.91, 59.2], [17.91, 59.21], [17.9, 59.21], [17.9, 59.2]]
                ],
            },
        )
        for i in range(count)
    )
    content_changed()
    return areas


def bulk_observations(indicators, areas, years, *, genders=("T",), value=None) -> list:
    """One observation per indicator, area, year and gender; value(i, area, year) or i."""
    from indicators.models import Observation

    rows = []
    for indicator in indicators:
        for position, area in enumerate(areas):
            for year in years:
                for gender in genders:
                    number = value(position, area, year) if value else position + year % 100
                    rows.append(
                        Observation(
                            indicator=indicator,
                            area=area,
                            year=year,
                            gender=gender,
                            value=Decimal(str(number)),
                        )
                    )
    made = Observation.objects.bulk_create(rows, batch_size=2000)
    content_changed()
    return made


# The goal tracker ----------------------------------------------------------------------------


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Body"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Nämnd {n}")
    kind = "committee"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Programme"
        django_get_or_create = ("slug",)

    name = "Program för en sammanhållen stad 2015–2020"
    slug = factory.Sequence(lambda n: f"program-{n}")
    period_start = 2015
    period_end = 2020
    area = factory.SubFactory(
        AreaFactory, kind="municipality", own_code="0180", own_name="Stockholm"
    )
    follow_up = factory.SubFactory(BodyFactory, name="Kommunstyrelsen", kind="board")


class GoalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.GoalArea"

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Målområde {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Goal"
        skip_postgeneration_save = True

    goal_area = factory.SubFactory(GoalAreaFactory)
    number = factory.Sequence(lambda n: f"{n}.1")
    text = factory.Sequence(lambda n: f"Mål {n} ska nås.")
    direction = "decrease"
    baseline_year = 2012
    follow_up = factory.LazyAttribute(lambda goal: goal.goal_area.programme.follow_up)

    @factory.post_generation
    def indicators(self, create, extracted, **kwargs):
        if create and extracted:
            self.indicators.set(extracted)

    @factory.post_generation
    def bodies(self, create, extracted, **kwargs):
        """bodies=[lead, second, …]: responsibilities in that order."""
        from indicators.models import Responsibility

        if create and extracted:
            Responsibility.objects.bulk_create(
                Responsibility(goal=self, body=body, position=index)
                for index, body in enumerate(extracted, start=1)
            )


def square_boundary(lon: float, lat: float, size: float = 0.01) -> dict:
    """A square GeoJSON Polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def small_area(parent, code: str, name: str, *, lon=17.94, lat=59.21, size=0.02, **kwargs):
    """A small area (approximate boundary) inside ``parent``, a municipality's area."""
    from indicators.models import Area

    return Area.objects.create(
        kind=Area.Kind.SMALL_AREA,
        own_code=code,
        own_name=name,
        own_boundary=square_boundary(lon, lat, size),
        approximate_boundary=kwargs.pop("approximate_boundary", True),
        parent=parent,
        **kwargs,
    )
