"""The one image service: every image field of the project is written through it.

An image is checked by content (``sodertorn.uploads.validate_image``: real format, size,
pixel limit, damage), stored as a clean copy (orientation applied, EXIF/GPS removed, at most
``max_size``) with its renditions (``sodertorn.renditions``), and the file and renditions it
replaces are deleted once the transaction commits (never on a rollback, so a failed save
keeps the old image whole).

- ``check_image(upload, rules)``: the check alone, for a form's clean();
- ``replace_image(instance, field, renditions_field, upload, rules=..., old=...)``: set (or,
  with ``upload=None``, remove) the image of an unsaved instance; the caller saves it;
- ``store_image(upload, folder=...)``: a checked image stored without a model (demo data).

History rows (simple-history) keep the names of replaced files; restoring such a version
brings the name back without the file, as for any deleted upload.
"""

import posixpath
import uuid
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction

from .renditions import delete_renditions, make_renditions
from .uploads import MB, ImageInfo, process_image, random_name, validate_image


@dataclass(frozen=True)
class ImageRules:
    """Limits for one kind of image: the upload's size and pixels, the kept original's size."""

    max_bytes: int = 10 * MB
    max_pixels: int = 40_000_000
    max_size: tuple[int, int] = (2560, 2560)


IMAGES = ImageRules()  # covers, posters, gallery images


def check_image(upload, rules: ImageRules = IMAGES) -> ImageInfo:
    """Validate an upload (raises ValidationError with a message for the form)."""
    return validate_image(upload, max_bytes=rules.max_bytes, max_pixels=rules.max_pixels)


def store_image(upload, *, folder: str, storage=None, rules: ImageRules = IMAGES):
    """Check, clean and store an image under ``folder`` with its renditions, for no model.

    Returns (name of the clean original in storage, renditions metadata)."""
    storage = storage or default_storage
    check_image(upload, rules)
    clean = process_image(upload, max_size=rules.max_size, max_pixels=rules.max_pixels)
    name = storage.save(posixpath.join(folder, random_name("img", clean.extension)), clean.content)
    return name, make_renditions(name, storage=storage)


def delete_on_commit(storage, name: str, renditions: dict | None) -> None:
    """Delete a stored image and its renditions once the current transaction commits."""
    if not name and not (renditions or {}).get("sizes"):
        return

    def delete():
        if name:
            storage.delete(name)
        delete_renditions(renditions, storage=storage)

    transaction.on_commit(delete)


def replace_image(
    instance,
    field: str,
    renditions_field: str,
    upload,
    *,
    rules: ImageRules = IMAGES,
    old: tuple[str, dict] | None = None,
) -> None:
    """Give ``instance.<field>`` a checked, clean copy of ``upload`` (``None``: no image) and
    ``instance.<renditions_field>`` its renditions; the replaced file and renditions are
    deleted on commit. The instance is not saved.

    ``old`` is (name, renditions) of the image being replaced, when the instance no longer
    holds it (a ModelForm has already put the upload on the instance); by default the
    instance's own."""
    file = getattr(instance, field)
    storage = file.storage
    if old is None:
        old = (file.name or "", getattr(instance, renditions_field) or {})
    if upload is None:
        setattr(instance, field, "")
        setattr(instance, renditions_field, {})
    else:
        check_image(upload, rules)
        clean = process_image(upload, max_size=rules.max_size, max_pixels=rules.max_pixels)
        # Through the field, so its upload_to decides the folder: <upload_to>/img/<uuid>.<ext>.
        file.save(f"img/{uuid.uuid4().hex}.{clean.extension}", clean.content, save=False)
        setattr(instance, renditions_field, make_renditions(file.name, storage=storage))
    delete_on_commit(storage, *old)
