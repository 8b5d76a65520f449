"""Writes for actors: logos go through the shared upload checks and get renditions."""

from django.db import transaction

from sodertorn.renditions import delete_renditions, make_renditions
from sodertorn.uploads import MB, process_image, validate_image

from .models import Actor

LOGO_MAX_BYTES = 2 * MB
LOGO_MAX_PIXELS = 25_000_000
LOGO_STORED_SIZE = (1600, 1600)  # the kept original, EXIF removed


def check_logo(upload):
    """Validate an uploaded logo (raises ValidationError with a message for the form)."""
    return validate_image(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS)


def _forget_files_on_commit(actor: Actor, name: str, renditions: dict) -> None:
    storage = actor.logo.storage

    def forget():
        if name:
            storage.delete(name)
        delete_renditions(renditions, storage=storage)

    transaction.on_commit(forget)


def set_logo(actor: Actor, upload, *, is_demo: bool = False, save: bool = True) -> Actor:
    """Store a checked logo: a metadata-free copy under a random name and its renditions."""
    check_logo(upload)
    stored = process_image(upload, max_size=LOGO_STORED_SIZE, max_pixels=LOGO_MAX_PIXELS)
    old_name, old_renditions = actor.logo.name, actor.logo_renditions
    actor.logo.save(f"logo.{stored.extension}", stored.content, save=False)
    actor.logo_renditions = make_renditions(actor.logo.name, storage=actor.logo.storage)
    actor.logo_is_demo = is_demo
    if save:
        actor.save()
    _forget_files_on_commit(actor, old_name, old_renditions)
    return actor


def clear_logo(actor: Actor, *, save: bool = True) -> Actor:
    old_name, old_renditions = actor.logo.name, actor.logo_renditions
    actor.logo = ""
    actor.logo_renditions = {}
    actor.logo_is_demo = False
    if save:
        actor.save()
    _forget_files_on_commit(actor, old_name, old_renditions)
    return actor
