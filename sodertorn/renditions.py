"""Image renditions made once, at upload: thumbnail, card and large, each as WebP and as a
JPEG/PNG fallback, with their sizes recorded so pages can write srcset, sizes, width and height.

Why our own code rather than easy-thumbnails, sorl-thumbnail or django-imagekit: those make
renditions on first request (or need a cache backend and a second table), while we need a fixed
set made at upload, after the same content checks and metadata stripping as every other image
(sodertorn.uploads), stored beside the original on whatever storage is configured. That is a
few dozen lines of Pillow.

The stored original itself is replaced by a clean copy (orientation applied, EXIF/GPS gone);
storing, replacing and deleting images is sodertorn.images' job.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

RENDITIONS = (("thumb", 320), ("card", 640), ("large", 1280))


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "WEBP":
        image.save(buffer, "WEBP", quality=80, method=4)
    elif fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def make_renditions(name: str, *, storage=None) -> dict:
    """Renditions of an image already stored (and already cleaned) at `name`."""
    storage = storage or default_storage
    with storage.open(name, "rb") as handle:
        image = ImageOps.exif_transpose(Image.open(handle))
        image.load()
    fallback = "PNG" if image.mode in ("RGBA", "LA", "P") else "JPEG"
    stem = posixpath.splitext(name)[0]
    sizes = []
    for label, width in RENDITIONS:
        copy = image.copy()
        copy.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        entry = {"name": label, "width": copy.width, "height": copy.height}
        for key, fmt, ext in (("webp", "WEBP", "webp"), ("fallback", fallback, fallback.lower())):
            target = f"{stem}-{label}.{'jpg' if ext == 'jpeg' else ext}"
            if storage.exists(target):
                storage.delete(target)
            entry[key] = storage.save(target, ContentFile(_encode(copy, fmt)))
        sizes.append(entry)
    return {"width": image.width, "height": image.height, "sizes": sizes}


def delete_renditions(renditions: dict | None, *, storage=None) -> None:
    storage = storage or default_storage
    for entry in (renditions or {}).get("sizes", []):
        for key in ("webp", "fallback"):
            if entry.get(key):
                storage.delete(entry[key])
