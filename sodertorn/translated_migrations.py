"""Migration operations for translated content fields (django-modeltranslation, issue 16)."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def keep_as_swedish(app_label: str, fields: dict[str, tuple[str, ...]]) -> migrations.RunPython:
    """Copy every existing value of these fields into ``<field>_sv``, in the model and in its
    history (``historical<model>``): what was written before content became translatable is
    the Swedish text. Backwards, the Swedish text goes back into the field."""

    def models(apps):
        for model_name, names in fields.items():
            for name in (model_name, f"historical{model_name}"):
                try:
                    yield apps.get_model(app_label, name), names
                except LookupError:
                    continue

    def forwards(apps, schema_editor):
        for model, names in models(apps):
            model._base_manager.update(**{f"{name}_sv": F(name) for name in names})

    def backwards(apps, schema_editor):
        for model, names in models(apps):
            model._base_manager.update(
                **{name: Coalesce(F(f"{name}_sv"), F(name)) for name in names}
            )

    return migrations.RunPython(forwards, backwards)
