"""Competence matching: the ranking rules (pure Python) and the reads behind the pages."""

import datetime

import pytest

from collaboration.tests.factories import ActorFactory
from competences import selectors
from competences.models import Competence
from competences.services import match, name_key, rank
from competences.tests.factories import CompetenceFactory, has, needs
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory
from testbeds.models import Testbed
from testbeds.tests.factories import TestbedFactory

# Pure ranking rules: unsaved objects with a primary key, no database --------------------------


def competence(pk, name):
    return Competence(pk=pk, name=name, slug=f"k{pk}")


GIS, LAW, MOBILITY, ENERGY = (
    competence(1, "GIS"),
    competence(2, "Planjuridik"),
    competence(3, "Mobilitet"),
    competence(4, "Energisystem"),
)


class Candidate:
    def __init__(self, name, pk=None):
        self.name, self.pk = name, pk

    def __str__(self):
        return self.name

    def __repr__(self):
        return self.name


def names(matches):
    return [str(m.candidate) for m in matches]


def test_full_coverage_ranks_above_partial_whatever_the_name():
    needs_ = [GIS, LAW]
    ranked = match(
        needs_,
        [(Candidate("Aaa delvis"), [GIS]), (Candidate("Zzz allt"), [GIS, LAW, MOBILITY])],
    )
    assert names(ranked) == ["Zzz allt", "Aaa delvis"]
    assert ranked[0].is_full and not ranked[1].is_full


def test_fewer_uncovered_needs_rank_first_then_name():
    needs_ = [GIS, LAW, MOBILITY, ENERGY]
    ranked = match(
        needs_,
        [
            (Candidate("Bertil"), [GIS]),  # three uncovered
            (Candidate("Cecilia"), [GIS, LAW, MOBILITY]),  # one uncovered
            (Candidate("Adam"), [LAW]),  # three uncovered
            (Candidate("David"), [LAW, ENERGY]),  # two uncovered
        ],
    )
    assert names(ranked) == ["Cecilia", "David", "Adam", "Bertil"]
    assert [len(m.uncovered) for m in ranked] == [1, 2, 3, 3]


def test_each_match_says_which_needs_are_covered_and_which_remain():
    (result,) = match([MOBILITY, GIS, LAW], [(Candidate("WSP"), [MOBILITY, GIS, ENERGY])])
    assert result.covered == (GIS, MOBILITY)  # name order; ENERGY was not needed
    assert result.uncovered == (LAW,)
    assert result.needs == (GIS, MOBILITY, LAW)


def test_candidates_covering_nothing_are_left_out():
    candidates = [(Candidate("Ingen"), [LAW]), (Candidate("Tom"), []), (Candidate("Ja"), [GIS])]
    ranked = match([GIS], candidates)
    assert names(ranked) == ["Ja"]
    assert match([], [(Candidate("Någon"), [GIS])]) == []


def test_names_sort_in_swedish_alphabet_order_case_insensitively():
    ranked = match(
        [GIS],
        [(Candidate(name), [GIS]) for name in ["Ödeshög", "Ängby", "Åby", "zeta", "Alfa", "beta"]],
    )
    assert names(ranked) == ["Alfa", "beta", "zeta", "Åby", "Ängby", "Ödeshög"]
    assert name_key("Å") < name_key("Ä") < name_key("Ö")


def test_duplicate_needs_and_holdings_count_once():
    (result,) = match([GIS, GIS, LAW], [(Candidate("A"), [GIS, GIS])])
    assert result.covered == (GIS,) and result.uncovered == (LAW,)


def test_rank_takes_each_candidates_own_needs():
    """The actor page: testbeds ranked by how far one actor's competences cover each."""
    actor_has = [GIS, MOBILITY]
    ranked = rank(
        [
            (Candidate("Stor bädd"), [GIS, MOBILITY, LAW, ENERGY], actor_has),  # two uncovered
            (Candidate("Liten bädd"), [GIS], actor_has),  # full
            (Candidate("Mellan"), [GIS, LAW], actor_has),  # one uncovered
            (Candidate("Annan"), [LAW], actor_has),  # nothing covered
        ]
    )
    assert names(ranked) == ["Liten bädd", "Mellan", "Stor bädd"]


def test_chosen_competences_rank_testbeds_covering_more_of_them_first():
    """Issue 15: on /kompetens/, a testbed needing both chosen competences comes before one
    needing only one of them, even when that one needs nothing else (it is "full")."""
    chosen = [GIS, MOBILITY]
    offers = [
        (Candidate("Aaa en"), [GIS], chosen),  # full, one of the chosen
        (Candidate("Bbb båda"), [GIS, MOBILITY, LAW, ENERGY], chosen),  # both, two uncovered
        (Candidate("Ccc båda"), [GIS, MOBILITY, LAW], chosen),  # both, one uncovered
        (Candidate("Ddd båda"), [GIS, MOBILITY], chosen),  # both, full
        (Candidate("Eee en"), [MOBILITY, LAW], chosen),  # one, one uncovered
    ]
    ranked = rank(offers, most_covered_first=True)
    assert names(ranked) == ["Ddd båda", "Ccc båda", "Bbb båda", "Aaa en", "Eee en"]
    assert [len(m.covered) for m in ranked] == [2, 2, 2, 1, 1]
    # Without the choice (the actor page) full coverage still comes first.
    assert names(rank(offers))[:2] == ["Aaa en", "Ddd båda"]


def test_same_names_keep_a_stable_order_by_key():
    ranked = match([GIS], [(Candidate("Samma", pk=2), [GIS]), (Candidate("Samma", pk=1), [GIS])])
    assert [m.candidate.pk for m in ranked] == [1, 2]


# With the database ----------------------------------------------------------------------------


def suggestions_for(testbed):
    """A fresh instance each time: the suggestions are read once per loaded testbed."""
    return selectors.testbed_suggestions(Testbed.objects.get(pk=testbed.pk))


@pytest.fixture
def world(db):
    gis = CompetenceFactory(name="GIS", slug="gis")
    law = CompetenceFactory(name="Planjuridik", slug="planjuridik")
    mobility = CompetenceFactory(name="Mobilitet", slug="mobilitet")
    energy = CompetenceFactory(name="Energisystem", slug="energisystem")
    testbed = TestbedFactory(title="Stationsområdet", slug="station")
    needs(testbed, gis, law, mobility)
    wsp = ActorFactory(name="WSP", slug="wsp")
    has(wsp, gis, mobility, energy)
    kth = ActorFactory(name="KTH", slug="kth")
    has(kth, energy)
    kommun = ActorFactory(name="Huddinge kommun", slug="huddinge-kommun", sector="public")
    has(kommun, law, gis, mobility)
    group = IdeaGroupFactory(name="Idégruppen", slug="idegruppen", testbeds=[testbed])
    member = MembershipFactory(group=group).user
    has(member, law)
    other = MembershipFactory(group=group).user
    has(other, gis)
    return {
        "gis": gis,
        "law": law,
        "mobility": mobility,
        "energy": energy,
        "testbed": testbed,
        "wsp": wsp,
        "kth": kth,
        "kommun": kommun,
        "group": group,
        "member": member,
        "other": other,
    }


def test_testbed_suggestions_rank_actors_and_idea_groups(world):
    testbed = world["testbed"]
    suggestions = selectors.testbed_suggestions(testbed)
    assert [c.slug for c in suggestions.competences] == ["gis", "mobilitet", "planjuridik"]
    actors = suggestions.holders.actors
    assert [m.candidate for m in actors] == [world["kommun"], world["wsp"]]  # KTH covers none
    assert actors[1].uncovered == (world["law"],)
    (group,) = suggestions.holders.idea_groups
    # the group has the union of its active members' competences
    assert group.candidate == world["group"]
    assert group.covered == (world["gis"], world["law"])
    assert group.uncovered == (world["mobility"],)


def test_members_who_left_or_groups_not_public_do_not_count(world):
    group, other = world["group"], world["other"]
    membership = other.idea_group_memberships.get()
    membership.left = datetime.date(2016, 1, 1)
    membership.save()
    (match_,) = suggestions_for(world["testbed"]).holders.idea_groups
    assert match_.covered == (world["law"],)  # only the active member's competence
    group.published = False
    group.save()
    assert suggestions_for(world["testbed"]).holders.idea_groups == []


def test_inactive_accounts_do_not_count(world):
    for user in (world["member"], world["other"]):
        user.is_active = False
        user.save()
    assert suggestions_for(world["testbed"]).holders.idea_groups == []


def test_actor_suggestions_list_published_testbeds_that_need_what_it_has(world):
    hidden = TestbedFactory(title="Dold", slug="dold", published=False)
    needs(hidden, world["energy"])
    small = TestbedFactory(title="Energibädd", slug="energi")
    needs(small, world["energy"])
    suggestions = selectors.actor_suggestions(world["wsp"])
    assert [c.slug for c in suggestions.competences] == ["energisystem", "gis", "mobilitet"]
    assert [m.candidate.slug for m in suggestions.testbeds] == ["energi", "station"]
    assert suggestions.testbeds[1].uncovered == (world["law"],)
    assert selectors.actor_suggestions(ActorFactory()).testbeds == []


def test_find_gives_both_sides(world):
    finding = selectors.find([world["gis"], world["mobility"]])
    assert [m.candidate.slug for m in finding.testbeds] == ["station"]
    assert finding.testbeds[0].uncovered == (world["law"],)
    assert [m.candidate.slug for m in finding.holders.actors] == ["huddinge-kommun", "wsp"]
    assert [m.candidate.slug for m in finding.holders.idea_groups] == ["idegruppen"]
    assert finding.holders.idea_groups[0].uncovered == (world["mobility"],)


def test_example_flag_follows_the_demo_links(world):
    assert not suggestions_for(world["testbed"]).example
    world["wsp"].competence_links.filter(competence=world["gis"]).update(is_demo=True)
    assert suggestions_for(world["testbed"]).example
    assert selectors.actor_suggestions(world["wsp"]).example
    assert not selectors.actor_suggestions(world["kommun"]).example
