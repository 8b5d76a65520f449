"""The API's answers for the demo data, every list page and every detail, are what they were
when they were built from model instances (opendata/tests/demo_answers.json, written by that
code): building them from values rows changed no byte of the JSON.

Regenerate (only for an intended change of the answers): SODERTORN_WRITE_DEMO_ANSWERS=1 pytest
opendata/tests/test_opendata_demo_answers.py, and read the diff.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from opendata.resources import resources
from tests import public_pages

demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()

ANSWERS = Path(__file__).with_name("demo_answers.json")
# What differs between two loads of the demo data: the times of loading, and the ids (a
# database's sequences go on where earlier tests left them), in the answers and in addresses.
TIMES = ("created_at", "updated_at")
# Every demo date lies in the programme's years except those of the example round dated from
# the day of loading (README, "Demo data"): a later date is the loading day's, not the data's.
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LAST_DEMO_YEAR = "2019"
HOST = re.compile(r"^http://testserver")
ID_IN_PATH = re.compile(r"/[0-9]+/")


def normalised(data, key=None):
    if key in TIMES:
        return "<time>"
    if key == "date" and isinstance(data, str) and DAY.match(data) and data[:4] > LAST_DEMO_YEAR:
        return "<day of loading>"
    if key == "id" and isinstance(data, int):
        return "<id>"
    if isinstance(data, dict):
        return {key: normalised(value, key) for key, value in data.items()}
    if isinstance(data, list):
        return [normalised(value) for value in data]
    if isinstance(data, str) and data.startswith("http://testserver/"):
        return ID_IN_PATH.sub("/<id>/", data)
    return data


def answers(client) -> dict[str, object]:
    """Every list page of every resource, in pages of 500 and of the default size (only the
    first pages of the observations, thousands of rows built from values already), and every
    detail the rows link to."""
    found = {}
    for resource in resources():
        for query in ("?limit=500", ""):
            url = reverse(f"api:{resource.name}-list") + query
            while url:
                response = client.get(url, headers={"accept-encoding": "identity"})
                assert response.status_code == 200, url
                data = response.json()
                found[HOST.sub("", url)] = normalised(data)
                url = data["next"] if resource.lookup else None
        if resource.lookup:
            for row in found[reverse(f"api:{resource.name}-list") + "?limit=500"]["results"]:
                url = row["url"]
                response = client.get(url, headers={"accept-encoding": "identity"})
                assert response.status_code == 200, url
                found[HOST.sub("", url)] = normalised(response.json())
    return found


def test_every_answer_for_the_demo_data_is_what_the_instance_builder_gave(client, demo):
    got = answers(client)
    if os.environ.get("SODERTORN_WRITE_DEMO_ANSWERS"):
        ANSWERS.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n")
    expected = normalised(json.loads(ANSWERS.read_text()))
    assert sorted(got) == sorted(expected)
    for url, data in expected.items():
        # Compared as text: the order of the keys and the form of numbers count too.
        assert json.dumps(got[url], ensure_ascii=False) == json.dumps(data, ensure_ascii=False), url


@pytest.mark.parametrize("name", [resource.name for resource in resources()])
def test_lists_are_built_from_values_not_model_instances(client, demo, name):
    made = []

    def count(sender, **kwargs):
        made.append(sender.__name__)

    post_init.connect(count)
    try:
        response = client.get(reverse(f"api:{name}-list") + "?limit=500")
    finally:
        post_init.disconnect(count)
    assert response.status_code == 200
    assert response.json()["results"]
    assert made == []
