"""Factories for the idea groups."""

import datetime

import factory

from collaboration.tests.factories import ActorFactory
from sodertorn.cache import content_changed
from sodertorn.tests.factories import MemberUserFactory


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
