"""Every model has a name of its own in the admin, in both languages: one word must not mean
two things (in Swedish "bidrag" was both a grant and a dialogue contribution)."""

from collections import defaultdict

import pytest
from django.apps import apps
from django.utils import translation

from sodertorn import hooks


def models_named_alike(language: str) -> dict[str, list[str]]:
    project = {config.label for config in hooks.project_apps()}
    names = defaultdict(set)
    with translation.override(language):
        for model in apps.get_models():
            if model._meta.app_label not in project:
                continue
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
                names[str(name).lower()].add(model._meta.label)
    return {name: sorted(labels) for name, labels in names.items() if len(labels) > 1}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_two_models_share_a_name(language, swedish_messages):
    # The grant's Swedish name, as the catalogue will hold it.
    swedish_messages("grant", "anslag", context="funding")
    swedish_messages("grants", "anslag", context="funding")
    assert models_named_alike(language) == {}
