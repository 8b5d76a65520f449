"""sodertorn.uploads: images and documents checked by content, never by name."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ideagroups.demo import tiny_pdf
from sodertorn import uploads
from sodertorn.uploads import (
    MB,
    download_name,
    process_image,
    random_name,
    validate_document,
    validate_image,
)

LIMITS = {"max_bytes": 2 * MB, "max_pixels": 4_000_000}


def image_bytes(fmt="PNG", size=(40, 20), colour=(200, 30, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_exif(size=(40, 20), orientation=6) -> bytes:
    """A JPEG whose EXIF has an orientation tag, a camera model and a GPS position."""
    image = Image.new("RGB", size, (10, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° clockwise to display
    exif[0x0110] = "Testkamera"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (59.0, 13.0, 0.0)
    gps[3], gps[4] = "E", (17.0, 56.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions in a few bytes (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def code_of(excinfo) -> str:
    return excinfo.value.error_list[0].code


# Images ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [("PNG", "logo.png", "PNG"), ("JPEG", "logo.jpg", "JPEG"), ("WEBP", "logo.webp", "WEBP")],
)
def test_valid_images_pass_with_their_real_type(fmt, name, expected):
    info = validate_image(upload(name, image_bytes(fmt)), **LIMITS)
    assert (info.format, info.width, info.height) == (expected, 40, 20)
    assert info.content_type == f"image/{expected.lower()}"


def test_the_real_format_wins_over_the_extension():
    info = validate_image(upload("logo.jpg", image_bytes("PNG")), **LIMITS)
    assert info.format == "PNG" and info.extension == "png"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("logo.png", tiny_pdf(["Inte en bild"]), "not_an_image"),
        ("logo.png", b"MZ\x90\x00" + b"\x00" * 200, "not_an_image"),
        ("logo.png", image_bytes("GIF"), "format"),
        ("logo.png", b"", "empty"),
        ("logo.exe", image_bytes("PNG"), "extension"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "extension"),
    ],
    ids=["pdf-named-png", "exe-named-png", "gif", "empty", "exe-extension", "svg"],
)
def test_wrong_images_are_refused_with_a_code(name, content, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload(name, content), **LIMITS)
    assert code_of(excinfo) == code


def test_too_large_file_is_refused_with_sizes_in_the_message():
    content = image_bytes("PNG", size=(400, 400))
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("logo.png", content), max_bytes=100, max_pixels=10**7)
    assert code_of(excinfo) == "too_large"
    assert "100" in excinfo.value.messages[0]


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_header_only(100_000, 100_000)  # 10^10 pixels declared in ~80 bytes
    assert len(bomb) < 200
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("bomb.png", bomb), **LIMITS)
    assert code_of(excinfo) == "too_many_pixels"


def test_own_pixel_limit_below_pillows():
    content = image_bytes("PNG", size=(3000, 2000))
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("big.png", content), max_bytes=10 * MB, max_pixels=1_000_000)
    assert code_of(excinfo) == "too_many_pixels"
    assert "3000 × 2000" in excinfo.value.messages[0]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_refused(fmt):
    # Noise so the compressed data is long enough to cut in the middle.
    noisy = Image.frombytes("RGB", (300, 300), bytes(range(256)) * 1055)
    buffer = io.BytesIO()
    noisy.save(buffer, fmt)
    content = buffer.getvalue()
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload(f"cut.{fmt.lower()}", content[: len(content) // 2]), **LIMITS)
    assert code_of(excinfo) == "damaged"


def test_validate_leaves_the_file_readable_from_the_start():
    file = upload("logo.png", image_bytes("PNG"))
    validate_image(file, **LIMITS)
    assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_process_applies_orientation_and_strips_exif_and_gps():
    file = upload("photo.jpg", jpeg_with_exif(size=(40, 20), orientation=6))
    with Image.open(io.BytesIO(file.read())) as original:
        assert original.getexif().get_ifd(0x8825), "the test image must carry GPS"
    file.seek(0)
    result = process_image(file, max_size=(1000, 1000))
    with Image.open(io.BytesIO(result.content.read())) as clean:
        assert clean.format == "JPEG"
        assert clean.size == (20, 40)  # rotated upright
        assert dict(clean.getexif()) == {}
        assert "exif" not in clean.info
    assert (result.width, result.height) == (20, 40)


def test_process_makes_a_rendition_that_fits_and_keeps_png_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (1200, 600), (0, 0, 0, 0)).save(buffer, "PNG")
    result = process_image(upload("logo.png", buffer.getvalue()), max_size=(320, 160))
    assert (result.width, result.height) == (320, 160)
    assert result.format == "PNG" and result.extension == "png"
    with Image.open(io.BytesIO(result.content.read())) as rendition:
        assert rendition.mode == "RGBA"


def test_process_never_enlarges():
    result = process_image(
        upload("logo.png", image_bytes("PNG", size=(40, 20))), max_size=(320, 160)
    )
    assert (result.width, result.height) == (40, 20)


# Documents ---------------------------------------------------------------------------------------


def zip_bytes(members: list[tuple[str, bytes]], *, stored_first=False) -> bytes:
    """A zip of ``members`` with a fixed timestamp: the bytes are parameters of tests, so they
    must be the same in every xdist worker's collection (a timestamp of "now" differed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            compress = zipfile.ZIP_STORED if (stored_first and index == 0) else zipfile.ZIP_DEFLATED
            member = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            archive.writestr(member, data, compress_type=compress)
    return buffer.getvalue()


CONTENT_TYPES = ("[Content_Types].xml", b"<Types/>")
DOCX = zip_bytes([CONTENT_TYPES, ("word/document.xml", b"<w:document/>")])
XLSX = zip_bytes([CONTENT_TYPES, ("xl/workbook.xml", b"<workbook/>")])
PPTX = zip_bytes([CONTENT_TYPES, ("ppt/presentation.xml", b"<presentation/>")])
ODT = zip_bytes(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")],
    stored_first=True,
)
ODS = zip_bytes(
    [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<x/>")],
    stored_first=True,
)
PDF = tiny_pdf(["Rapport"])
OLE = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("rapport.pdf", PDF, "pdf", "application/pdf"),
        (
            "rapport.docx",
            DOCX,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tabell.xlsx",
            XLSX,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "bilder.pptx",
            PPTX,
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("text.odt", ODT, "odt", "application/vnd.oasis.opendocument.text"),
        ("tabell.ods", ODS, "ods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("RAPPORT.PDF", PDF, "pdf", "application/pdf"),
    ],
)
def test_documents_are_recognised_by_content(name, content, kind, content_type):
    doc = validate_document(upload(name, content, "text/html"))
    assert doc.kind == kind
    assert doc.content_type == content_type  # from the check, not from the upload


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("rapport.pdf", b"<html><script>alert(1)</script></html>", "format"),
        ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100, "format"),
        ("rapport.docx", PDF, "mismatch"),
        ("rapport.pdf", DOCX, "mismatch"),
        ("rapport.docx", XLSX, "mismatch"),
        ("rapport.docx", zip_bytes([("a.txt", b"hej")]), "format"),
        ("rapport.docx", OLE, "legacy_office"),
        ("rapport.doc", OLE, "extension"),
        ("rapport.exe", PDF, "extension"),
        ("rapport", PDF, "extension"),
        ("rapport.pdf", PDF[: len(PDF) // 2], "damaged"),
        ("rapport.docx", DOCX[: len(DOCX) // 2], "damaged"),
        (
            "makro.docx",
            zip_bytes(
                [CONTENT_TYPES, ("word/document.xml", b"<x/>"), ("word/vbaProject.bin", b"")]
            ),
            "macros",
        ),
        (
            "fel.odt",
            zip_bytes(
                [("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.text")]
            ),
            "format",
        ),
        ("tom.pdf", b"", "empty"),
    ],
    ids=[
        "html-named-pdf",
        "exe-named-pdf",
        "pdf-named-docx",
        "docx-named-pdf",
        "xlsx-named-docx",
        "plain-zip-named-docx",
        "ole-named-docx",
        "doc-extension",
        "exe-extension",
        "no-extension",
        "truncated-pdf",
        "truncated-docx",
        "macros",
        "odf-mimetype-not-first",
        "empty",
    ],
)
def test_wrong_documents_are_refused_with_a_code(name, content, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_document(upload(name, content, "application/pdf"))
    assert code_of(excinfo) == code


def test_too_large_document_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_document(upload("rapport.pdf", PDF), max_bytes=len(PDF) - 1)
    assert code_of(excinfo) == "too_large"


def test_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED", 50_000)
    bomb = zip_bytes([CONTENT_TYPES, ("word/document.xml", b"\x00" * 100_000)])
    assert len(bomb) < 5_000
    with pytest.raises(ValidationError) as excinfo:
        validate_document(upload("bomb.docx", bomb))
    assert code_of(excinfo) == "zip_bomb"


# Names -------------------------------------------------------------------------------------------


def test_random_names_reveal_nothing_and_differ():
    first, second = random_name("private/x", "pdf"), random_name("private/x", "pdf")
    assert first != second
    assert first.startswith("private/x/") and first.endswith(".pdf")
    assert len(first.rsplit("/", 1)[1]) == 32 + 4


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Rapport om dagvatten.docx", "rapport-om-dagvatten.pdf"),
        ('../../etc/"passwd".pdf', "passwd.pdf"),
        ("", "file.pdf"),
        ("Förstudie åäö.pdf", "förstudie-åäö.pdf"),
    ],
)
def test_download_name_is_safe_and_takes_the_checked_extension(original, expected):
    assert download_name(original, "pdf") == expected


def test_test_documents_are_the_same_bytes_whenever_they_are_made(monkeypatch):
    """Parametrised tests carry these bytes in their ids: a zip stamped with the time of day
    made two xdist workers collect different tests, and the run stopped."""
    import time

    members = [CONTENT_TYPES, ("word/document.xml", b"<document/>")]
    first = zip_bytes(members)
    monkeypatch.setattr(time, "time", lambda: 1_900_000_000.0)
    monkeypatch.setattr(
        time, "localtime", lambda *a: time.struct_time((2030, 3, 17, 12, 4, 6, 0, 76, 0))
    )
    assert zip_bytes(members) == first
