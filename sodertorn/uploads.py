"""Upload checks shared by every app that accepts files: images and documents.

Nothing here trusts the file's name or the browser's Content-Type. Images are opened with
Pillow and verified; documents are recognised by their bytes (PDF header and trailer, the
OOXML and OpenDocument zip structures). Every refusal is a ValidationError with a code and a
message meant for the person uploading, so forms show it next to the field.

    info = validate_image(upload, max_bytes=2 * MB, max_pixels=25_000_000)
    rendition = process_image(upload, max_size=(400, 400))   # EXIF applied and stripped
    doc = validate_document(upload, max_bytes=10 * MB)        # doc.content_type, doc.extension
"""

from __future__ import annotations

import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024

# Pillow format name -> (content type, extension used when storing).
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}


@dataclass(frozen=True)
class DocumentType:
    kind: str
    content_type: str
    extension: str
    label: str


DOCUMENT_TYPES = {
    doc.kind: doc
    for doc in (
        DocumentType("pdf", "application/pdf", "pdf", "PDF"),
        DocumentType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            "Word",
        ),
        DocumentType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            "Excel",
        ),
        DocumentType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
            "PowerPoint",
        ),
        DocumentType("odt", "application/vnd.oasis.opendocument.text", "odt", "OpenDocument"),
        DocumentType(
            "ods", "application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument"
        ),
        DocumentType(
            "odp", "application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument"
        ),
    )
}
DOCUMENT_EXTENSIONS = {doc.extension for doc in DOCUMENT_TYPES.values()}
# The main part that tells which Office Open XML document a package is.
OOXML_MAIN_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
ODF_MIMETYPES = {DOCUMENT_TYPES[k].content_type: k for k in ("odt", "ods", "odp")}
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# Zip packages: bounds that keep a small upload from expanding into a zip bomb.
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_UNCOMPRESSED = 200 * MB


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int
    content_type: str
    extension: str


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    format: str
    width: int
    height: int
    content_type: str
    extension: str


def extension_of(name: str | None) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def size_label(size: int, *, round_up: bool = False) -> str:
    """filesizeformat, but with round_up a size just over a limit never reads as the limit:
    2 MB + 10 bytes reads "2.1 MB", not "2.0 MB"."""
    if round_up:
        for factor in (MB, 1024):
            if size >= factor:
                tenths = -(-size * 10 // factor)  # ceiling, in tenths of the unit
                return filesizeformat(tenths * factor // 10)
    return filesizeformat(size)


def check_size(file, max_bytes: int) -> int:
    size = file_size(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": size_label(size, round_up=True), "limit": filesizeformat(max_bytes)},
        )
    return size


def random_name(prefix: str, extension: str) -> str:
    """A storage path that reveals nothing and cannot be guessed: prefix/<uuid>.<ext>."""
    return f"{prefix.strip('/')}/{uuid.uuid4().hex}.{extension}"


def download_name(original: str | None, extension: str, fallback: str = "file") -> str:
    """A safe file name for Content-Disposition: the uploaded stem with the checked extension."""
    stem = PurePath(original or "").stem
    stem = get_valid_filename(slugify(stem, allow_unicode=True)) if stem else ""
    return f"{(stem or fallback)[:80]}.{extension}"


# Images ----------------------------------------------------------------------------------------


def _open_image(file, max_pixels: int) -> Image.Image:
    """Open without decoding, refusing decompression bombs before any pixels are read."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("The image has too many pixels."), code="too_many_pixels"
            ) from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise ValidationError(
                _("The file is not an image Pillow can read: upload a JPEG, PNG or WebP image."),
                code="not_an_image",
            ) from exc
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise ValidationError(
            _("The image is %(width)d × %(height)d pixels; the limit is %(limit)s pixels."),
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": f"{max_pixels:,}".replace(",", " ")},
        )
    return image


def _decode(file, max_pixels: int) -> Image.Image:
    """Open and fully decode (truncated or corrupt data fails here)."""
    image = _open_image(file, max_pixels)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("The image is damaged or incomplete: save it again and upload the new file."),
                code="damaged",
            ) from exc
    return image


def validate_image(
    file,
    *,
    max_bytes: int,
    max_pixels: int,
    formats: dict[str, tuple[str, str]] | None = None,
) -> ImageInfo:
    """Check an uploaded image by its content. Raises ValidationError; returns its real type.

    The name's extension must be an image extension, but the stored type comes from the
    bytes: a PDF called logo.png is refused, a PNG called logo.jpg is a PNG.
    """
    formats = formats or IMAGE_FORMATS
    check_size(file, max_bytes)
    name = getattr(file, "name", "")
    if name and extension_of(name) not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("Choose a JPEG, PNG or WebP image (.jpg, .png or .webp)."), code="extension"
        )
    image = _open_image(file, max_pixels)
    image_format = image.format
    width, height = image.size
    if image_format not in formats:
        raise ValidationError(
            _("The file is a %(format)s image; upload a JPEG, PNG or WebP image."),
            code="format",
            params={"format": image_format or "?"},
        )
    try:
        image.verify()
    except Exception as exc:  # Pillow raises many types for corrupt data
        raise ValidationError(
            _("The image is damaged or incomplete: save it again and upload the new file."),
            code="damaged",
        ) from exc
    # verify() leaves the image unusable and misses some truncations: decode it fully too.
    # (Image.close() would close the caller's file, so the images are left to the collector.)
    _decode(file, max_pixels)
    file.seek(0)
    content_type, extension = formats[image_format]
    return ImageInfo(image_format, width, height, content_type, extension)


def process_image(
    file,
    *,
    max_size: tuple[int, int],
    max_pixels: int = 40_000_000,
    quality: int = 85,
) -> ProcessedImage:
    """A clean rendition: EXIF orientation applied, all metadata (EXIF, GPS, XMP, ICC) dropped,
    scaled down to fit max_size (never up). JPEG stays JPEG; PNG and WebP become PNG.

    Call validate_image() first; this only decodes and re-encodes.
    """
    image = _decode(file, max_pixels)
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    if source_format == "JPEG":
        out_format = "JPEG"
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    else:
        out_format = "PNG"
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
    image.thumbnail(max_size, Image.Resampling.LANCZOS)
    # A fresh image from the pixels alone: no info dict, no EXIF, no text chunks.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    if out_format == "JPEG":
        clean.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        clean.save(buffer, "PNG", optimize=True)
    file.seek(0)
    content_type, extension = IMAGE_FORMATS[out_format]
    return ProcessedImage(
        content=ContentFile(buffer.getvalue()),
        format=out_format,
        width=clean.width,
        height=clean.height,
        content_type=content_type,
        extension=extension,
    )


# Documents -------------------------------------------------------------------------------------


def _damaged() -> ValidationError:
    return ValidationError(
        _("The document is damaged or incomplete: save it again and upload the new file."),
        code="damaged",
    )


def _detect_zip_document(file) -> str:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged() from exc
    with archive:
        members = archive.infolist()
        if not members or len(members) > MAX_ZIP_MEMBERS:
            raise _damaged()
        if sum(member.file_size for member in members) > MAX_ZIP_UNCOMPRESSED:
            raise ValidationError(
                _("The document expands to too much data to be accepted."), code="zip_bomb"
            )
        names = {member.filename for member in members}
        first = members[0]
        if first.filename == "mimetype" and first.file_size <= 200:
            try:
                mimetype = archive.read(first).decode("ascii").strip()
            except (zipfile.BadZipFile, OSError, UnicodeDecodeError, EOFError) as exc:
                raise _damaged() from exc
            if mimetype in ODF_MIMETYPES:
                return ODF_MIMETYPES[mimetype]
            raise ValidationError(
                _(
                    "This OpenDocument type is not accepted: upload a text, spreadsheet or "
                    "presentation document, or a PDF."
                ),
                code="format",
            )
        if "[Content_Types].xml" in names:
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _("Documents with macros are not accepted: save without macros or as PDF."),
                    code="macros",
                )
            for part, kind in OOXML_MAIN_PARTS.items():
                if part in names:
                    return kind
    raise ValidationError(
        _("The file is a zip archive, not a document: upload a PDF or an office document."),
        code="format",
    )


def validate_document(file, *, max_bytes: int = 10 * MB) -> DocumentType:
    """Check an uploaded document by its content: PDF, Word/Excel/PowerPoint (OOXML) or
    OpenDocument. The name's extension must agree with the content. Returns the checked type,
    whose content type and extension are the ones to store and serve.
    """
    check_size(file, max_bytes)
    declared = extension_of(getattr(file, "name", ""))
    if declared not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Choose a PDF or an office document (.pdf, .docx, .xlsx, .pptx, .odt, .ods, .odp)."),
            code="extension",
        )
    file.seek(0)
    head = file.read(8)
    if head.startswith(b"%PDF-"):
        file.seek(-min(file_size(file), 2048), io.SEEK_END)
        if b"%%EOF" not in file.read():
            raise _damaged()
        kind = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        file.seek(0)
        kind = _detect_zip_document(file)
    elif head == OLE_MAGIC:
        raise ValidationError(
            _(
                "Older Office formats (.doc, .xls, .ppt) are not accepted: save the file as PDF "
                "or in the newer format (.docx, .xlsx, .pptx)."
            ),
            code="legacy_office",
        )
    else:
        raise ValidationError(
            _("The file's content is not a PDF or an office document, whatever its name says."),
            code="format",
        )
    file.seek(0)
    doc = DOCUMENT_TYPES[kind]
    if declared != doc.extension:
        raise ValidationError(
            _(
                "The file is named .%(declared)s but contains a %(label)s document (.%(actual)s). "
                "Rename it or choose the right file."
            ),
            code="mismatch",
            params={"declared": declared, "label": doc.label, "actual": doc.extension},
        )
    return doc
