"""Writes for actors: logos go through the kernel's image service (sodertorn.images)."""

from django.db import transaction

from sodertorn.images import ImageRules, check_image, replace_image
from sodertorn.uploads import MB

from .models import Actor

# At most 2 MB and 25 megapixels uploaded; the kept original at most 1600 px, EXIF removed.
LOGO_RULES = ImageRules(max_bytes=2 * MB, max_pixels=25_000_000, max_size=(1600, 1600))


def check_logo(upload):
    """Validate an uploaded logo (raises ValidationError with a message for the form)."""
    return check_image(upload, LOGO_RULES)


@transaction.atomic  # the replaced files go once the save has committed
def set_logo(actor: Actor, upload, *, is_demo: bool = False, save: bool = True) -> Actor:
    """Store a checked logo: a metadata-free copy under a random name and its renditions;
    the logo it replaces is deleted once the transaction commits."""
    replace_image(actor, "logo", "logo_renditions", upload, rules=LOGO_RULES)
    actor.logo_is_demo = is_demo
    if save:
        actor.save()
    return actor


@transaction.atomic
def clear_logo(actor: Actor, *, save: bool = True) -> Actor:
    replace_image(actor, "logo", "logo_renditions", None, rules=LOGO_RULES)
    actor.logo_is_demo = False
    if save:
        actor.save()
    return actor
