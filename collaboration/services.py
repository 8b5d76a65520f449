"""Writes for actors: logos go through the shared upload checks and get a rendition."""

from django.db import transaction

from sodertorn.uploads import MB, process_image, validate_image

from .models import Actor

LOGO_MAX_BYTES = 2 * MB
LOGO_MAX_PIXELS = 25_000_000
LOGO_STORED_SIZE = (1600, 1600)  # the kept original, EXIF removed
LOGO_RENDITION_SIZE = (320, 160)  # what pages show


def check_logo(upload):
    """Validate an uploaded logo (raises ValidationError with a message for the form)."""
    return validate_image(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS)


def set_logo(actor: Actor, upload, *, is_demo: bool = False, save: bool = True) -> Actor:
    """Store a checked logo: a metadata-free copy and a rendition, both under random names."""
    check_logo(upload)
    stored = process_image(upload, max_size=LOGO_STORED_SIZE, max_pixels=LOGO_MAX_PIXELS)
    rendition = process_image(upload, max_size=LOGO_RENDITION_SIZE, max_pixels=LOGO_MAX_PIXELS)
    old = [f.name for f in (actor.logo, actor.logo_rendition) if f]
    actor.logo.save(f"logo.{stored.extension}", stored.content, save=False)
    actor.logo_rendition.save(f"logo.{rendition.extension}", rendition.content, save=False)
    actor.logo_width, actor.logo_height = rendition.width, rendition.height
    actor.logo_is_demo = is_demo
    if save:
        actor.save()
    storage = actor.logo.storage
    for name in old:
        transaction.on_commit(lambda name=name: storage.delete(name))
    return actor


def clear_logo(actor: Actor, *, save: bool = True) -> Actor:
    old = [f.name for f in (actor.logo, actor.logo_rendition) if f]
    actor.logo = actor.logo_rendition = ""
    actor.logo_width = actor.logo_height = None
    actor.logo_is_demo = False
    if save:
        actor.save()
    storage = actor.logo.storage
    for name in old:
        transaction.on_commit(lambda name=name: storage.delete(name))
    return actor
