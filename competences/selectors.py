"""Reads for matching: each function names its own queries, so pages keep a constant count.

Who has a competence:
- an actor, through ActorCompetence (curated in the admin);
- an idea group, through its active members' own declarations (MemberCompetence): a group has
  the union of its active members' competences. Only public idea groups
  (`IdeaGroup.objects.public()`) and active user accounts count.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from ideagroups import selectors as ideagroups_selectors
from sodertorn.content_language import translation_paths as names
from testbeds.models import Testbed

from .models import ActorCompetence, Competence, MemberCompetence, Need
from .services import Match, match, name_key, rank


def holder_prefetches(prefix: str = "") -> list[Prefetch]:
    """Prefetches that load, for competences, the actors and public idea groups having them.

    `prefix` is the path to the competence from the queryset they are applied to, e.g.
    "competence__" on Need rows. Four queries whatever the number of rows.
    """
    return [
        Prefetch(
            f"{prefix}actor_links",
            queryset=ActorCompetence.objects.select_related("actor").only(
                "competence_id",
                "is_demo",
                "actor__name",
                "actor__slug",
                "actor__sector",
                "actor__is_demo",
            ),
        ),
        Prefetch(
            f"{prefix}member_links",
            queryset=MemberCompetence.objects.filter(user__is_active=True)
            .only("competence_id", "user_id", "is_demo")
            .prefetch_related(
                Prefetch("user", queryset=get_user_model().objects.only("pk")),
                Prefetch(
                    "user__idea_group_memberships",
                    queryset=ideagroups_selectors.public_memberships(),
                ),
            ),
        ),
    ]


@dataclass
class Holders:
    """The actors and idea groups having some competences, matched against needs."""

    actors: list[Match] = field(default_factory=list)
    idea_groups: list[Match] = field(default_factory=list)
    example: bool = False  # some link shown is invented demo content


def holders(needs: list[Competence]) -> Holders:
    """Match actors and idea groups against `needs` (competences with holder_prefetches())."""
    actors, actor_has = {}, defaultdict(list)
    groups, group_has = {}, defaultdict(list)
    example = False
    for competence in needs:
        for link in competence.actor_links.all():
            actors[link.actor_id] = link.actor
            actor_has[link.actor_id].append(competence)
            example |= link.is_demo
        for link in competence.member_links.all():
            for membership in link.user.idea_group_memberships.all():
                groups[membership.group_id] = membership.group
                group_has[membership.group_id].append(competence)
                example |= link.is_demo
    return Holders(
        actors=match(needs, ((actors[pk], has) for pk, has in actor_has.items())),
        idea_groups=match(needs, ((groups[pk], has) for pk, has in group_has.items())),
        example=example,
    )


def pick_url(competences) -> str:
    query = urlencode([("competence", competence.slug) for competence in competences])
    return f"{reverse('competences:index')}?{query}"


# The testbed page -------------------------------------------------------------------------------

TESTBED_NEEDS_ATTR = "competence_needs_with_holders"


def testbed_needs_prefetch() -> Prefetch:
    """For the testbed page section: the testbed's needs, each with who has it."""
    return Prefetch(
        "competence_needs",
        queryset=Need.objects.select_related("competence")
        .order_by("competence__name")
        .prefetch_related(*holder_prefetches("competence__")),
        to_attr=TESTBED_NEEDS_ATTR,
    )


@dataclass
class TestbedSuggestions:
    needs: list[Need]
    holders: Holders

    @property
    def competences(self) -> list[Competence]:
        return [need.competence for need in self.needs]

    @property
    def example(self) -> bool:
        return self.holders.example or any(need.is_demo for need in self.needs)

    @property
    def index_url(self) -> str:
        """The /kompetens/ page with the testbed's needs picked: every match."""
        return pick_url(self.competences)


def testbed_suggestions(testbed: Testbed) -> TestbedSuggestions:
    """The actors and idea groups whose competences best cover the testbed's needs."""
    if not hasattr(testbed, TESTBED_NEEDS_ATTR):  # the page prefetches it; others may not
        prefetch_related_objects([testbed], testbed_needs_prefetch())
    needs = sorted(getattr(testbed, TESTBED_NEEDS_ATTR), key=lambda n: name_key(n.competence.name))
    return TestbedSuggestions(needs=needs, holders=holders([need.competence for need in needs]))


# The actor page ---------------------------------------------------------------------------------


def testbeds_needing(competences) -> list[Testbed]:
    """Published testbeds needing any of the competences, each with all its needs
    (`testbed.needs_list`, Need rows with their competence)."""
    if not competences:
        return []
    return list(
        Testbed.objects.published()
        .filter(pk__in=Need.objects.filter(competence__in=competences).values("testbed_id"))
        .only("title", "slug", "status", "is_demo", "published")
        .prefetch_related(
            Prefetch(
                "competence_needs",
                queryset=Need.objects.select_related("competence").only(
                    "testbed_id", "is_demo", *names("competence__name"), "competence__slug"
                ),
                to_attr="needs_list",
            )
        )
    )


def rank_testbeds(
    testbeds: list[Testbed], has: list[Competence], *, most_covered_first: bool = False
) -> list[Match]:
    """Testbeds ranked by how far `has` covers each testbed's own needs (``most_covered_first``:
    by how many of `has` each needs, first; services.rank)."""
    return rank(
        ((testbed, [need.competence for need in testbed.needs_list], has) for testbed in testbeds),
        most_covered_first=most_covered_first,
    )


@dataclass
class ActorSuggestions:
    links: list[ActorCompetence]
    testbeds: list[Match]
    example: bool

    @property
    def competences(self) -> list[Competence]:
        return [link.competence for link in self.links]

    @property
    def index_url(self) -> str:
        return pick_url(self.competences)


def actor_suggestions(actor) -> ActorSuggestions:
    """The actor's competences and the published testbeds that need them (three queries)."""
    links = sorted(
        ActorCompetence.objects.filter(actor=actor).select_related("competence"),
        key=lambda link: name_key(link.competence.name),
    )
    has = [link.competence for link in links]
    testbeds = testbeds_needing(has)
    matches = rank_testbeds(testbeds, has)
    covered = {competence.pk for m in matches for competence in m.covered}
    example = any(link.is_demo for link in links) or any(
        need.is_demo
        for testbed in testbeds
        for need in testbed.needs_list
        if need.competence_id in covered
    )
    return ActorSuggestions(links=links, testbeds=matches, example=example)


# The /kompetens/ page ---------------------------------------------------------------------------


@dataclass
class Finding:
    picks: list[Competence]
    testbeds: list[Match]
    holders: Holders

    @property
    def example(self) -> bool:
        return self.holders.example or any(
            need.is_demo for m in self.testbeds for need in m.candidate.needs_list
        )


def find(picks: list[Competence]) -> Finding:
    """Both sides for picked competences: testbeds needing them (those needing more of the
    picks first), actors and groups having them."""
    picks = list(picks)
    prefetch_related_objects(picks, *holder_prefetches())
    testbeds = rank_testbeds(testbeds_needing(picks), picks, most_covered_first=True)
    return Finding(picks=picks, testbeds=testbeds, holders=holders(picks))
