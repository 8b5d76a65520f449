"""The demo's English texts (fixtures/english/, issue 16) against the demo data: every block
names an object load_demo made and a text field its model has, so the files cannot drift from
the fixtures and the demo hooks unnoticed."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from testbeds import demo_english
from testbeds.management.commands.load_demo import ENGLISH_DIR, demo_hooks
from testbeds.models import Testbed
from tests.public_pages import demo_fixtures

demo_media, _media_root, demo_db, demo = demo_fixtures()

ENGLISH_FILES = sorted(Path(ENGLISH_DIR).glob("*.json"))
# Names and symbols that are the same in English.
SAME_IN_BOTH = {
    "%",
    "index (Stockholm = 100)",
    "GIS",
    "Flemingsberg",
    "Fittja",
    "Hallunda",
    "Handen",
}


def items():
    """(file, model label, key, key value, texts) of every item in fixtures/english/."""
    for path in ENGLISH_FILES:
        for block in json.loads(path.read_text(encoding="utf-8")):
            for value, texts in block["items"].items():
                yield path.name, block["model"], block["key"], value, texts


def english_of(label: str) -> dict:
    """{key value: texts} of one model's items."""
    return {value: texts for _f, model, _k, value, texts in items() if model == label}


def test_the_english_folder_is_in_the_fixtures():
    assert Path(ENGLISH_DIR) == Path(settings.BASE_DIR) / "fixtures" / "english"
    assert ENGLISH_FILES


@pytest.mark.parametrize(
    ("name", "label", "key", "value", "texts"),
    list(items()),
    ids=[f"{label}:{value[:40]}" for _n, label, _k, value, _t in items()],
)
def test_every_item_names_a_demo_object_and_text_fields_of_its_model(
    demo, name, label, key, value, texts
):
    model = apps.get_model(label)
    obj = demo_english.find(model, key, value, database="default", where=name)  # exactly one
    columns = {field.name for field in model._meta.get_fields()}
    for field_name, text in texts.items():
        field = model._meta.get_field(field_name)
        assert isinstance(field, (models.CharField, models.TextField)), field_name
        assert not field_name.endswith("_en"), "write the base field's name"
        assert field.max_length is None or len(text) <= field.max_length, field_name
        with translation.override("sv"):
            swedish = getattr(obj, field_name)
        assert text.strip() and (text != swedish or text in SAME_IN_BOTH), (
            f"{label} {value}: the English {field_name} repeats the Swedish"
        )
        english = demo_english.english_name(field_name)
        if english in columns:  # once the translation fields exist: load_demo wrote it
            assert getattr(obj, english) == text


def test_load_demo_applies_the_english_texts_before_the_search_index_is_rebuilt(demo):
    assert "English texts:" in demo
    assert [hook.__module__ for hook in demo_hooks(after_content=True)] == ["search.demo"]
    assert "search.demo" not in [hook.__module__ for hook in demo_hooks(after_content=False)]
    assert demo.index("English texts:") < demo.index("Search index:")


def test_the_real_facts_have_english():
    """The programme's facts: both named testbeds, every theme, indicator, idea group, actor,
    competence of the programme's vocabulary and both grants."""
    testbeds = english_of("testbeds.testbed")
    for slug in ("flemingsbergs-stationsomrade", "tyreso-centrum"):
        assert set(testbeds[slug]) == {"title", "question", "summary", "body", "place_name"}
    indicators = english_of("indicators.indicator")
    assert len(indicators) == 9
    assert all(
        set(texts) == {"name", "unit", "description", "source", "method"}
        for texts in indicators.values()
    )
    assert len(english_of("testbeds.theme")) == 9
    assert len(english_of("ideagroups.ideagroup")) == 6
    assert len(english_of("collaboration.actor")) == 20
    assert set(english_of("collaboration.grant")) == {"2014-00918", "2017-01575"}
    assert set(english_of("collaboration.collaborationgroup")["Samverkansgruppen"]) == {
        "name",
        "purpose",
        "working_method",
    }


def test_some_but_not_all_invented_testbeds_have_english(demo):
    """Invented testbeds with English, and others that show the Swedish fallback."""
    english = set(english_of("testbeds.testbed"))
    invented = set(Testbed.objects.filter(is_demo=True).values_list("slug", flat=True))
    assert invented & english
    assert invented - english
