"""Competence pages: /kompetens/, the testbed and actor page sections, the member form, the
admin, query counts and the demo data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from collaboration.tests.factories import ActorFactory
from competences.forms import MAX_PICKS
from competences.models import ActorCompetence, Competence, MemberCompetence, Need
from competences.tests.factories import (
    CompetenceFactory,
    bulk_actors,
    bulk_competences,
    bulk_people,
    has,
    needs,
)
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory
from sodertorn.tests.factories import CuratorFactory, MemberUserFactory
from testbeds.tests.factories import TestbedFactory
from tests.admin_forms import in_admin_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    gis = CompetenceFactory(name="GIS", slug="gis", description="Kartor och rumslig analys.")
    law = CompetenceFactory(name="Planjuridik", slug="planjuridik")
    mobility = CompetenceFactory(name="Mobilitet", slug="mobilitet")
    testbed = TestbedFactory(title="Stationsområdet", slug="station")
    needs(testbed, gis, law)
    hidden = TestbedFactory(title="Hemlig bädd", slug="hemlig", published=False)
    needs(hidden, gis)
    wsp = ActorFactory(name="WSP", slug="wsp")
    has(wsp, gis, mobility)
    kommun = ActorFactory(name="Huddinge kommun", slug="huddinge-kommun", sector="public")
    has(kommun, gis, law)
    group = IdeaGroupFactory(name="Idégruppen", slug="idegruppen", testbeds=[testbed])
    membership = MembershipFactory(group=group)
    has(membership.user, law)
    secret_group = IdeaGroupFactory(name="Opublicerad grupp", slug="opublicerad", published=False)
    has(MembershipFactory(group=secret_group).user, gis)
    return {
        "gis": gis,
        "law": law,
        "mobility": mobility,
        "testbed": testbed,
        "wsp": wsp,
        "kommun": kommun,
        "group": group,
        "member": membership.user,
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def match_names(html: str, heading: str) -> list[str]:
    """The linked names of the ranked list after a heading, in order."""
    import re

    part = html.split(heading, 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<p class="match-title"><a href="[^"]+">([^<]+)</a>', part)


# /kompetens/ ----------------------------------------------------------------------------------


def test_index_offers_every_competence_as_a_labelled_checkbox(client, world):
    response = client.get("/kompetens/")
    assert response.status_code == 200
    html = response.text
    assert "<fieldset" in html and "<legend>" in html
    for competence in Competence.objects.all():
        assert f'value="{competence.slug}"' in html
    assert 'aria-describedby="id_competence_0_description"' not in html or (
        "Kartor och rumslig analys." in html
    )
    assert "Kartor och rumslig analys." in html
    assert 'class="match-list"' not in html  # nothing picked, nothing matched


def test_index_finds_both_sides_ranked(client, world):
    html = client.get("/kompetens/?competence=gis&competence=planjuridik").text
    assert 'value="gis" id="id_competence_0" checked' in html or 'value="gis"' in html
    assert match_names(html, 'id="testbeds-heading"') == ["Stationsområdet"]  # not the hidden
    # Huddinge kommun has both, WSP only GIS
    assert match_names(html, 'id="actors-heading"') == ["Huddinge kommun", "WSP"]
    # the unpublished group's member is not counted
    assert match_names(html, 'id="groups-heading"') == ["Idégruppen"]
    assert "Hemlig bädd" not in html and "Opublicerad grupp" not in html


def test_index_ranks_testbeds_needing_more_of_the_picks_first(client, world):
    """Issue 15: a testbed needing one of two picks (and nothing else) came before the ones
    needing both."""
    one = TestbedFactory(title="Aaa bara GIS", slug="bara-gis")
    needs(one, world["gis"])
    both = TestbedFactory(title="Öbädd med båda", slug="bada")
    needs(both, world["gis"], world["mobility"], CompetenceFactory(name="Energisystem"))
    html = client.get("/kompetens/?competence=gis&competence=mobilitet").text
    assert match_names(html, 'id="testbeds-heading"') == [
        "Öbädd med båda",
        "Aaa bara GIS",
        "Stationsområdet",  # GIS of the two, and planjuridik uncovered
    ]


def test_index_ranks_the_demo_testbeds_needing_both_picks_first(client, no_page_cache):
    """The issue's own case, with the demo data: Hallunda and Flemingsberg need both GIS and
    medborgardialog and come before every testbed needing only one of them."""
    call_command("load_demo", stdout=StringIO())
    gis, dialogue = (Competence.objects.get(slug=s) for s in ("gis", "medborgardialog"))
    html = client.get("/kompetens/?competence=gis&competence=medborgardialog").text
    ranked = match_names(html, 'id="testbeds-heading"')
    both = {
        need.testbed.title
        for need in Need.objects.filter(competence=gis, testbed__published=True)
        if need.testbed.competence_needs.filter(competence=dialogue).exists()
    }
    assert len(both) >= 2 and any("Hallunda" in t for t in both)
    assert any("Flemingsberg" in t for t in both)
    assert set(ranked[: len(both)]) == both
    assert len(ranked) > len(both)


def test_index_in_english(client, world):
    response = client.get("/en/kompetens/?competence=gis")
    assert response.status_code == 200
    assert "Actors who have them" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "competence=finns-inte",
        "competence=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "competence=a%00b",
        "competence=" + "x" * 5000,
        "competence=",
    ],
)
def test_invalid_picks_give_a_clear_message_not_an_error(client, world, query):
    response = client.get(f"/kompetens/?{query}")
    assert response.status_code == 200
    html = response.text
    if query != "competence=":
        assert 'role="alert"' in html
        assert "is not a competence in the list" in html or "finns inte i listan" in html
    assert "<script>alert(1)" not in html


def test_valid_picks_still_match_when_another_is_invalid(client, world):
    html = client.get("/kompetens/?competence=gis&competence=finns-inte").text
    assert 'role="alert"' in html
    assert match_names(html, 'id="actors-heading"') == ["Huddinge kommun", "WSP"]


def test_too_many_picks_are_refused_with_a_message(client, world):
    query = "&".join(f"competence=k{i}" for i in range(MAX_PICKS + 1))
    response = client.get(f"/kompetens/?{query}")
    assert response.status_code == 200
    assert 'role="alert"' in response.text


# Testbed and actor pages ----------------------------------------------------------------------


def test_testbed_page_suggests_actors_and_idea_groups(client, world):
    html = client.get("/testbaddar/station/").text
    assert 'id="kompetens"' in html
    section = html.split('id="kompetens"', 1)[1]
    actors = section.split("<h3>", 3)[2]
    assert actors.index("Huddinge kommun") < actors.index("WSP")
    assert "?competence=gis&amp;competence=planjuridik" in section  # all matches on /kompetens/
    # WSP covers GIS, not Planjuridik: both are said
    wsp = section.split("WSP", 1)[1].split("</li>", 1)[0]
    assert "GIS" in wsp and "Planjuridik" in wsp
    assert "Idégruppen" in section and "Opublicerad grupp" not in section


def test_testbed_without_needs_has_no_competence_section(client, world):
    TestbedFactory(slug="utan")
    assert 'id="kompetens"' not in client.get("/testbaddar/utan/").text


def test_actor_page_suggests_published_testbeds_that_need_what_it_has(client, world):
    html = client.get("/aktorer/huddinge-kommun/").text
    section = html.split('id="kompetens"', 1)[1].split("</section>", 1)[0]
    assert "GIS" in section and "Planjuridik" in section
    assert "Stationsområdet" in section and "Hemlig bädd" not in section


def test_actor_without_competences_says_so(client, world):
    ActorFactory(slug="tom", name="Tom aktör")
    html = client.get("/aktorer/tom/").text
    assert 'id="kompetens"' in html and 'class="match-list"' not in html


def test_demo_links_are_labelled_as_examples(client, world):
    Need.objects.filter(testbed=world["testbed"]).update(is_demo=True)
    html = client.get("/testbaddar/station/").text.split('id="kompetens"', 1)[1]
    assert "notice-example" in html


# Query counts ---------------------------------------------------------------------------------


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_testbed_page_queries_do_not_grow_with_competences_and_actors(client, world, no_page_cache):
    url = "/testbaddar/station/"
    few = count_queries(client, url)
    many = bulk_competences(100)
    needs(world["testbed"], *many)
    bulk_actors(200, many[:5] + [world["gis"]])
    people = bulk_people(30, many[5:10])
    for person in people:
        MembershipFactory(user=person, group=IdeaGroupFactory(), actor=world["wsp"])
    html = client.get(url).text
    assert "Massaktör 0000" in html  # the new rows are on the page
    assert count_queries(client, url) == few


def test_actor_page_queries_do_not_grow_with_competences_and_testbeds(client, world, no_page_cache):
    url = "/aktorer/wsp/"
    few = count_queries(client, url)
    many = bulk_competences(100)
    has(world["wsp"], *many[:50])
    for i in range(20):
        needs(TestbedFactory(slug=f"extra-{i}"), *many[i * 5 : i * 5 + 5])
    assert count_queries(client, url) == few


def test_index_queries_do_not_grow_with_rows(client, world, no_page_cache):
    url = "/kompetens/?competence=gis&competence=planjuridik"
    few = count_queries(client, url)
    many = bulk_competences(100)
    bulk_actors(200, [world["gis"], *many[:3]])
    for i in range(20):
        needs(TestbedFactory(slug=f"extra-{i}"), world["gis"], *many[i : i + 3])
    people = bulk_people(30, [world["law"]])
    for person in people:
        MembershipFactory(user=person, group=IdeaGroupFactory(), actor=world["wsp"])
    assert count_queries(client, url) == few


# The member's own competences -----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get("/kompetens/mina/")
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    response = client.post("/kompetens/mina/", {"competences": ["gis"]})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert (
        not MemberCompetence.objects.filter(competence=world["gis"])
        .exclude(user__idea_group_memberships__group__slug="opublicerad")
        .exists()
    )


def test_member_sees_and_changes_their_own_competences(client, world):
    member = world["member"]
    client.force_login(member)
    html = client.get("/kompetens/mina/").text
    assert 'value="planjuridik"' in html and "checked" in html
    assert "Idégruppen" in html  # where the competences count
    response = client.post("/kompetens/mina/", {"competences": ["gis", "mobilitet"]})
    assert response.status_code == 302
    assert set(member.competences.values_list("slug", flat=True)) == {"gis", "mobilitet"}
    assert not MemberCompetence.objects.filter(user=member, is_demo=True).exists()
    response = client.post("/kompetens/mina/", {})  # untick everything
    assert response.status_code == 302 and not member.competences.exists()


def test_member_cannot_change_another_persons_competences(client, world):
    other = world["member"]
    intruder = MemberUserFactory()
    client.force_login(intruder)
    response = client.post(
        "/kompetens/mina/",
        {"competences": ["gis"], "user": other.pk, "user_id": other.pk},
    )
    assert response.status_code == 302
    assert list(other.competences.values_list("slug", flat=True)) == ["planjuridik"]
    assert list(intruder.competences.values_list("slug", flat=True)) == ["gis"]


def test_member_form_rejects_unknown_competences_and_keeps_the_old_ones(client, world):
    member = world["member"]
    client.force_login(member)
    response = client.post("/kompetens/mina/", {"competences": ["gis", "finns-inte"]})
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert list(member.competences.values_list("slug", flat=True)) == ["planjuridik"]


def test_member_form_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["member"])
    response = client.post("/kompetens/mina/", {"competences": ["gis"]})
    assert response.status_code == 403
    assert list(world["member"].competences.values_list("slug", flat=True)) == ["planjuridik"]


def test_my_pages_link_to_the_competence_form(client, world):
    client.force_login(world["member"])
    assert 'href="/kompetens/mina/"' in client.get("/mina-sidor/").text


def test_a_members_change_shows_at_once_on_the_cached_testbed_page(client, world):
    member = world["member"]
    anonymous = Client()
    before = anonymous.get("/testbaddar/station/").text.split('id="kompetens"', 1)[1]
    group_item = before.split("Idégruppen", 1)[1].split("</li>", 1)[0]
    assert "Needs not covered" in group_item or "Behov som inte täcks" in group_item
    client.force_login(member)
    client.post("/kompetens/mina/", {"competences": ["gis", "planjuridik"]})
    after = anonymous.get("/testbaddar/station/").text.split('id="kompetens"', 1)[1]
    group_item = after.split("Idégruppen", 1)[1].split("</li>", 1)[0]
    assert "tag-full" in group_item


# Admin ----------------------------------------------------------------------------------------


def test_curators_edit_the_vocabulary_and_links_in_the_admin(admin_client, world):
    response = admin_client.get("/admin/competences/competence/?q=gis")
    assert response.status_code == 200 and "GIS" in response.text
    response = admin_client.get("/admin/competences/competence/add/")
    assert response.status_code == 200 and "prepopulated" in response.text
    response = admin_client.get(f"/admin/competences/competence/{world['gis'].pk}/change/")
    assert response.status_code == 200
    for formset in ("needs", "actor_links", "member_links"):  # the inlines
        assert f'name="{formset}-TOTAL_FORMS"' in response.text


def test_curator_adds_needs_and_holders_on_the_competence_page(admin_client, world):
    competence = world["mobility"]
    data = in_admin_names(
        Competence, {"name": "Mobilitet", "slug": "mobilitet", "description": "Resor."}
    )
    for name in ("needs", "actor_links", "member_links"):  # the inline formsets
        data |= {f"{name}-TOTAL_FORMS": "1", f"{name}-INITIAL_FORMS": "0"}
    data |= {
        "needs-0-testbed": world["testbed"].pk,
        "actor_links-0-actor": world["kommun"].pk,
        "member_links-0-user": world["member"].pk,
    }
    response = admin_client.post(f"/admin/competences/competence/{competence.pk}/change/", data)
    assert response.status_code == 302
    assert world["testbed"] in competence.needed_by.all()
    assert world["kommun"] in competence.actors.all()
    assert world["member"] in competence.people.all()


def test_the_curator_role_may_keep_competences_and_members_may_not(client, world):
    client.force_login(CuratorFactory())
    assert client.get("/admin/competences/competence/").status_code == 200
    response = client.get(f"/admin/competences/competence/{world['gis'].pk}/change/")
    assert response.status_code == 200 and 'name="needs-TOTAL_FORMS"' in response.text
    client.force_login(world["member"])
    response = client.get("/admin/competences/competence/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Demo data ------------------------------------------------------------------------------------


def snapshot():
    return {
        "competences": sorted(Competence.objects.values_list("slug", "name", "is_demo")),
        "needs": sorted(Need.objects.values_list("testbed__slug", "competence__slug", "is_demo")),
        "actors": sorted(
            ActorCompetence.objects.values_list("actor__slug", "competence__slug", "is_demo")
        ),
        "members": sorted(
            MemberCompetence.objects.values_list("user__username", "competence__slug", "is_demo")
        ),
    }


def test_demo_data_is_idempotent_and_marked(settings):
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    assert len(first["competences"]) >= 12
    assert {"GIS", "Ekosystemtjänster", "Social konsekvensanalys"} <= {
        name for _slug, name, _demo in first["competences"]
    }
    assert first["needs"] and first["actors"] and first["members"]
    assert all(is_demo for *_rest, is_demo in first["needs"] + first["actors"] + first["members"])


def test_sitemap_lists_the_competence_page(client, sitemap_text):
    text = sitemap_text()
    assert "/kompetens/</loc>" in text and "/en/kompetens/</loc>" in text


# One match's HTML as the included template wrote it before {% match_item %} (the Python tag
# in competences/templatetags/competences.py) replaced it: the same bytes are expected.
MATCH_TEMPLATE = """{% load content i18n %}{% comment %}
One ranked match. Parameters: match (services.Match), status (show the testbed status).
{% endcomment %}<li class="match">
  <p class="match-title"><a href="{{ match.candidate.get_absolute_url }}"{% lang_attr match.candidate %}>{{ match.candidate }}</a>{% include "includes/demo_label.html" with item=match.candidate %}
    {% if match.is_full %}<span class="tag tag-full">{% translate "Covers every need" %}</span>{% else %}<span class="tag">{% blocktranslate count total=match.needs|length with covered=match.covered|length trimmed %}Covers {{ covered }} of {{ total }} need{% plural %}Covers {{ covered }} of {{ total }} needs{% endblocktranslate %}</span>{% endif %}</p>
  <dl class="match-needs">
    <dt>{% translate "Needs covered" %}</dt><dd>{% for competence in match.covered %}{% lang_span competence "name" %}{% if not forloop.last %}, {% endif %}{% endfor %}</dd>
    {% if match.uncovered %}<dt>{% translate "Needs not covered" %}</dt><dd>{% for competence in match.uncovered %}{% lang_span competence "name" %}{% if not forloop.last %}, {% endif %}{% endfor %}</dd>{% endif %}
  </dl>
</li>
"""  # noqa: E501


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_match_is_written_as_the_template_wrote_it(world, language):
    from django.template import engines
    from django.utils import translation

    from competences import selectors
    from sodertorn.templatetags.content import MARKED

    world["wsp"].is_demo = True
    world["wsp"].save()
    world["law"].name_en = "Planning law"
    world["law"].save()
    template = engines["django"].from_string(MATCH_TEMPLATE)
    fast = engines["django"].from_string("{% load competences %}{% match_item match %}")
    rendered = []
    with translation.override(language):
        suggestions = selectors.testbed_suggestions(world["testbed"])
        matches = [*suggestions.holders.actors, *suggestions.holders.idea_groups]
        assert {m.is_full for m in matches} == {True, False}  # both kinds of coverage line
        for match in matches:
            marked_old, marked_new = set(), set()
            old = template.render({"match": match, MARKED: marked_old})
            new = fast.render({"match": match, MARKED: marked_new})
            assert new == old
            assert marked_new == marked_old
            rendered.append(new)
    assert any('class="tag tag-demo"' in html for html in rendered)
