import datetime
from decimal import Decimal

import factory

from sodertorn.cache import content_changed
from testbeds.models import Municipality, Testbed, Theme


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    # Four digits (a database constraint), away from the real codes (01xx); the sequence runs
    # over the whole session, so it wraps instead of growing a fifth digit.
    code = factory.Sequence(lambda n: f"{1000 + n % 9000:04d}")
    center_latitude = Decimal("59.2")
    center_longitude = Decimal("17.9")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class TestbedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testbed
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Testbädd {n}")
    slug = factory.Sequence(lambda n: f"testbadd-{n}")
    question = "Hur kan stationsområdet bli en levande stadsdel?"
    summary = "En sammanfattning av testbädden."
    status = Testbed.Status.ONGOING
    start_date = datetime.date(2015, 3, 1)
    latitude = Decimal("59.22")
    longitude = Decimal("17.94")
    published = True

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or [MunicipalityFactory()])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


def bulk_testbeds(count: int, municipality, theme=None, start: int = 0) -> list[Testbed]:
    """Many published testbeds quickly (for query-count tests)."""
    testbeds = Testbed.objects.bulk_create(
        Testbed(
            title=f"Massbädd {start + i}",
            slug=f"massbadd-{start + i}",
            question="Fråga?",
            summary="Sammanfattning.",
            status=Testbed.Status.ONGOING,
            start_date=datetime.date(2016, 1, 1),
            latitude=Decimal("59.2") + Decimal(i) / 10000,
            longitude=Decimal("17.9"),
            published=True,
        )
        for i in range(count)
    )
    Through = Testbed.municipalities.through
    Through.objects.bulk_create(
        Through(testbed_id=t.pk, municipality_id=municipality.pk) for t in testbeds
    )
    if theme is not None:
        ThemeThrough = Testbed.themes.through
        ThemeThrough.objects.bulk_create(
            ThemeThrough(testbed_id=t.pk, theme_id=theme.pk) for t in testbeds
        )
    content_changed()  # bulk_create() sends no signals: cached pages must not hide the rows
    return testbeds


# Actors, collaboration and idea groups (collaboration and ideagroups apps) ---------------------


def role_group(name: str):
    """The role groups (sodertorn/roles.py) exist after migrate; make sure anyway."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group

    from sodertorn.roles import ensure_roles

    if not Group.objects.filter(name=name).exists():
        ensure_roles(global_apps)
    return Group.objects.get(name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-password-123")


class MemberUserFactory(UserFactory):
    """A user with the idea-group member role (no membership yet)."""

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            from ideagroups.roles import MEMBER

            self.groups.add(role_group(MEMBER))


class CuratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            from ideagroups.roles import CURATOR

            self.groups.add(role_group(CURATOR))


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "collaboration.Actor"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Aktör {n}")
    slug = factory.Sequence(lambda n: f"aktor-{n}")
    sector = "business"
    description = "En partner i programmet."


class IdeaGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideagroups.IdeaGroup"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Idégrupp {n}")
    slug = factory.Sequence(lambda n: f"idegrupp-{n}")
    description = "Gruppen arbetar med en testbädd."
    focus = "testbed"
    start_date = datetime.date(2015, 1, 1)
    published = True

    @factory.post_generation
    def testbeds(self, create, extracted, **kwargs):
        if create and extracted:
            self.testbeds.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideagroups.Membership"

    user = factory.SubFactory(MemberUserFactory)
    group = factory.SubFactory(IdeaGroupFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "member"
    joined = datetime.date(2015, 1, 1)


class WorkEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideagroups.WorkEntry"

    group = factory.SubFactory(IdeaGroupFactory)
    author = factory.SubFactory(MemberUserFactory)
    kind = "workshop"
    title = factory.Sequence(lambda n: f"Arbete {n}")
    date = datetime.date(2016, 5, 1)
    text = "Vad gruppen gjorde."
    status = "draft"

    @factory.lazy_attribute
    def published_at(self):
        from django.utils import timezone

        return timezone.now() if self.status == "published" else None

    @factory.lazy_attribute
    def curator_comment(self):
        return "Ändra detta." if self.status == "returned" else ""


def bulk_work_entries(count: int, group, author=None, *, status="published", start: int = 0):
    """Many work entries quickly (for query-count tests)."""
    from django.utils import timezone

    from ideagroups.models import WorkEntry

    entries = WorkEntry.objects.bulk_create(
        WorkEntry(
            group=group,
            author=author,
            kind="report",
            title=f"Massarbete {start + i}",
            date=datetime.date(2016, 1, 1) + datetime.timedelta(days=i),
            text="Text.",
            status=status,
            published_at=timezone.now() if status == "published" else None,
            curator_comment="Ändra." if status == "returned" else "",
        )
        for i in range(count)
    )
    content_changed()
    return entries


# Indicators (issue 6) --------------------------------------------------------------------------


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
