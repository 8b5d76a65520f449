"""Admin form data for translated models: the admin shows each translated field as its
Swedish and English pair (sodertorn/translation_admin.py), so a post names ``title_sv`` where
the model field is ``title``."""

from sodertorn.content_language import content_language, translated_fields


def in_admin_names(model, data: dict, prefix: str = "") -> dict:
    """``data`` with every translated field of ``model`` renamed to its Swedish input; with
    ``prefix`` (an inline's ``"results-0-"``), only the keys that start with it."""
    translated = set(translated_fields(model))
    renamed = {}
    for key, value in data.items():
        name = key[len(prefix) :] if key.startswith(prefix) else None
        if name in translated:
            key = f"{prefix}{name}_{content_language()}"
        renamed[key] = value
    return renamed
