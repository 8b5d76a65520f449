"""Citizen dialogue in the site search and the open-data API: only approved contributions of
published testbeds are ever found; pending and hidden ones never."""

import json

import pytest

from dialogue import services
from dialogue.models import Contribution
from dialogue.tests.factories import ContributionFactory, RoundFactory
from sodertorn.tests.factories import CuratorFactory

pytestmark = [
    pytest.mark.each_database,
    pytest.mark.django_db,
    pytest.mark.search_index,
]  # indexing on save kept

WORD = "Kvarnbäcksbryggan"


def search_hrefs(client, q):
    response = client.get("/sok/", {"q": q})
    assert response.status_code == 200
    return response.text


def api_bodies(client):
    """Every list endpoint the API describes, as the public gets it."""
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    paths = [path for path in schema["paths"] if "{" not in path]
    assert len(paths) >= 6
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response.content.decode()


def test_pending_contribution_is_found_only_once_approved_and_never_when_hidden(client):
    round_ = RoundFactory(title="Dialog om Bryggtorget")
    item = ContributionFactory(
        round=round_, status="pending", kind="proposal", text=f"Bygg om {WORD} till en park."
    )
    assert f"bidrag-{item.pk}" not in search_hrefs(client, WORD)
    assert all(WORD not in body for _path, body in api_bodies(client))

    curator = CuratorFactory()
    services.approve(Contribution.objects.filter(pk=item.pk), by=curator)
    page = search_hrefs(client, WORD)
    assert f'href="{round_.get_absolute_url()}#bidrag-{item.pk}"' in page
    assert f"<mark>{WORD}</mark>" in page

    services.hide(
        Contribution.objects.filter(pk=item.pk), by=curator, reason="Innehåller en personuppgift."
    )
    assert f"bidrag-{item.pk}" not in search_hrefs(client, WORD)
    assert all(WORD not in body for _path, body in api_bodies(client))


def test_rounds_are_found_and_follow_their_testbed(client):
    round_ = RoundFactory(title="Samråd om Kvarnängen")
    assert round_.get_absolute_url() in search_hrefs(client, "Kvarnängen")
    round_.testbed.published = False
    round_.testbed.save()
    assert round_.get_absolute_url() not in search_hrefs(client, "Kvarnängen")
