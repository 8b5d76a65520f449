"""The demo's English texts (issue 16): fixtures/english/*.json, applied by load_demo.

Each file is a JSON list of blocks::

    {"model": "testbeds.testbed", "key": "slug",
     "items": {"tyreso-centrum": {"title": "Tyresö Centre", "summary": "..."}}}

``model`` is an app label and model name, ``key`` the field that finds the object (a slug, a
reference, a code or any field unique among the demo rows), and each item maps a base field
name (``title``) to its English text, which goes to the field's English translation column
(``title_en``). Lookups run with Swedish active, so a key that is itself translated (a work
entry's ``title``) matches its Swedish text.

Strict: an unknown model, key, key value or field is a ``CommandError`` naming it; so is a text
longer than the field allows. Applying is idempotent: an object is saved only when one of its
English texts differs, with ``update_fields`` (history and the search index follow through the
save signals; ``updated_at`` keeps its value), and a fixture row whose texts loaddata reset gets
no new history record (``history_holds``).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import translation

LANGUAGE = "en"
BLOCK_KEYS = {"model", "key", "items"}


def english_name(name: str) -> str:
    """The column holding a field's English text (django-modeltranslation's naming)."""
    return f"{name}_{LANGUAGE}"


@dataclass
class Outcome:
    """What one application did."""

    changed: int = 0  # objects saved
    unchanged: int = 0  # objects whose English texts were already in place
    fields: int = 0  # English texts written or confirmed


def _where(path: Path, index: int) -> str:
    return f"{path.name}, block {index + 1}"


def _model(block, where: str):
    if not isinstance(block, dict) or set(block) != BLOCK_KEYS:
        raise CommandError(f"{where}: a block has exactly the keys {sorted(BLOCK_KEYS)}.")
    try:
        return apps.get_model(block["model"])
    except (LookupError, ValueError):
        raise CommandError(f"{where}: unknown model {block['model']!r}.") from None


def _key_field(model, key: str, where: str) -> str:
    try:
        model._meta.get_field(key)
    except FieldDoesNotExist:
        label = model._meta.label_lower
        raise CommandError(f"{where}: {label} has no key field {key!r}.") from None
    return key


def _english_field(model, name: str, text, where: str, outcome: Outcome) -> str | None:
    """The English column to write for base field ``name``, or None to skip it."""
    label = f"{model._meta.label_lower}.{name}"
    try:
        base = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise CommandError(f"{where}: unknown field {label!r}.") from None
    if not isinstance(base, (models.CharField, models.TextField)) or name.endswith(f"_{LANGUAGE}"):
        raise CommandError(f"{where}: {label!r} is not a text field with translations.")
    if not isinstance(text, str) or not text.strip():
        raise CommandError(f"{where}: the English text of {label!r} must be a non-empty string.")
    if base.max_length is not None and len(text) > base.max_length:
        raise CommandError(
            f"{where}: the English text of {label!r} has {len(text)} characters; "
            f"at most {base.max_length} fit."
        )
    try:
        model._meta.get_field(english_name(name))
    except FieldDoesNotExist:
        raise CommandError(f"{where}: {label!r} has no English column.") from None
    return english_name(name)


def find(model, key: str, value: str, *, database: str, where: str):
    """The one object of ``model`` whose ``key`` is ``value`` (looked up in Swedish)."""
    label = model._meta.label_lower
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return model._base_manager.using(database).get(**{key: value})
        except model.DoesNotExist:
            raise CommandError(f"{where}: no {label} with {key}={value!r}.") from None
        except model.MultipleObjectsReturned:
            raise CommandError(f"{where}: several {label} rows with {key}={value!r}.") from None
        except (ValueError, TypeError) as error:  # e.g. a pk that is not a number
            raise CommandError(f"{where}: {key}={value!r} is not a valid key: {error}") from None


def history_holds(obj, columns: dict[str, str]) -> bool:
    """Whether the object's latest history record already holds these English texts: loaddata
    (a raw save, without history) reset them for a fixture row, and writing them back is then
    no change worth a new record, so that loading the demo again adds none."""
    history = getattr(obj, "history", None)
    latest = history.first() if history is not None else None
    return latest is not None and all(
        getattr(latest, column, None) == text for column, text in columns.items()
    )


def read_blocks(directory: Path) -> list[tuple[str, dict]]:
    """[(where, block)] of every *.json file in ``directory``, in file-name order."""
    if not directory.is_dir():
        raise CommandError(f"English texts: {directory} is not a directory.")
    blocks = []
    for path in sorted(directory.glob("*.json")):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise CommandError(f"{path.name}: not valid JSON: {error}") from None
        if not isinstance(content, list):
            raise CommandError(f"{path.name}: the file must hold a JSON list of blocks.")
        blocks.extend((_where(path, index), block) for index, block in enumerate(content))
    return blocks


def apply_english(directory: Path, *, database: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Write the English texts of every file in ``directory`` onto the demo objects."""
    outcome = Outcome()
    for where, block in read_blocks(Path(directory)):
        model = _model(block, where)
        key = _key_field(model, block["key"], where)
        if not isinstance(block["items"], dict) or not block["items"]:
            raise CommandError(f"{where}: 'items' must be a non-empty object.")
        for value, texts in block["items"].items():
            item = f"{where}, {model._meta.label_lower} {key}={value!r}"
            if not isinstance(texts, dict) or not texts:
                raise CommandError(f"{item}: the texts must be a non-empty object.")
            columns = {
                column: text
                for name, text in texts.items()
                if (column := _english_field(model, name, text, item, outcome)) is not None
            }
            obj = find(model, key, value, database=database, where=where)
            changed = [column for column, text in columns.items() if getattr(obj, column) != text]
            for column in changed:
                setattr(obj, column, columns[column])
            if changed:
                if history_holds(obj, columns):
                    obj.skip_history_when_saving = True  # django-simple-history's switch
                obj.save(using=database, update_fields=changed)
                outcome.changed += 1
            else:
                outcome.unchanged += 1
            outcome.fields += len(columns)
    return outcome


def report(outcome: Outcome, *, stdout, style) -> None:
    """What load_demo prints about the English texts."""
    stdout.write(
        style.SUCCESS(
            f"English texts: {outcome.fields} fields on {outcome.changed + outcome.unchanged} "
            f"objects ({outcome.changed} updated)."
        )
    )
