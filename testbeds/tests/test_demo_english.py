"""The applier of the demo's English texts (testbeds/demo_english.py), on a small temporary
folder of blocks instead of fixtures/english/ (tests/test_demo_english.py checks those)."""

import datetime
import json

import pytest
from django.core.management.base import CommandError

from testbeds import demo_english
from testbeds.models import Testbed
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

# Until django-modeltranslation adds the `_en` columns, two existing text columns stand in for
# them, so the tests see the applier write, save and stay idempotent.
STAND_INS = {"title": "cover_alt", "summary": "place_name"}


@pytest.fixture
def stand_in_columns(monkeypatch):
    monkeypatch.setattr(
        demo_english, "english_name", lambda name: STAND_INS.get(name, f"{name}_en")
    )


def write_blocks(folder, *blocks, name="testbeds.json"):
    (folder / name).write_text(json.dumps(list(blocks), ensure_ascii=False), encoding="utf-8")
    return folder


def block_of(items, key="slug", model="testbeds.testbed"):
    return {"model": model, "key": key, "items": items}


def test_writes_the_english_texts_on_the_looked_up_object_and_records_history(
    tmp_path, stand_in_columns
):
    testbed = TestbedFactory(slug="tyreso-centrum", title="Tyresö centrum")
    earlier = datetime.datetime(2019, 5, 27, 12, tzinfo=datetime.UTC)
    Testbed.objects.filter(pk=testbed.pk).update(updated_at=earlier)
    history = testbed.history.count()
    folder = write_blocks(
        tmp_path,
        block_of({"tyreso-centrum": {"title": "Tyresö town centre", "summary": "In English."}}),
    )

    outcome = demo_english.apply_english(folder)

    testbed.refresh_from_db()
    assert (testbed.cover_alt, testbed.place_name) == ("Tyresö town centre", "In English.")
    assert testbed.title == "Tyresö centrum"  # the Swedish text stays
    assert testbed.updated_at.year == 2019  # saved with update_fields only
    assert testbed.history.count() == history + 1
    assert (outcome.changed, outcome.unchanged, outcome.fields) == (1, 0, 2)


def test_applying_twice_changes_nothing_the_second_time(tmp_path, stand_in_columns):
    testbed = TestbedFactory(slug="fittja")
    folder = write_blocks(tmp_path, block_of({"fittja": {"title": "Local jobs in Fittja"}}))
    demo_english.apply_english(folder)
    history = testbed.history.count()

    outcome = demo_english.apply_english(folder)

    assert (outcome.changed, outcome.unchanged) == (0, 1)
    assert testbed.history.count() == history


def test_texts_reset_without_history_are_written_back_without_a_new_record(
    tmp_path, stand_in_columns
):
    """As loaddata does to a fixture row on every load_demo: a raw reset, with no history."""
    testbed = TestbedFactory(slug="fittja")
    folder = write_blocks(tmp_path, block_of({"fittja": {"title": "Local jobs in Fittja"}}))
    demo_english.apply_english(folder)
    history = testbed.history.count()
    Testbed.objects.filter(pk=testbed.pk).update(cover_alt="")

    outcome = demo_english.apply_english(folder)

    testbed.refresh_from_db()
    assert testbed.cover_alt == "Local jobs in Fittja"
    assert outcome.changed == 1
    assert testbed.history.count() == history


def test_every_file_in_the_folder_is_applied(tmp_path, stand_in_columns):
    TestbedFactory(slug="a")
    TestbedFactory(slug="b")
    write_blocks(tmp_path, block_of({"a": {"title": "A"}}), name="one.json")
    write_blocks(tmp_path, block_of({"b": {"title": "B"}}), name="two.json")
    demo_english.apply_english(tmp_path)
    assert dict(Testbed.objects.values_list("slug", "cover_alt")) == {"a": "A", "b": "B"}


@pytest.mark.parametrize(
    ("block", "named"),
    [
        (block_of({"x": {"title": "X"}}, model="testbeds.nosuchmodel"), "testbeds.nosuchmodel"),
        (block_of({"x": {"title": "X"}}, key="nosuchkey"), "nosuchkey"),
        (block_of({"no-such-testbed": {"title": "X"}}), "no-such-testbed"),
        (block_of({"x": {"nosuchfield": "X"}}), "testbeds.testbed.nosuchfield"),
        (block_of({"x": {"start_date": "X"}}), "testbeds.testbed.start_date"),
        (block_of({"x": {"title": ""}}), "testbeds.testbed.title"),
        (block_of({"x": {"title": "x" * 201}}), "at most 200"),
        ({"model": "testbeds.testbed", "items": {}}, "block 1"),
    ],
)
def test_an_unknown_model_key_value_or_field_is_an_error_naming_it(tmp_path, block, named):
    TestbedFactory(slug="x")
    with pytest.raises(CommandError, match=named):
        demo_english.apply_english(write_blocks(tmp_path, block))


def test_a_field_without_an_english_column(tmp_path):
    """A field that has no English column (it is not translated) is an error naming it."""
    TestbedFactory(slug="x")
    folder = write_blocks(tmp_path, block_of({"x": {"slug": "never-translated"}}))
    with pytest.raises(CommandError, match="testbeds.testbed.slug"):
        demo_english.apply_english(folder)


def test_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        demo_english.apply_english(tmp_path / "nowhere")


def test_with_the_translation_fields_the_english_column_is_written(tmp_path):
    testbed = TestbedFactory(slug="x", title="Svensk titel")
    demo_english.apply_english(write_blocks(tmp_path, block_of({"x": {"title": "English"}})))
    testbed.refresh_from_db()
    assert testbed.title_en == "English"
