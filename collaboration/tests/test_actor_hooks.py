"""The actor and collaboration pages are fed by kernel hooks (issue 13)."""

import pytest
from django.db.models import Q

from collaboration import sections
from collaboration.tests.factories import ActorFactory
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory
from sodertorn import hooks
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db


# Actor and collaboration pages fed by hooks -------------------------------------------------------


def test_the_actor_and_collaboration_sections_come_from_hooks():
    assert [s.template for s in sections.actor_sections()] == [
        "ideagroups/_actor_section.html",
        "competences/_actor_section.html",
    ]
    assert [p.template for p in sections.solution_parts()] == ["ideagroups/_solution_part.html"]
    assert [fn.__module__ for fn in hooks.get_hooks("actor_testbeds")] == ["ideagroups.hooks"]
    # collaboration keeps no registry of its own
    assert not hasattr(sections, "register_actor_section")


def test_an_app_adds_a_section_and_testbeds_to_the_actor_page_through_hooks(
    client, settings, monkeypatch
):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], "tests/templates"]}
    ]
    actor = ActorFactory(name="Planterad aktör", slug="planterad")
    TestbedFactory(title="Utan koppling")

    def actor_sections():
        return [
            {
                "template": "tests/_actor_section.html",
                "context": lambda actor: {"planted_word": "Inplanterad"},
                "order": 1,
            }
        ]

    def actor_testbeds(actor):
        return Q(title="Utan koppling")

    monkeypatch.setitem(hooks._hooks, "actor_sections", [*hooks._hooks["actor_sections"]])
    monkeypatch.setitem(hooks._hooks, "actor_testbeds", [*hooks._hooks["actor_testbeds"]])
    hooks.register("actor_sections", actor_sections)
    hooks.register("actor_testbeds", actor_testbeds)
    response = client.get(actor.get_absolute_url())
    assert '<section class="test-actor-section">Inplanterad Planterad aktör</section>' in (
        response.text
    )
    assert [t.title for t in response.context["testbeds"]] == ["Utan koppling"]
    html = response.text
    # the planted section comes first (order 1), the idea groups' and competences' after it
    assert html.index("test-actor-section") < html.index('id="groups-heading"')
    assert html.index('id="groups-heading"') < html.index('id="competences-heading"')


def test_the_actor_page_lists_testbeds_of_the_actors_idea_groups_through_the_hook(client):
    actor = ActorFactory(slug="medlemmar")
    testbed = TestbedFactory(title="Via idégrupp")
    MembershipFactory(group=IdeaGroupFactory(testbeds=[testbed]), actor=actor)
    response = client.get(actor.get_absolute_url())
    assert [t.title for t in response.context["testbeds"]] == ["Via idégrupp"]
    assert [g.name for g in response.context["idea_groups"]]
