"""Reads shared by the public pages, the member pages and the testbed page section."""

from django.db.models import Count, Prefetch, Q

from sodertorn.content_language import translation_paths as names
from testbeds.models import Testbed

from .models import IdeaGroup, Membership, WorkEntry


def published_work():
    """Published work entries with what their cards show (group and author names)."""
    return WorkEntry.objects.published().select_related("group").defer("text")


def testbed_idea_groups_prefetch(latest: int | None = None) -> Prefetch:
    """For the testbed page: its public idea groups, each with its published work."""
    return Prefetch(
        "idea_groups",
        queryset=IdeaGroup.objects.public()
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "work_entries",
                queryset=WorkEntry.objects.filter(status=WorkEntry.Status.PUBLISHED)
                .defer("text")
                .order_by("-date", "-id"),
                to_attr="published_work",
            )
        ),
        to_attr="public_idea_groups",
    )


def member_actors_prefetch(to_attr: str = "active_memberships") -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.active()
        .select_related("actor")
        .only("group_id", "actor__name", "actor__slug", "actor__sector", "role")
        .order_by("actor__name"),
        to_attr=to_attr,
    )


def public_groups():
    return (
        IdeaGroup.objects.public()
        .select_related("theme")
        .prefetch_related(
            Prefetch("testbeds", queryset=Testbed.objects.published().only("title", "slug")),
            member_actors_prefetch(),
        )
    )


def organisations(memberships) -> list:
    """The distinct actors of a list of memberships, in name order."""
    seen = {}
    for membership in memberships:
        seen.setdefault(membership.actor_id, membership.actor)
    return sorted(seen.values(), key=lambda actor: actor.name)


def actor_idea_groups(actor):
    """For the actor page: the public idea groups the actor's people are members of."""
    return (
        IdeaGroup.objects.public()
        .filter(pk__in=actor.memberships.values("group"))
        .prefetch_related(
            Prefetch("testbeds", queryset=Testbed.objects.published().only("title", "slug"))
        )
        .order_by("name")
    )


def actor_section_context(actor) -> dict:
    return {"idea_groups": actor_idea_groups(actor)}


def actor_testbeds_q(actor) -> Q:
    """Testbeds an actor works on through a public idea group it has members in."""
    return Q(idea_groups__memberships__actor=actor, idea_groups__published=True)


def solution_idea_groups_prefetch() -> Prefetch:
    """For the collaboration page: each system solution's public idea groups."""
    return Prefetch("idea_groups", queryset=IdeaGroup.objects.public().only("name", "slug"))


def public_memberships():
    """Active memberships in public idea groups, each with its group's name, slug and demo flag
    (the competences pages list the groups whose members have a competence)."""
    return (
        Membership.objects.active()
        .filter(group__in=IdeaGroup.objects.public())
        .select_related("group")
        .only("user_id", *names("group__name"), "group__slug", "group__is_demo")
    )


def public_groups_of(user):
    """The public idea groups the user is an active member of, by name."""
    return (
        IdeaGroup.objects.public()
        .filter(pk__in=Membership.objects.active().filter(user=user).values("group_id"))
        .only("name", "slug")
        .order_by("name")
    )


def public_group_counts() -> dict:
    """How many public idea groups there are, in all and by focus (one query)."""
    counts = IdeaGroup.objects.public().aggregate(
        total=Count("pk"),
        testbed=Count("pk", filter=Q(focus=IdeaGroup.Focus.TESTBED)),
        theme=Count("pk", filter=Q(focus=IdeaGroup.Focus.THEME)),
    )
    return counts
