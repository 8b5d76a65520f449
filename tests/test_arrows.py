"""Issue 13, no sideways arrows: the lower app knows nothing of the app above it."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from collaboration.models import CollaborationGroup, SystemSolution
from ideagroups.tests.factories import IdeaGroupFactory

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if {"migrations", "tests"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_collaboration_does_not_import_ideagroups():
    assert "ideagroups" not in imported_modules("collaboration")


def test_collaboration_models_name_no_ideagroups_model():
    text = (ROOT / "collaboration" / "models.py").read_text()
    assert '"ideagroups.' not in text


@pytest.mark.django_db
def test_link_keeps_the_old_table_and_shows_on_the_collaboration_page(client):
    through = SystemSolution.idea_groups.through
    assert through._meta.db_table == "collaboration_systemsolution_idea_groups"
    group = CollaborationGroup.objects.create(name="Samverkansgruppen", purpose="Syfte")
    solution = SystemSolution.objects.create(group=group, title="Lösning", slug="l", summary="S")
    idea_group = IdeaGroupFactory(name="Social hållbarhet")
    idea_group.system_solutions.add(solution)
    assert list(solution.idea_groups.all()) == [idea_group]
    page = client.get(reverse("collaboration:group")).content.decode()
    assert "From the idea groups" in page or "Från idégrupperna" in page
    assert "Social hållbarhet" in page


@pytest.mark.django_db
def test_the_link_is_kept_in_the_idea_groups_history():
    group = CollaborationGroup.objects.create(name="Samverkansgruppen", purpose="Syfte")
    solution = SystemSolution.objects.create(group=group, title="Lösning", slug="l", summary="S")
    idea_group = IdeaGroupFactory()
    idea_group.system_solutions.add(solution)
    record = idea_group.history.latest()
    assert [link.systemsolution_id for link in record.system_solutions.all()] == [solution.pk]


@pytest.mark.django_db
def test_catalogue_page_geojson_csv_and_api_call_the_one_selector(client, monkeypatch):
    """The catalogue query lives in testbeds.selectors; every caller goes through it."""
    from testbeds import selectors
    from testbeds.tests.factories import TestbedFactory

    TestbedFactory(title="Publicerad", published=True)
    calls = []
    original = selectors.catalogue

    def spy(data=None, **kwargs):
        calls.append(dict(data or {}))
        return original(data, **kwargs)

    monkeypatch.setattr(selectors, "catalogue", spy)
    urls = [
        reverse("testbeds:list"),
        reverse("testbeds:geojson"),
        reverse("opendata:testbeds_csv"),
        reverse("api:testbeds-list"),
    ]
    for url in urls:
        assert client.get(url, {"q": "Publicerad"}).status_code == 200, url
    assert len(calls) == 4
    assert all(call.get("q") == ["Publicerad"] for call in calls)


@pytest.mark.django_db
def test_catalogue_selector_filters_without_a_request():
    from testbeds.selectors import catalogue
    from testbeds.tests.factories import TestbedFactory

    TestbedFactory(title="Solceller", published=True)
    TestbedFactory(title="Dagvatten", published=True)
    TestbedFactory(title="Solceller utkast", published=False)
    assert [t.title for t in catalogue({"q": "Solceller"}).qs] == ["Solceller"]
    assert catalogue(None).is_bound is False
