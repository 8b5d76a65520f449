"""Issue 13, items 1-3: the kernel's accounts, the roles found like every plug-in, the actor
and collaboration pages fed by hooks, and the arrows inverted (audit gets its model from the
import; actors and idea groups read through selectors)."""

from importlib.util import find_spec

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q
from django.urls import resolve, reverse
from django.utils import translation

from audit.models import AuditEntry
from audit.services import audited_import
from collaboration import sections
from sodertorn import hooks, roles

from .factories import (
    ActorFactory,
    IdeaGroupFactory,
    MembershipFactory,
    TestbedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# Accounts in the kernel -----------------------------------------------------------------------


def test_the_account_pages_live_in_the_kernel_under_the_same_names_and_paths():
    from sodertorn.accounts import password_reset, urls

    assert urls.app_name == "accounts"
    assert find_spec("ideagroups.accounts_urls") is None
    assert find_spec("ideagroups.password_reset") is None
    paths = {
        "login": "/konto/logga-in/",
        "logout": "/konto/logga-ut/",
        "password_change": "/konto/losenord/",
        "password_change_done": "/konto/losenord/klart/",
        "password_reset": "/konto/losenord/aterstall/",
        "password_reset_done": "/konto/losenord/aterstall/skickat/",
        "password_reset_complete": "/konto/losenord/aterstall/klart/",
    }
    for name, path in paths.items():
        assert reverse(f"accounts:{name}") == path
        assert resolve(path).namespace == "accounts"
    with translation.override("en"):
        assert resolve("/en/konto/logga-in/").view_name == "accounts:login"
    assert resolve(paths["password_reset"]).func.view_class is password_reset.PasswordResetView


def test_the_set_password_link_an_invitation_carries_is_the_kernels():
    from sodertorn.accounts.links import login_link, set_password_link

    user = UserFactory()
    link = set_password_link(user, base_url="https://example.org/")
    assert link.startswith("https://example.org/konto/losenord/aterstall/")
    match = resolve(link.removeprefix("https://example.org"))
    assert match.view_name == "accounts:password_reset_confirm"
    assert default_token_generator.check_token(user, match.kwargs["token"])
    assert login_link(base_url="https://example.org/") == "https://example.org/konto/logga-in/"


# Roles through the project apps -----------------------------------------------------------------


def test_grants_are_read_from_the_project_apps_roles_modules(monkeypatch):
    declared = {
        apps.get_containing_app_config(module.__name__).label
        for module in hooks.project_modules("roles", exclude=("sodertorn",))
        if hasattr(module, "GRANTS")
    }
    installed = {config.label for config in apps.get_app_configs()}
    third_party = set(roles.THIRD_PARTY_GRANTS) & installed
    assert set(roles.grants()) == declared | third_party
    assert {"testbeds", "ideagroups", "dialogue", "competences"} <= declared

    # an app that is not a project app (no hooks module) is not asked, even with a roles.py
    monkeypatch.setattr(hooks, "project_modules", lambda module, exclude=(): [])
    roles.grants.cache_clear()
    try:
        assert set(roles.grants()) == third_party
    finally:
        roles.grants.cache_clear()


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


# Audit gets its model from the import -----------------------------------------------------------


def test_the_audit_log_records_the_model_the_import_names():
    from testbeds.models import Theme

    class Report:
        ok = True
        rows = 2

    @audited_import(Theme)
    def import_themes(data, *, name=""):
        return Report()

    assert isinstance(import_themes(b"", name="teman.csv"), Report)
    entry = AuditEntry.objects.get(action="import")
    assert (entry.content_type.app_label, entry.content_type.model) == ("testbeds", "theme")
    assert entry.object_repr == "teman.csv" and entry.details["rows"] == 2


def test_the_indicator_import_names_its_observations():
    from indicators.services import import_observations

    import_observations("indicator,area,year,value\n", name="tom.csv")
    entry = AuditEntry.objects.get(action="import")
    assert (entry.content_type.app_label, entry.content_type.model) == (
        "indicators",
        "observation",
    )
